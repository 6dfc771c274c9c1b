// Claiming from the outbox: two senders on two connections never take the
// same message; lapsed leases are taken over, one at a time when the send
// never started; a sender whose lease was taken over cannot start its send or
// overwrite the new owner's result; a send in flight when its sender died is
// resent once as ambiguous, and an interrupted resend is failed, never sent a
// third time.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTransport } from '../../../src/adapters/mailer/memory.ts';
import { openLibsqlStore } from '../../../src/db/libsql.ts';
import { claimDue, claimLapsed, failInterruptedRetries } from '../../../src/db/repositories/outbox.ts';
import { markSendsStarted, sentStatement } from '../../../src/db/repositories/outbox-writes.ts';
import { messages } from '../../../src/db/schema/index.ts';
import { drainOutbox } from '../../../src/services/delivery/drain-outbox.ts';
import { deliveryOptions, seedCustomers, seedMessages, statuses, t0 } from '../support/delivery-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

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

  it('claims only due messages, oldest first, and lapsed claims again one at a time', async () => {
    await seedCustomers(temp.store, 3);
    await seedMessages(temp.store, ['c1'], { id: 'late', dedupeKey: 'k1', dueAt: t0 + 1000 });
    await seedMessages(temp.store, ['c2'], { id: 'old', dedupeKey: 'k2', dueAt: t0 - 5000 });
    await seedMessages(temp.store, ['c3'], { id: 'now', dedupeKey: 'k3', dueAt: t0 });
    await seedMessages(temp.store, ['c3'], { id: 'held', dedupeKey: 'k4', status: 'held_out' });
    const first = await claimDue(temp.store, { now: t0, leaseMs: 60_000, limit: 10 });
    expect(first.map((m) => m.id)).toEqual(['old', 'now']);
    expect(first[0]).toMatchObject({
      leaseUntil: t0 + 60_000,
      attempts: 0,
      afterAmbiguous: false,
      claims: 1,
    });
    expect(await claimDue(temp.store, { now: t0 + 59_999, leaseMs: 60_000, limit: 10 })).toEqual([
      expect.objectContaining({ id: 'late' }),
    ]);
    expect(await claimLapsed(temp.store, { now: t0 + 59_999, leaseMs: 60_000 })).toBeUndefined();
    // Lapsed before their sends started: not due in bulk, handed back one by one, counted.
    const lease = { now: t0 + 60_000, leaseMs: 60_000 };
    expect(await claimDue(temp.store, { ...lease, limit: 10 })).toEqual([]);
    expect(await claimLapsed(temp.store, lease)).toMatchObject({
      id: 'old',
      claims: 2,
      afterAmbiguous: false,
    });
    expect(await claimLapsed(temp.store, lease)).toMatchObject({ id: 'now', claims: 2, attempts: 0 });
    expect(await claimLapsed(temp.store, lease)).toBeUndefined();
  });

  it('ignores a result from a sender whose lease was taken over', async () => {
    const [id] = await seedMessages(temp.store, await seedCustomers(temp.store, 1));
    const [stale] = await claimDue(temp.store, { now: t0, leaseMs: 1000, limit: 1 });
    const fresh = await claimLapsed(temp.store, { now: t0 + 2000, leaseMs: 1000 });
    // The old owner may not even start its send any more.
    expect(await markSendsStarted(temp.store, [stale!], t0 + 2050)).toEqual([]);
    await temp.store.batch([sentStatement(temp.store, fresh!, 'new-owner', t0 + 2100)]);
    await temp.store.batch([sentStatement(temp.store, stale!, 'old-owner', t0 + 2200)]);
    const [row] = await temp.store.db.select().from(messages).where(eq(messages.id, id!));
    expect(row).toMatchObject({ status: 'sent', providerMessageId: 'new-owner', attempts: 1 });
  });

  it('turns a send in flight when its sender died into the one ambiguous retry; a claim never started is not one', async () => {
    await seedMessages(temp.store, await seedCustomers(temp.store, 2));
    const claimed = await claimDue(temp.store, { now: t0, leaseMs: 1000, limit: 5 });
    // m00001 went on the wire, then the sender was killed; m00002 was claimed but never started.
    expect(await markSendsStarted(temp.store, [claimed[0]!], t0 + 10)).toEqual(['m00001']);

    const transport = createMemoryTransport();
    const counts = await drainOutbox(await deliveryOptions(temp.store, transport, { now: () => t0 + 1000 }));
    expect(counts).toMatchObject({ claimed: 2, sent: 2, failed: 0 });
    const rows = await temp.store.db.select().from(messages).orderBy(messages.id);
    // The interrupted attempt counts; the resend is on record, for the report.
    expect(rows[0]).toMatchObject({ status: 'sent', attempts: 2, resentAt: t0 + 1000, sendStartedAt: null });
    expect(rows[1]).toMatchObject({ status: 'sent', attempts: 1, resentAt: null });

    // Had the resend been interrupted too, there would be no third.
    await seedMessages(temp.store, ['c1'], { id: 'again', dedupeKey: 'k-again' });
    const [retry] = await claimDue(temp.store, { now: t0 + 2000, leaseMs: 1000, limit: 1 });
    await markSendsStarted(temp.store, [retry!], t0 + 2010);
    const [resend] = await claimDue(temp.store, { now: t0 + 3000, leaseMs: 1000, limit: 1 });
    expect(resend).toMatchObject({ id: 'again', afterAmbiguous: true, attempts: 1 });
    await markSendsStarted(temp.store, [resend!], t0 + 3010);
    expect(await failInterruptedRetries(temp.store, t0 + 4000)).toBe(1);
    const [failed] = await temp.store.db.select().from(messages).where(eq(messages.id, 'again'));
    expect(failed).toMatchObject({ status: 'failed', resentAt: t0 + 3010 });
  });

  it('fails an ambiguous retry whose sender died during it, but owes one that never started its retry still', async () => {
    await seedCustomers(temp.store, 3);
    for (const [id, customer] of [
      ['retrying', 'c1'],
      ['unstarted', 'c2'],
      ['waiting', 'c3'],
    ] as const) {
      await seedMessages(temp.store, [customer], { id, dedupeKey: id, status: 'ambiguous', attempts: 1 });
    }
    await temp.store.db
      .update(messages)
      .set({ dueAt: t0 + 1 })
      .where(eq(messages.id, 'waiting'));
    // Both retries are claimed; the sender dies after starting one of them.
    const claimed = await claimDue(temp.store, { now: t0, leaseMs: 1000, limit: 5 });
    expect(claimed.map((m) => [m.id, m.afterAmbiguous])).toEqual([
      ['retrying', true],
      ['unstarted', true],
    ]);
    await markSendsStarted(temp.store, [claimed[0]!], t0 + 10);
    expect(await statuses(temp.store)).toEqual({
      retrying: 'ambiguous',
      unstarted: 'ambiguous',
      waiting: 'ambiguous',
    });
    expect(await failInterruptedRetries(temp.store, t0 + 500)).toBe(0);

    const transport = createMemoryTransport();
    const counts = await drainOutbox(await deliveryOptions(temp.store, transport, { now: () => t0 + 1000 }));
    expect(counts).toMatchObject({ failed: 1, sent: 2, claimed: 2 });
    expect(await statuses(temp.store)).toEqual({ retrying: 'failed', unstarted: 'sent', waiting: 'sent' });
    expect(transport.sent.map((m) => m.envelope.to).sort()).toEqual(['c2@example.com', 'c3@example.com']);
  });
});
