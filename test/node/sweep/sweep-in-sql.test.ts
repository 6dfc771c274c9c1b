// The sweep deciding in SQL (src/services/sweep/decide-in-sql.ts) against the
// rules in JS (decideIn: 'js', the reference): over the same randomly drawn
// shops, both must write exactly the same messages (key, status, due time,
// offer currency) and report exactly the same counts, in real sweeps, dry runs
// and reruns, with every rule in play: consent, the hashed suppression list,
// audiences, offer currencies, exclude_if_messaged_by, priority against a
// campaign decided in JS, the frequency cap (its deferrals handed back to JS),
// cooldown, the offer rule, holdout and send windows in several zones.
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Campaign, ShopSettings } from '../../../src/core/campaigns/types.ts';
import { hashEmail } from '../../../src/core/email-hash.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { holdoutBucket, holdoutBucketOf, stableHash } from '../../../src/core/selection/holdout.ts';
import type { Store } from '../../../src/db/store.ts';
import { fillCustomerHashes } from '../../../src/db/sweeps/customer-hashes.ts';
import { dropRun, holdoutBucketSql, startRun } from '../../../src/db/sweeps/dormant-decisions.ts';
import {
  messageIdInSequenceSql,
  messageIdPrefix,
  sequencesInOrder,
} from '../../../src/db/sweeps/message-id-sql.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { offerCurrencies } from '../../../src/services/sweep/decide-in-sql.ts';
import { runSweep, type SweepOptions } from '../../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, noAudience, shopSettings, winbackOffer } from '../support/campaign-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const hour = 3_600_000;
const day = 24 * hour;
const now = Date.parse('2026-11-23T12:00:00Z');
const opened: TempStore[] = [];
afterEach(async () => {
  for (const temp of opened.splice(0)) await temp.cleanup();
});

/** mulberry32: the same shop from the same seed. */
function randomFrom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

const settings: ShopSettings = shopSettings({
  frequencyCap: { maxMessages: 2, perDays: 7 },
  quietHours: { startMinute: 21 * 60, endMinute: 8 * 60 },
  offers: { minDaysBetweenCoupons: 30, whileUnredeemed: true },
});

const window = { startMinute: 9 * 60, endMinute: 20 * 60, days: [] };
const campaigns: Campaign[] = [
  dormantCampaign({
    id: 'winback',
    holdoutPercent: 10,
    sendWindow: window,
    audience: { ...noAudience, tagsNone: ['wholesale'] },
    steps: [
      {
        index: 0,
        delayHours: 0,
        email: { template: 'winback.mjml', subject: 'Hi' },
        offer: { ...winbackOffer, minSubtotal: { GBP: 4000, EUR: 4500 } },
      },
    ],
  }),
  dormantCampaign({
    id: 'vip',
    priority: 70,
    holdoutPercent: 20,
    cooldownDays: 30,
    onFrequencyCap: 'drop',
    trigger: { type: 'dormant', days: 60, maxDays: null, minOrders: 1, cadenceFactor: null },
    audience: { ...noAudience, countries: ['GB', 'FR'], minOrders: 2, tagsAny: ['vip', 'gold'] },
  }),
  dormantCampaign({
    id: 'lapsed',
    priority: 40,
    onFrequencyCap: 'drop',
    trigger: { type: 'dormant', days: 30, maxDays: 900, minOrders: 2, cadenceFactor: 2 },
    excludeIfMessagedBy: { campaigns: ['winback'], withinDays: 45 },
    sendWindow: { startMinute: 10 * 60, endMinute: 12 * 60, days: ['mon', 'wed'] },
  }),
  {
    ...dormantCampaign({ id: 'cart', priority: 80, cooldownDays: 0 }),
    trigger: { type: 'abandoned_cart', minCartValue: null },
    steps: [{ index: 0, delayHours: 1, email: { template: 'cart-1.mjml', subject: 'Cart' }, offer: null }],
  },
];

const zones = ['Europe/London', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney', null];

/** A shop of `size` customers drawn from the seed, with orders, carts, earlier messages and suppressions. */
async function seedShop(store: Store, seed: number, size: number): Promise<void> {
  const r = randomFrom(seed);
  const customers = [];
  const orders = [];
  const carts = [];
  const messages: unknown[][] = [];
  const suppressed: string[] = [];
  for (let i = 0; i < size; i++) {
    const id = `c${String(i).padStart(4, '0')}`;
    const email = r.next() < 0.04 ? null : `${id}@example.com`;
    customers.push(
      ingestSchemas.customers.parse({
        id,
        email,
        marketing_consent: r.next() < 0.8,
        timezone: r.pick(zones),
        country: r.pick(['GB', 'FR', 'US', null]),
        tags: r.next() < 0.3 ? [r.pick(['vip', 'gold', 'wholesale', 'new'])] : [],
      }),
    );
    if (email && r.next() < 0.05) suppressed.push(await hashEmail(email));
    const count = Math.floor(r.next() * 4);
    const currency = r.pick(['GBP', 'GBP', 'EUR', 'USD']);
    for (let k = 0; k < count; k++) {
      orders.push(
        ingestSchemas.orders.parse({
          id: `o-${id}-${k}`,
          customer_id: id,
          placed_at: new Date(now - Math.floor(r.next() * 500 + 1) * day).toISOString(),
          status: r.next() < 0.9 ? 'paid' : 'refunded',
          currency,
          total: '50.00',
        }),
      );
    }
    if (r.next() < 0.1) {
      carts.push(
        ingestSchemas.carts.parse({
          id: `cart-${id}`,
          customer_id: id,
          email,
          currency: 'GBP',
          last_activity_at: new Date(now - 3 * hour).toISOString(),
          items: [{ product_id: 'p1', quantity: 1, unit_price: '30.00' }],
        }),
      );
    }
    // Earlier messages: some inside the cap's window, some coupons, some old winbacks.
    const earlier = Math.floor(r.next() * 4);
    for (let k = 0; k < earlier; k++) {
      const campaign = r.pick(['winback', 'vip', 'other']);
      const dueAt = now + Math.floor((r.next() < 0.5 ? r.next() * 12 - 8 : r.next() * 80 - 70) * day);
      const status = r.pick(['sent', 'sent', 'scheduled', 'cancelled', 'held_out']);
      const offer = r.next() < 0.4 ? 'GBP' : null;
      messages.push([
        `m-${id}-${k}`,
        `${campaign}:0:${id}:seed${k}`,
        campaign,
        id,
        email,
        status,
        offer,
        dueAt,
      ]);
    }
  }
  await ingestRecords({ store }, { kind: 'customers', records: customers, now: now - 600 * day });
  await ingestRecords({ store }, { kind: 'orders', records: orders, now: now - day });
  await ingestRecords({ store }, { kind: 'carts', records: carts, now: now - 3 * hour });
  for (const [id, key, campaign, customer, email, status, offer, dueAt] of messages) {
    await store.db.run(sql`INSERT INTO messages (id, dedupe_key, campaign_id, step, customer_id, email,
      trigger_kind, trigger_ref, status, offer_currency, due_at, created_at, updated_at)
      VALUES (${id}, ${key}, ${campaign}, 0, ${customer}, ${email}, 'dormant', 'seed', ${status}, ${offer},
        ${dueAt}, ${dueAt}, ${dueAt})`);
  }
  for (const hash of suppressed) {
    await store.db.run(
      sql`INSERT INTO suppressions (email_hash, reason, created_at) VALUES (${hash}, 'unsubscribed', ${now})`,
    );
  }
}

/** The sweep runs' scratch tables in the database, by name. */
async function runTables(store: Store): Promise<string[]> {
  const rows = await store.db.all<{ name: string }>(
    sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sweep_run_%' ORDER BY name`,
  );
  return rows.map((row) => row.name);
}

async function outbox(store: Store) {
  return store.db.all(sql`SELECT dedupe_key, campaign_id, step, customer_id, email, trigger_kind, trigger_ref,
      status, offer_currency, due_at, created_at, coupon_code FROM messages ORDER BY dedupe_key`);
}

async function twoShops(seed: number, size: number): Promise<[Store, Store]> {
  const a = await openTempStore();
  const b = await openTempStore();
  opened.push(a, b);
  await seedShop(a.store, seed, size);
  await seedShop(b.store, seed, size);
  return [a.store, b.store];
}

function sweep(store: Store, decideIn: 'js' | 'auto', extra: Partial<SweepOptions> = {}) {
  return runSweep({
    store,
    campaigns: { settings, campaigns },
    now,
    dryRun: false,
    decideIn,
    pageSize: 37,
    ...extra,
  });
}

describe('the sweep decided in SQL agrees with the rules in JS', () => {
  for (const seed of [1, 2, 3]) {
    it(`writes the same messages and counts the same (shop ${seed})`, async () => {
      const [js, inSql] = await twoShops(seed, 300);
      const dryJs = await sweep(js, 'js', { dryRun: true });
      const dryInSql = await sweep(inSql, 'auto', { dryRun: true });
      expect(dryInSql.campaigns).toEqual(dryJs.campaigns);

      const realJs = await sweep(js, 'js');
      const realInSql = await sweep(inSql, 'auto');
      expect(realInSql.campaigns).toEqual(realJs.campaigns);
      const written = await outbox(js);
      expect(await outbox(inSql)).toEqual(written);
      // The shop exercises the rules: something of each outcome.
      const counts = realJs.campaigns.find((c) => c.campaignId === 'winback')!;
      expect(counts.scheduled).toBeGreaterThan(0);
      expect(counts.heldOut).toBeGreaterThan(0);
      expect(counts.deferred).toBeGreaterThan(0);
      const excluded = realJs.campaigns.flatMap((c) => Object.keys(c.excluded));
      for (const rule of [
        'suppressed',
        'no_consent',
        'audience',
        'priority',
        'frequency_cap',
        'cooldown',
        'offer_rule',
      ])
        expect(excluded).toContain(rule);

      // A rerun writes nothing new, and says so the same way; so does one a week on. A
      // customer a higher campaign already messaged stays its own: no lower one gets them now.
      expect((await sweep(inSql, 'auto')).campaigns).toEqual((await sweep(js, 'js')).campaigns);
      expect(await outbox(js)).toEqual(written);
      expect(await outbox(inSql)).toEqual(written);
      const later = { now: now + 7 * day };
      expect((await sweep(inSql, 'auto', later)).campaigns).toEqual((await sweep(js, 'js', later)).campaigns);
      expect(await outbox(inSql)).toEqual(await outbox(js));
      // The scratch tables are gone with their runs.
      expect(await runTables(inSql)).toEqual([]);
    });
  }

  it("drops a crashed run's scratch table after an hour, and leaves one a run still going uses", async () => {
    const [, inSql] = await twoShops(5, 40);
    const wall = Date.now();
    const going = await startRun(inSql, wall - 10 * 60_000);
    const crashed = await startRun(inSql, wall - 2 * hour);
    expect(await runTables(inSql)).toEqual([crashed, going].sort());
    await sweep(inSql, 'auto');
    expect(await runTables(inSql)).toEqual([going]);
    await dropRun(inSql, going);
    await dropRun(inSql, going);
    expect(await runTables(inSql)).toEqual([]);
  });

  it('a dry run fills no hashes: customers without them are decided in JS, the same way', async () => {
    const [js, inSql] = await twoShops(4, 120);
    const dry = await sweep(inSql, 'auto', { dryRun: true });
    expect(dry.campaigns).toEqual((await sweep(js, 'js', { dryRun: true })).campaigns);
    const [unhashed] = await inSql.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM customers WHERE key_hash IS NULL`,
    );
    expect(unhashed?.n).toBe(120);
  });
});

describe('the hashes SQL reads', () => {
  it('holdoutBucket and its SQL form agree on the stored key hash', async () => {
    const temp = await openTempStore();
    opened.push(temp);
    const keys = [
      'c1',
      '820982911946154508',
      'x'.repeat(40),
      'ü-ñ',
      ...Array.from({ length: 200 }, (_, i) => `k${i}`),
    ];
    const campaignHash = stableHash('winback');
    const rows = await temp.store.db.all<{ key: string; bucket: number }>(sql`
      SELECT j.value ->> 0 AS key, ${holdoutBucketSql(sql`(j.value ->> 1)`, campaignHash)} AS bucket
      FROM json_each(${JSON.stringify(keys.map((key) => [key, stableHash(key)]))}) j`);
    for (const row of rows) {
      expect(row.bucket).toBe(holdoutBucket('winback', row.key));
      expect(row.bucket).toBe(holdoutBucketOf(stableHash(row.key), campaignHash));
    }
    expect(rows).toHaveLength(keys.length);
  });

  it('buckets spread evenly and two campaigns draw independently', () => {
    const counts = new Array(10).fill(0);
    let both = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const a = holdoutBucket('winback', `c${i}`);
      counts[Math.floor(a / 1000)]++;
      if (a < 5000 && holdoutBucket('vip', `c${i}`) < 5000) both++;
    }
    // Chi-square over ten bins, 9 degrees of freedom: 27.9 is the 0.1% critical value.
    const chi = counts.reduce((sum, c) => sum + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi).toBeLessThan(27.9);
    expect(both / n).toBeGreaterThan(0.24);
    expect(both / n).toBeLessThan(0.26);
  });

  it('fills key and address hashes, and a changed address loses its hash until the next fill', async () => {
    const temp = await openTempStore();
    opened.push(temp);
    const { store } = temp;
    const parse = (email: string | null) => ingestSchemas.customers.parse({ id: 'c1', email });
    await ingestRecords({ store }, { kind: 'customers', records: [parse('a@example.com')], now });
    expect(await fillCustomerHashes(store)).toBe(1);
    const read = async () =>
      (
        await store.db.all<{ key_hash: number | null; email_hash: string | null }>(
          sql`SELECT key_hash, email_hash FROM customers WHERE id = 'c1'`,
        )
      )[0]!;
    expect(await read()).toEqual({
      key_hash: stableHash('c1'),
      email_hash: await hashEmail('a@example.com'),
    });
    expect(await fillCustomerHashes(store)).toBe(0);
    await ingestRecords({ store }, { kind: 'customers', records: [parse('b@example.com')], now: now + 1 });
    expect(await read()).toEqual({ key_hash: stableHash('c1'), email_hash: null });
    expect(await fillCustomerHashes(store)).toBe(1);
    expect((await read()).email_hash).toBe(await hashEmail('b@example.com'));
  });

  it('message ids made in SQL are version 7 UUIDs carrying the sweep time, all distinct, in order', async () => {
    const temp = await openTempStore();
    opened.push(temp);
    const idsOf = (sequence: number) =>
      temp.store.db.all<{ id: string }>(sql`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
      SELECT ${messageIdInSequenceSql(messageIdPrefix(now), sequence, sql`i`)} AS id FROM n ORDER BY i`);
    const rows = [...(await idsOf(0)), ...(await idsOf(1)), ...(await idsOf(sequencesInOrder + 2))];
    const time = now.toString(16).padStart(12, '0');
    for (const { id } of rows) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(id.replaceAll('-', '').slice(0, 12)).toBe(time);
    }
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    // Row by row and statement by statement, each id sorts after the one before (until the sequences wrap).
    const ordered = rows.slice(0, 4000).map((row) => row.id);
    expect([...ordered].sort()).toEqual(ordered);
  });

  it("a sweep's outbox ids follow its pages: within a status, in customer order", async () => {
    const [, inSql] = await twoShops(6, 400);
    // One campaign decided in SQL (the cart trigger and capped hits are JS's, with random ids).
    await sweep(inSql, 'auto', {
      pageSize: 9,
      campaigns: {
        settings: { ...settings, frequencyCap: { maxMessages: 50, perDays: 7 } },
        campaigns: [campaigns[0]!],
      },
    });
    const rows = await inSql.db.all<{ id: string; customer_id: string; status: string }>(
      // This sweep's (the shop's history has messages of its own).
      sql`SELECT id, customer_id, status FROM messages
        WHERE campaign_id = 'winback' AND id LIKE ${`${messageIdPrefix(now)}%`} ORDER BY id`,
    );
    expect(rows.length).toBeGreaterThan(25);
    for (const status of ['scheduled', 'held_out']) {
      const customers = rows.filter((row) => row.status === status).map((row) => row.customer_id);
      expect(customers.length).toBeGreaterThan(0);
      expect([...customers].sort()).toEqual(customers);
    }
  });

  it('offer currencies are those offerGap finds a figure in', () => {
    const withOffer = (offer: Campaign['steps'][number]['offer']) =>
      dormantCampaign({
        steps: [{ index: 0, delayHours: 0, email: { template: 'w', subject: 's' }, offer }],
      });
    expect(offerCurrencies(withOffer(null))).toBeNull();
    expect(offerCurrencies(withOffer({ ...winbackOffer, minSubtotal: null }))).toBeNull();
    expect(offerCurrencies(withOffer({ ...winbackOffer, minSubtotal: { GBP: 1, EUR: 2 } }))).toEqual([
      'EUR',
      'GBP',
    ]);
    expect(
      offerCurrencies(
        withOffer({
          ...winbackOffer,
          kind: 'amount_off',
          amount: { GBP: 500, USD: 600 },
          minSubtotal: { GBP: 1 },
        }),
      ),
    ).toEqual(['GBP']);
  });
});
