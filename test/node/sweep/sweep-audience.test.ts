// Scheduled audience sends on a real libSQL file: everyone the audience
// matches at the send time gets one message, spread at per_hour; a rerun at
// the same send time writes nothing new, a sweep past catch_up_hours nothing
// at all, and each time of a recurring send is a send of its own.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AudienceSendTrigger, Campaign } from '../../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { audienceSendRef } from '../../../src/core/triggers/trigger-ref.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, shopSettings } from '../support/campaign-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const hour = 3_600_000;
const day = 24 * hour;
// A Thursday.
const sendTime = Date.parse('2026-11-26T09:00:00Z');
const settings = shopSettings({ frequencyCap: { maxMessages: 100, perDays: 1 } });
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

function earlyAccess(
  trigger: Partial<AudienceSendTrigger> = {},
  overrides: Partial<Campaign> = {},
): Campaign {
  return dormantCampaign({
    id: 'early',
    priority: 60,
    cooldownDays: 0,
    trigger: {
      type: 'audience',
      sendAt: { at: sendTime },
      idleDays: { min: 60, max: 365 },
      perHour: null,
      catchUpHours: 24,
      ...trigger,
    },
    ...overrides,
  });
}

/** Customers c00..c(n-1), the i-th last bought `idle(i)` days before the send. */
async function shop(n: number, idle: (i: number) => number | null) {
  const ids = Array.from({ length: n }, (_, i) => `c${String(i).padStart(2, '0')}`);
  await ingestRecords(
    { store: temp.store },
    {
      kind: 'customers',
      records: ids.map((id) =>
        ingestSchemas.customers.parse({ id, email: `${id}@example.com`, marketing_consent: true }),
      ),
      now: sendTime - 400 * day,
    },
  );
  const orders = ids.flatMap((id, i) => {
    const days = idle(i);
    return days === null
      ? []
      : [
          ingestSchemas.orders.parse({
            id: `o-${id}`,
            customer_id: id,
            placed_at: new Date(sendTime - days * day).toISOString(),
            currency: 'GBP',
            total: '30.00',
          }),
        ];
  });
  await ingestRecords({ store: temp.store }, { kind: 'orders', records: orders, now: sendTime - day });
  return ids;
}

const sweep = (now: number, campaign: Campaign, pageSize = 4) =>
  runSweep({
    store: temp.store,
    campaigns: { settings, campaigns: [campaign] },
    now,
    dryRun: false,
    pageSize,
  });

const outbox = () =>
  temp.store.db.all<{ customer_id: string; trigger_ref: string; due_at: number; status: string }>(
    sql`SELECT customer_id, trigger_ref, due_at, status FROM messages ORDER BY due_at, customer_id`,
  );

describe('audience sends', () => {
  it('mails everyone idle 60 to 365 days at the send, once, however often it is swept', async () => {
    // 30, 59, 60, 200, 365, 366 days idle, and one who never bought.
    const idle = [30, 59, 60, 200, 365, 366, null];
    await shop(idle.length, (i) => idle[i]!);
    expect((await sweep(sendTime - 1, earlyAccess())).campaigns[0]).toMatchObject({ eligible: 0 });
    const first = await sweep(sendTime + hour, earlyAccess());
    expect(first.campaigns[0]).toMatchObject({ eligible: 3, scheduled: 3 });
    const ref = audienceSendRef(sendTime);
    expect((await outbox()).map((m) => [m.customer_id, m.trigger_ref])).toEqual([
      ['c02', ref],
      ['c03', ref],
      ['c04', ref],
    ]);
    const again = await sweep(sendTime + 2 * hour, earlyAccess());
    expect(again.campaigns[0]).toMatchObject({ scheduled: 0, skipped: { alreadyMessaged: 3 } });
    // Past catch_up_hours the send is not made at all (a sweep that was down for days sends no stale sale).
    await temp.store.db.run(sql`DELETE FROM messages`);
    expect((await sweep(sendTime + 25 * hour, earlyAccess())).campaigns[0]).toMatchObject({ eligible: 0 });
    expect(await outbox()).toEqual([]);
  });

  it('spreads the send at per_hour, in customer order, and a rerun goes on after what was written', async () => {
    await shop(10, () => 100);
    const campaign = earlyAccess({ perHour: 4 });
    await sweep(sendTime, campaign, 3);
    const dues = (await outbox()).map((m) => (m.due_at - sendTime) / (hour / 4));
    expect(dues).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // One more customer matches later: their message comes after the ten.
    await ingestRecords(
      { store: temp.store },
      {
        kind: 'customers',
        records: [
          ingestSchemas.customers.parse({ id: 'b-late', email: 'late@example.com', marketing_consent: true }),
        ],
        now: sendTime,
      },
    );
    await ingestRecords(
      { store: temp.store },
      {
        kind: 'orders',
        records: [
          ingestSchemas.orders.parse({
            id: 'o-late',
            customer_id: 'b-late',
            placed_at: new Date(sendTime - 100 * day).toISOString(),
            currency: 'GBP',
            total: '30.00',
          }),
        ],
        now: sendTime,
      },
    );
    await sweep(sendTime + 10 * 60_000, campaign);
    const late = (await outbox()).find((m) => m.customer_id === 'b-late');
    expect(late && (late.due_at - sendTime) / (hour / 4)).toBe(10);
  });

  it('each time of a recurring send is a send of its own, which the cooldown can space', async () => {
    await shop(2, () => 100);
    const weekly = earlyAccess({ sendAt: { cron: '0 9 * * 4' } });
    await sweep(sendTime + hour, weekly);
    await sweep(sendTime + 7 * day + hour, weekly);
    expect((await outbox()).map((m) => m.trigger_ref)).toEqual([
      audienceSendRef(sendTime),
      audienceSendRef(sendTime),
      audienceSendRef(sendTime + 7 * day),
      audienceSendRef(sendTime + 7 * day),
    ]);
    await temp.store.db.run(sql`DELETE FROM messages`);
    const spaced = earlyAccess({ sendAt: { cron: '0 9 * * 4' } }, { cooldownDays: 28 });
    await sweep(sendTime + hour, spaced);
    const second = await sweep(sendTime + 7 * day + hour, spaced);
    expect(second.campaigns[0]).toMatchObject({ eligible: 2, excluded: { cooldown: 2 } });
  });
});
