// Claiming from the outbox: two senders on two connections never take the
// same message; expired leases are taken over; a sender whose lease was taken
// over cannot overwrite the new owner's result; an interrupted ambiguous
// retry is failed, never sent a third time.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTransport } from '../../src/adapters/mailer/memory.ts';
import { openLibsqlStore } from '../../src/db/libsql.ts';
import { claimDue, failInterruptedRetries, sentStatement } from '../../src/db/repositories/outbox.ts';
import { messages } from '../../src/db/schema/index.ts';
import { drainOutbox } from '../../src/services/delivery/drain-outbox.ts';
import { deliveryOptions, seedCustomers, seedMessages, statuses, t0 } from './support/delivery-fixtures.ts';
import { openTempStore, type TempStore } from './support/temp-store.ts';

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  await temp.cleanup();
});

describe('claiming the outbox', () => {
  it('never gives one message to two concurrent senders', async () => {
    const ids = await seedMessages(temp.store, await seedCustomers(temp.store, 300));
    const other = await openLibsqlStore({ url: temp.url });
    try {
      const taken: string[][] = [[], []];
      for (let round = 0; round < 12; round++) {
        const [a, b] = await Promise.all([
          claimDue(temp.store, { now: t0, leaseMs: 60_000, limit: 17 }),
          claimDue(other, { now: t0, leaseMs: 60_000, limit: 17 }),
        ]);
        taken[0]!.push(...a.map((m) => m.id));
        taken[1]!.push(...b.map((m) => m.id));
      }
      const all = [...taken[0]!, ...taken[1]!];
      expect(new Set(all).size).toBe(all.length);
      expect(all.sort()).toEqual(ids.slice().sort());
      expect(taken[0]!.length).toBeGreaterThan(0);
      expect(taken[1]!.length).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });

  it('claims only due messages, oldest first, and expired leases again', async () => {
    await seedCustomers(temp.store, 3);
    await seedMessages(temp.store, ['c1'], { id: 'late', dedupeKey: 'k1', dueAt: t0 + 1000 });
    await seedMessages(temp.store, ['c2'], { id: 'old', dedupeKey: 'k2', dueAt: t0 - 5000 });
    await seedMessages(temp.store, ['c3'], { id: 'now', dedupeKey: 'k3', dueAt: t0 });
    await seedMessages(temp.store, ['c3'], { id: 'held', dedupeKey: 'k4', status: 'held_out' });
    const first = await claimDue(temp.store, { now: t0, leaseMs: 60_000, limit: 10 });
    expect(first.map((m) => m.id)).toEqual(['old', 'now']);
    expect(first[0]).toMatchObject({ leaseUntil: t0 + 60_000, attempts: 0, afterAmbiguous: false });
    expect(await claimDue(temp.store, { now: t0 + 59_999, leaseMs: 60_000, limit: 10 })).toEqual([
      expect.objectContaining({ id: 'late' }),
    ]);
    const again = await claimDue(temp.store, { now: t0 + 60_000, leaseMs: 60_000, limit: 10 });
    expect(again.map((m) => m.id)).toEqual(['old', 'now']);
  });

  it('ignores a result from a sender whose lease was taken over', async () => {
    const [id] = await seedMessages(temp.store, await seedCustomers(temp.store, 1));
    const [stale] = await claimDue(temp.store, { now: t0, leaseMs: 1000, limit: 1 });
    const [fresh] = await claimDue(temp.store, { now: t0 + 2000, leaseMs: 1000, limit: 1 });
    await temp.store.batch([sentStatement(temp.store, fresh!, 'new-owner', t0 + 2100)]);
    await temp.store.batch([sentStatement(temp.store, stale!, 'old-owner', t0 + 2200)]);
    const [row] = await temp.store.db.select().from(messages).where(eq(messages.id, id!));
    expect(row).toMatchObject({ status: 'sent', providerMessageId: 'new-owner', attempts: 1 });
  });

  it('fails an ambiguous retry whose sender died, instead of sending it a third time', async () => {
    await seedCustomers(temp.store, 2);
    await seedMessages(temp.store, ['c1'], {
      id: 'retrying',
      dedupeKey: 'k1',
      status: 'ambiguous',
      attempts: 1,
    });
    await seedMessages(temp.store, ['c2'], {
      id: 'waiting',
      dedupeKey: 'k2',
      status: 'ambiguous',
      attempts: 1,
    });
    // The retry of 'retrying' is claimed, then its sender dies.
    await temp.store.db
      .update(messages)
      .set({ dueAt: t0 + 1 })
      .where(eq(messages.id, 'waiting'));
    const [claimed] = await claimDue(temp.store, { now: t0, leaseMs: 1000, limit: 5 });
    expect(claimed).toMatchObject({ id: 'retrying', afterAmbiguous: true });
    expect(await statuses(temp.store)).toEqual({ retrying: 'ambiguous', waiting: 'ambiguous' });
    expect(await failInterruptedRetries(temp.store, t0 + 500)).toBe(0);

    const transport = createMemoryTransport();
    const counts = await drainOutbox(await deliveryOptions(temp.store, transport, { now: () => t0 + 1000 }));
    expect(counts).toMatchObject({ failed: 1, sent: 1, claimed: 1 });
    expect(await statuses(temp.store)).toEqual({ retrying: 'failed', waiting: 'sent' });
    expect(transport.sent.map((m) => m.envelope.to)).toEqual(['c2@example.com']);
  });
});
