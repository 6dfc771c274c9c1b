// Dormant customers for the scheduled sweeps to find in worker tests: one
// paid order each, 100 + i days before `at`, stored with the app's own
// repositories. Ids carry the caller's prefix, as shared storage requires.
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { testStore } from './worker-client.ts';

const day = 86_400_000;

export async function seedDormant(prefix: string, count: number, at: number): Promise<void> {
  const store = testStore();
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-c${String(i).padStart(3, '0')}`);
  const customers = ids.map((id) =>
    ingestSchemas.customers.parse({
      id,
      email: `${id}@example.com`,
      marketing_consent: true,
      timezone: 'UTC',
    }),
  );
  await ingestRecords({ store }, { kind: 'customers', records: customers, now: at });
  const orders = ids.map((id, i) =>
    ingestSchemas.orders.parse({
      id: `${id}-o`,
      customer_id: id,
      placed_at: new Date(at - (100 + i) * day).toISOString(),
      currency: 'GBP',
      total: '45.00',
    }),
  );
  await ingestRecords({ store }, { kind: 'orders', records: orders, now: at });
}
