import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { matchDormant } from '../../../src/core/triggers/dormant.ts';
import { openLibsqlStore } from '../../../src/db/libsql.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, noAudience, shopSettings } from '../support/campaign-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const day = 86_400_000;
const now = Date.parse('2026-11-23T12:00:00Z');
let temp: TempStore;

beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

async function customer(id: string, extra: Record<string, unknown> = {}) {
  const record = ingestSchemas.customers.parse({
    id,
    email: `${id}@example.com`,
    marketing_consent: true,
    timezone: 'Europe/London',
    ...extra,
  });
  await ingestRecords({ store: temp.store }, { kind: 'customers', records: [record], now });
}

async function order(id: string, customerId: string, daysAgo: number, status = 'paid', total = '50.00') {
  const record = ingestSchemas.orders.parse({
    id,
    customer_id: customerId,
    placed_at: new Date(now - daysAgo * day).toISOString(),
    status,
    currency: 'GBP',
    total,
  });
  await ingestRecords({ store: temp.store }, { kind: 'orders', records: [record], now });
}

function sweep(campaigns: Campaign[], options: { dryRun?: boolean; at?: number; explain?: string } = {}) {
  return runSweep({
    store: temp.store,
    campaigns: { settings: shopSettings(), campaigns },
    now: options.at ?? now,
    dryRun: options.dryRun ?? false,
    explainCustomer: options.explain,
    pageSize: 2,
  });
}

async function messages() {
  return temp.store.db.all<{ customer_id: string; campaign_id: string; status: string; dedupe_key: string }>(
    sql`select customer_id, campaign_id, status, dedupe_key from messages order by customer_id, campaign_id`,
  );
}

describe('dormant sweep', () => {
  beforeEach(async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) await customer(id);
    await order('o-a', 'a', 91); // dormant
    await order('o-b', 'b', 90); // exactly 90 days: not yet
    await order('o-c', 'c', 200);
    await order('o-c2', 'c', 10, 'cancelled'); // a cancelled order is not a purchase: still dormant
    await order('o-d', 'd', 400); // beyond max_days
    await order('o-e', 'e', 120);
    await order('o-e2', 'e', 5); // bought again: not dormant
    // f never bought
  });

  it('schedules one message per dormant customer, across pages', async () => {
    const result = await sweep([dormantCampaign()]);
    expect((await messages()).map((m) => m.customer_id)).toEqual(['a', 'c']);
    expect(result.campaigns[0]).toMatchObject({ eligible: 2, scheduled: 2, heldOut: 0 });
  });

  it("replays history: a purchase after the sweep's now does not end an episode at that now", async () => {
    // Swept as of 10 days ago: e had been idle for 110 days (its order of 5 days
    // ago had not happened yet), a only for 81.
    await sweep([dormantCampaign()], { at: now - 10 * day });
    expect((await messages()).map((m) => m.customer_id)).toEqual(['c', 'e']);
  });

  it("gives each message an id carrying the sweep's now, not the wall clock", async () => {
    // Swept as of 10 days ago: the UUIDv7 time field of every new id says so.
    const at = now - 10 * day;
    await sweep([dormantCampaign()], { at });
    const rows = await temp.store.db.all<{ id: string; created_at: number }>(
      sql`select id, created_at from messages order by id`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Number.parseInt(row.id.replace('-', '').slice(0, 12), 16)).toBe(at);
      expect(row.created_at).toBe(at);
    }
  });

  it('a dry run reports the same and writes nothing', async () => {
    const result = await sweep([dormantCampaign()], { dryRun: true });
    expect(result.campaigns[0]).toMatchObject({ eligible: 2, scheduled: 2 });
    expect(await messages()).toEqual([]);
  });

  it('a second sweep schedules nothing new', async () => {
    await sweep([dormantCampaign()]);
    const second = await sweep([dormantCampaign()]);
    expect(second.campaigns[0]).toMatchObject({ eligible: 0, scheduled: 0, skipped: { alreadyMessaged: 2 } });
    expect(await messages()).toHaveLength(2);
  });

  it('a day later only the customer who crossed the line is new', async () => {
    await sweep([dormantCampaign()]);
    const next = await sweep([dormantCampaign()], { at: now + day });
    expect(next.campaigns[0]).toMatchObject({ eligible: 1, scheduled: 1, skipped: { alreadyMessaged: 2 } });
    expect((await messages()).map((m) => m.customer_id)).toEqual(['a', 'b', 'c']);
  });

  it('two concurrent sweeps on two connections write each message once', async () => {
    const other = await openLibsqlStore({ url: temp.url });
    try {
      const settings = shopSettings();
      const run = (store: typeof temp.store) =>
        runSweep({
          store,
          campaigns: { settings, campaigns: [dormantCampaign()] },
          now,
          dryRun: false,
          pageSize: 1,
        });
      const [first, second] = await Promise.all([run(temp.store), run(other)]);
      const rows = await messages();
      expect(rows).toHaveLength(2);
      expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(2);
      expect(first.campaigns[0]!.scheduled + second.campaigns[0]!.scheduled).toBe(2);
    } finally {
      await other.close();
    }
  });

  it('a new purchase ends the episode and a later lapse starts a new one', async () => {
    await sweep([dormantCampaign({ cooldownDays: 0 })]);
    await order('o-a2', 'a', -10); // buys again 10 days from now
    const later = now + 120 * day;
    await sweep([dormantCampaign({ cooldownDays: 0 })], { at: later });
    const rows = (await messages()).filter((m) => m.customer_id === 'a');
    expect(rows).toHaveLength(2);
  });

  it('excludes unsubscribed customers and customers without consent, and says so', async () => {
    await temp.store.db.run(sql`update customers set suppressed_at = 1 where id = 'a'`);
    await customer('c', { marketing_consent: false });
    const result = await sweep([dormantCampaign()]);
    expect(result.campaigns[0]!.excluded).toEqual({ suppressed: 1, no_consent: 1 });
    expect(await messages()).toEqual([]);
  });

  it('one campaign per customer per sweep, highest priority first', async () => {
    const low = dormantCampaign({ id: 'gentle', priority: 10 });
    const high = dormantCampaign({ id: 'urgent', priority: 90 });
    const result = await sweep([low, high]);
    expect((await messages()).map((m) => m.campaign_id)).toEqual(['urgent', 'urgent']);
    expect(result.campaigns.find((c) => c.campaignId === 'gentle')!.excluded).toEqual({ priority: 2 });
  });

  it('the frequency cap defers a message to the next free slot', async () => {
    const other = dormantCampaign({ id: 'other', cooldownDays: 0 });
    await sweep([other]);
    const result = await sweep([dormantCampaign()], { at: now + day });
    // a and c were mailed by `other` a day ago: deferred until 3 days after that;
    // b crossed the 90-day line today and has no other mail.
    expect(result.campaigns[0]).toMatchObject({ scheduled: 3, deferred: 2 });
    const due = await temp.store.db.all<{ customer_id: string; due_at: number }>(
      sql`select customer_id, due_at from messages where campaign_id = 'winback' order by customer_id`,
    );
    expect(due).toEqual([
      { customer_id: 'a', due_at: now + 3 * day },
      { customer_id: 'b', due_at: now + day },
      { customer_id: 'c', due_at: now + 3 * day },
    ]);
  });

  it('the frequency cap drops when the campaign says so', async () => {
    await sweep([dormantCampaign({ id: 'other' })]);
    const result = await sweep([dormantCampaign({ onFrequencyCap: 'drop' })], { at: now + day });
    expect(result.campaigns[0]!.excluded).toEqual({ frequency_cap: 2 });
  });

  it('cooldown keeps a campaign from mailing the same customer again too soon', async () => {
    await sweep([dormantCampaign({ cooldownDays: 100 })]);
    await order('o-a2', 'a', -1); // a buys tomorrow and lapses again 91 days later: a new episode
    const result = await sweep([dormantCampaign({ cooldownDays: 100 })], { at: now + 92 * day });
    expect(result.campaigns[0]!.excluded).toMatchObject({ cooldown: 1 });
  });

  it('holdout records held_out messages for a stable share', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `h${i}`);
    for (const id of ids) {
      await customer(id);
      await order(`o-${id}`, id, 100);
    }
    const result = await sweep([dormantCampaign({ holdoutPercent: 50 })]);
    const report = result.campaigns[0]!;
    expect(report.heldOut).toBeGreaterThan(5);
    expect(report.scheduled).toBeGreaterThan(5);
    expect(report.heldOut + report.scheduled).toBe(42);
    const statuses = await temp.store.db.all<{ status: string; n: number }>(
      sql`select status, count(*) as n from messages group by status order by status`,
    );
    expect(statuses).toEqual([
      { status: 'held_out', n: report.heldOut },
      { status: 'scheduled', n: report.scheduled },
    ]);
  });

  it('applies audience filters in SQL facts', async () => {
    await order('o-c3', 'c', 150, 'paid', '500.00');
    const rich: Campaign = dormantCampaign({ audience: { ...noAudience, minTotalSpent: { GBP: 10_000 } } });
    const result = await sweep([rich]);
    expect((await messages()).map((m) => m.customer_id)).toEqual(['c']);
    expect(result.campaigns[0]!.excluded).toEqual({ audience: 1 });
  });

  it('the send window delays to the next allowed time in the customer zone', async () => {
    const windowed = dormantCampaign({ sendWindow: { startMinute: 9 * 60, endMinute: 17 * 60, days: [] } });
    const evening = Date.parse('2026-11-23T19:00:00Z');
    await sweep([windowed], { at: evening });
    const due = await temp.store.db.all<{ due_at: number }>(sql`select distinct due_at from messages`);
    expect(due).toEqual([{ due_at: Date.parse('2026-11-24T09:00:00Z') }]);
  });

  it('SQL agrees with the pure rule for every customer', async () => {
    const trigger = { type: 'dormant' as const, days: 30, maxDays: 300, minOrders: 2, cadenceFactor: 1.5 };
    for (let i = 0; i < 30; i++) {
      await customer(`p${i}`);
      for (let k = 0; k < (i % 4) + 1; k++) await order(`p${i}-${k}`, `p${i}`, 20 + i * 7 + k * (i % 5) * 11);
    }
    await sweep([dormantCampaign({ trigger, cooldownDays: 0 })]);
    const sqlIds = (await messages()).map((m) => m.customer_id).sort();
    const facts = await temp.store.db.all<{
      id: string;
      n: number;
      first_at: number | null;
      last_at: number | null;
    }>(
      sql`select c.id, count(o.id) as n, min(o.placed_at) as first_at, max(o.placed_at) as last_at
          from customers c left join orders o on o.customer_id = c.id and o.status = 'paid' group by c.id`,
    );
    const pureIds = facts
      .filter(
        (f) =>
          matchDormant(
            trigger,
            { purchases: f.n, firstPurchaseAt: f.first_at, lastPurchaseAt: f.last_at },
            now,
          ).match,
      )
      .map((f) => f.id)
      .sort();
    expect(sqlIds).toEqual(pureIds);
    expect(pureIds.length).toBeGreaterThan(3);
  });

  it('explains the decision for one customer', async () => {
    await temp.store.db.run(sql`update customers set marketing_consent = 0 where id = 'c'`);
    const result = await sweep([dormantCampaign()], { dryRun: true, explain: 'c' });
    expect(result.explanations).toEqual([
      expect.objectContaining({ outcome: 'excluded', rule: 'no_consent' }),
    ]);
  });
});
