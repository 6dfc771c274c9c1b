// A tiny shop for sweep wiring tests (CLI, API, scheduler): one dormant
// customer, one recent buyer, one idle cart, through the ingestion repositories.
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import type { Store } from '../../../src/db/store.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';

const day = 86_400_000;
export const seedNow = Date.parse('2026-11-23T12:00:00Z');

export async function seedSmallShop(store: Store, now = seedNow): Promise<void> {
  const customers = ['dormant-1', 'dormant-2', 'recent', 'carter'].map((id) =>
    ingestSchemas.customers.parse({
      id,
      email: `${id}@example.com`,
      marketing_consent: true,
      timezone: 'Europe/London',
    }),
  );
  await ingestRecords({ store }, { kind: 'customers', records: customers, now });
  const order = (id: string, customer: string, daysAgo: number) =>
    ingestSchemas.orders.parse({
      id,
      customer_id: customer,
      placed_at: new Date(now - daysAgo * day).toISOString(),
      status: 'paid',
      currency: 'GBP',
      total: '60.00',
    });
  await ingestRecords(
    { store },
    {
      kind: 'orders',
      records: [order('o1', 'dormant-1', 120), order('o2', 'dormant-2', 200), order('o3', 'recent', 3)],
      now,
    },
  );
  const cart = ingestSchemas.carts.parse({
    id: 'cart-1',
    customer_id: 'carter',
    email: 'carter@example.com',
    currency: 'GBP',
    status: 'open',
    last_activity_at: new Date(now - 2 * 3_600_000).toISOString(),
    items: [{ product_id: 'p1', title: 'Mug', quantity: 2, unit_price: '12.50' }],
  });
  await ingestRecords({ store }, { kind: 'carts', records: [cart], now });
}
