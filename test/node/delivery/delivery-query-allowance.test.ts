// A drain pass with a query allowance (the Worker's per-invocation D1 limit):
// it claims only what the allowance fits, starts no send it could not record,
// and ends with every message it did not send back in the queue as it was.
// The allowance here is a stand-in the test controls; the real D1 meter and
// the whole cron invocation are tested in test/worker/invocation-budget.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTransport } from '../../../src/adapters/mailer/memory.ts';
import { messages } from '../../../src/db/schema/index.ts';
import { drainOutbox } from '../../../src/services/delivery/drain-outbox.ts';
import { batchQueries, priorQueriesPerMessage } from '../../../src/services/delivery/query-plan.ts';
import { deliveryOptions, seedCustomers, seedMessages } from '../support/delivery-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

async function rows() {
  return temp.store.db
    .select({ status: messages.status, attempts: messages.attempts, leaseUntil: messages.leaseUntil })
    .from(messages);
}

describe('a pass within a query allowance', () => {
  it('claims only as many messages as the allowance fits', async () => {
    await seedMessages(temp.store, await seedCustomers(temp.store, 20));
    const transport = createMemoryTransport();
    const left = batchQueries + 3 * priorQueriesPerMessage;
    const counts = await drainOutbox(
      await deliveryOptions(temp.store, transport, { queries: { left: () => left } }),
    );
    expect(counts).toMatchObject({ claimed: 3, sent: 3 });
    expect((await rows()).filter((r) => r.status === 'scheduled')).toHaveLength(17);
  });

  it('starts no send once the allowance no longer covers recording it; the rest goes back unsent', async () => {
    await seedMessages(temp.store, await seedCustomers(temp.store, 6));
    // The allowance runs out after two sends, whatever the claim expected:
    // an estimate that was too low must not leave a message sent but unrecorded.
    let left = 1000;
    const transport = createMemoryTransport(() => {
      if (transport.sent.length >= 1) left = 0;
      return undefined;
    });
    const counts = await drainOutbox(
      await deliveryOptions(temp.store, transport, {
        queries: { left: () => left },
        settings: { batchSize: 6, concurrency: 1, leaseMs: 60_000 },
      }),
    );
    expect(transport.sent).toHaveLength(2);
    expect(counts).toMatchObject({ claimed: 6, sent: 2, abandoned: 4 });
    const after = await rows();
    expect(after.filter((r) => r.status === 'sent')).toHaveLength(2);
    // Back as they were: due, unleased, no attempt spent.
    expect(after.filter((r) => r.status !== 'sent')).toEqual(
      Array(4).fill({ status: 'scheduled', attempts: 0, leaseUntil: null }),
    );
  });

  it('does nothing at all when not one message fits', async () => {
    await seedMessages(temp.store, await seedCustomers(temp.store, 2));
    const counts = await drainOutbox(
      await deliveryOptions(temp.store, createMemoryTransport(), { queries: { left: () => batchQueries } }),
    );
    expect(counts.claimed).toBe(0);
    expect((await rows()).every((r) => r.status === 'scheduled' && r.leaseUntil === null)).toBe(true);
  });
});
