import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackInStockTrigger, Campaign, ShopSettings } from '../../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { openLibsqlStore } from '../../../src/db/libsql.ts';
import type { Store } from '../../../src/db/store.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { backInStockCampaign, shopSettings } from '../support/campaign-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const minute = 60_000;
const t0 = Date.parse('2026-11-23T10:00:00Z');
let temp: TempStore;
/** The clock of the fake shop: every push and sweep happens a minute after the last. */
let clock: number;

beforeEach(async () => {
  temp = await openTempStore();
  clock = t0;
});
afterEach(() => temp.cleanup());

const perUnit: BackInStockTrigger = {
  type: 'back_in_stock',
  includeCarts: false,
  allocation: { mode: 'per_unit', factor: 1 },
};

function stockCampaign(
  trigger: Partial<BackInStockTrigger> = {},
  overrides: Partial<Campaign> = {},
): Campaign {
  return backInStockCampaign({ trigger: { ...perUnit, ...trigger }, ...overrides });
}

const settings = shopSettings({ frequencyCap: { maxMessages: 10, perDays: 1 } });

function tick(): number {
  clock += minute;
  return clock;
}

async function customer(id: string, extra: Record<string, unknown> = {}) {
  const record = ingestSchemas.customers.parse({
    id,
    email: `${id}@example.com`,
    marketing_consent: true,
    ...extra,
  });
  await ingestRecords({ store: temp.store }, { kind: 'customers', records: [record], now: tick() });
}

/** Sets the stock as the platform would push it; a 0 -> n change records a restock. */
async function stock(quantity: number, productId = 'p1') {
  const record = ingestSchemas.products.parse({
    id: productId,
    title: 'Blue mug',
    currency: 'GBP',
    price: '12.00',
    stock: quantity,
  });
  await ingestRecords({ store: temp.store }, { kind: 'products', records: [record], now: tick() });
}

async function waitFor(entry: { id?: string; customer_id?: string; email: string }, productId = 'p1') {
  const record = ingestSchemas.waitlist.parse({
    product_id: productId,
    created_at: new Date(tick()).toISOString(),
    ...entry,
  });
  await ingestRecords({ store: temp.store }, { kind: 'waitlist', records: [record], now: clock });
}

async function cart(id: string, customerId: string | null, extra: Record<string, unknown> = {}) {
  const record = ingestSchemas.carts.parse({
    id,
    customer_id: customerId,
    currency: 'GBP',
    last_activity_at: new Date(tick()).toISOString(),
    items: [{ product_id: 'p1', quantity: 1, unit_price: '12.00' }],
    ...extra,
  });
  await ingestRecords({ store: temp.store }, { kind: 'carts', records: [record], now: clock });
}

function sweep(
  campaign: Campaign = stockCampaign(),
  options: { dryRun?: boolean; store?: Store; settings?: ShopSettings; pageSize?: number } = {},
) {
  return runSweep({
    store: options.store ?? temp.store,
    campaigns: { settings: options.settings ?? settings, campaigns: [campaign] },
    now: tick(),
    dryRun: options.dryRun ?? false,
    pageSize: options.pageSize ?? 2,
  });
}

async function mailed(): Promise<string[]> {
  const rows = await temp.store.db.all<{ email: string }>(sql`select email from messages order by rowid`);
  return rows.map((row) => row.email);
}

async function messageRows() {
  return temp.store.db.all<{ dedupe_key: string; trigger_ref: string; customer_id: string | null }>(
    sql`select dedupe_key, trigger_ref, customer_id from messages order by rowid`,
  );
}

describe('back-in-stock sweep', () => {
  const five = ['w1', 'w2', 'w3', 'w4', 'w5'];

  beforeEach(async () => {
    await stock(0);
    for (const id of five) await customer(id);
  });

  async function fiveWaiting() {
    // Pushed newest first, with ids sorting newest first too: the queue order
    // must come from the sign-up time alone. w1 signed up first.
    const times = five.map(() => tick());
    for (let i = five.length - 1; i >= 0; i--) {
      const id = five[i]!;
      const record = ingestSchemas.waitlist.parse({
        id: `e${five.length - i}`,
        product_id: 'p1',
        customer_id: id,
        email: `${id}@example.com`,
        created_at: new Date(times[i]!).toISOString(),
      });
      await ingestRecords({ store: temp.store }, { kind: 'waitlist', records: [record], now: tick() });
    }
  }

  it('mails as many as came back, oldest sign-up first, and keeps the rest queued', async () => {
    await fiveWaiting();
    await stock(2);
    const result = await sweep();
    expect(result.campaigns[0]).toMatchObject({ eligible: 2, scheduled: 2 });
    expect(await mailed()).toEqual(['w1@example.com', 'w2@example.com']);
    const [restock] = await temp.store.db.all<{ id: number; quantity: number }>(
      sql`select id, quantity from restocks`,
    );
    expect(restock).toEqual({ id: 1, quantity: 2 });
    expect((await messageRows()).map((m) => [m.dedupe_key, m.trigger_ref])).toEqual([
      ['bis:0:w1:wle5', 'restock1'],
      ['bis:0:w2:wle4', 'restock1'],
    ]);
    const pending = await temp.store.db.all<{ id: string }>(
      sql`select id from waitlist_entries where notified_at is null order by created_at`,
    );
    expect(pending.map((p) => p.id)).toEqual(['e3', 'e2', 'e1']);
  });

  it('a second sweep for the same restock mails nobody more', async () => {
    await fiveWaiting();
    await stock(2);
    await sweep();
    const again = await sweep();
    expect(again.campaigns[0]).toMatchObject({ eligible: 0, scheduled: 0 });
    expect(await mailed()).toHaveLength(2);
  });

  it('a product flapping out and back in mails the next in line, never the first ones again', async () => {
    await fiveWaiting();
    await stock(2);
    await sweep();
    await stock(0);
    await sweep();
    await stock(2);
    const result = await sweep();
    expect(result.campaigns[0]).toMatchObject({ scheduled: 2 });
    await stock(0);
    await stock(10);
    await sweep();
    expect(await mailed()).toEqual([
      'w1@example.com',
      'w2@example.com',
      'w3@example.com',
      'w4@example.com',
      'w5@example.com',
    ]);
    expect(new Set((await messageRows()).map((m) => m.trigger_ref))).toEqual(
      new Set(['restock1', 'restock2', 'restock3']),
    );
  });

  it('an entry the rules exclude does not use a unit of the allocation', async () => {
    await customer('w2', { marketing_consent: false });
    await fiveWaiting();
    await stock(2);
    const dry = await sweep(stockCampaign(), { dryRun: true });
    expect(dry.campaigns[0]).toMatchObject({ scheduled: 2, excluded: { no_consent: 1 } });
    expect(await mailed()).toEqual([]);
    const result = await sweep();
    expect(result.campaigns[0]).toMatchObject({ scheduled: 2, excluded: { no_consent: 1 } });
    expect(await mailed()).toEqual(['w1@example.com', 'w3@example.com']);
    // The excluded entry stays waiting: if they opt in, the next restock can tell them.
    const [w2] = await temp.store.db.all<{ notified_at: number | null }>(
      sql`select notified_at from waitlist_entries where customer_id = 'w2'`,
    );
    expect(w2).toEqual({ notified_at: null });
  });

  it('a dry run stops where the allocation would and writes nothing', async () => {
    await fiveWaiting();
    await stock(2);
    const dry = await sweep(stockCampaign(), { dryRun: true, pageSize: 1 });
    expect(dry.campaigns[0]).toMatchObject({ eligible: 2, scheduled: 2 });
    expect(await mailed()).toEqual([]);
    const pending = await temp.store.db.all<{ n: number }>(
      sql`select count(*) as n from waitlist_entries where notified_at is null`,
    );
    expect(pending).toEqual([{ n: 5 }]);
  });

  it('mails everyone waiting when the allocation is "all" or the platform gives no quantity', async () => {
    await fiveWaiting();
    await stock(1);
    await sweep(stockCampaign({ allocation: { mode: 'all' } }));
    expect(await mailed()).toHaveLength(5);
  });

  it('a product out of stock again at sweep time mails nobody', async () => {
    await fiveWaiting();
    await stock(2);
    await stock(0);
    const result = await sweep();
    expect(result.campaigns[0]).toMatchObject({ eligible: 0, scheduled: 0 });
    expect(await mailed()).toEqual([]);
  });

  it('a product that never went out of stock mails nobody', async () => {
    await stock(3, 'p2');
    await waitFor({ customer_id: 'w1', email: 'w1@example.com' }, 'p2');
    await sweep();
    expect(await mailed()).toEqual([]);
  });

  it('resolves email-only entries to a customer with that address, else mails the address', async () => {
    await waitFor({ email: 'w1@example.com' });
    await waitFor({ email: 'stranger@example.com' });
    await stock(5);
    const policy = { ...settings, consent: { nonSubscribersMayReceive: ['back_in_stock' as const] } };
    await sweep(stockCampaign({}, { consent: 'shop_policy' }), { settings: policy });
    expect((await messageRows()).map((m) => [m.customer_id, m.dedupe_key])).toEqual([
      ['w1', 'bis:0:w1:wlp1:w1@example.com'],
      [null, 'bis:0:email:stranger@example.com:wlp1:stranger@example.com'],
    ]);
  });

  it('without consent an email-only entry is not mailed; a suppressed address never is', async () => {
    await temp.store.db.run(sql`update customers set suppressed_at = ${t0} where id = 'w3'`);
    await waitFor({ email: 'stranger@example.com' });
    await waitFor({ email: 'w3@example.com' });
    await waitFor({ id: 'w4-with-w3-address', customer_id: 'w4', email: 'w3@example.com' });
    await stock(5);
    const result = await sweep();
    expect(result.campaigns[0]).toMatchObject({ scheduled: 0, excluded: { no_consent: 1, suppressed: 2 } });
  });

  describe('carts holding the product', () => {
    it('are mailed once after the waitlist, when the campaign includes carts', async () => {
      await customer('shopper');
      await cart('k1', 'shopper');
      await cart('guest', null); // no address anywhere: skipped
      await fiveWaiting();
      await stock(0);
      await stock(6);
      const campaign = stockCampaign({ includeCarts: true });
      const first = await sweep(campaign);
      expect(first.campaigns[0]).toMatchObject({ scheduled: 6, skipped: { noEmail: 1 } });
      expect((await mailed()).at(-1)).toBe('shopper@example.com');
      expect((await messageRows()).at(-1)).toMatchObject({
        dedupe_key: 'bis:0:shopper:bisp1cartk1',
        trigger_ref: 'restock1',
      });
      await sweep(campaign);
      await stock(0);
      await stock(6);
      const flapped = await sweep(campaign);
      expect(flapped.campaigns[0]).toMatchObject({ scheduled: 0, skipped: { alreadyMessaged: 1 } });
      expect(await mailed()).toHaveLength(6);
    });

    it('share the allocation with the waitlist and come after it', async () => {
      await customer('shopper');
      await cart('k1', 'shopper');
      await fiveWaiting();
      await stock(5);
      await sweep(stockCampaign({ includeCarts: true }));
      expect(await mailed()).not.toContain('shopper@example.com');
      expect(await mailed()).toHaveLength(5);
    });

    it('are not mailed when filled after the product came back, or when carts are not included', async () => {
      await customer('shopper');
      await cart('before', 'shopper');
      await stock(5);
      await customer('late');
      await cart('after', 'late');
      await sweep(stockCampaign());
      expect(await mailed()).toEqual([]);
      await sweep(stockCampaign({ includeCarts: true }));
      expect(await mailed()).toEqual(['shopper@example.com']);
    });
  });

  it('two sweeps at once on two connections stay within the allocation', async () => {
    await fiveWaiting();
    await stock(2);
    const other = await openLibsqlStore({ url: temp.url });
    try {
      const at = tick();
      const run = (store: Store) =>
        runSweep({
          store,
          campaigns: { settings, campaigns: [stockCampaign()] },
          now: at,
          dryRun: false,
          pageSize: 1,
        });
      await Promise.all([run(temp.store), run(other)]);
      const [row] = await temp.store.db.all<{ n: number; keys: number }>(
        sql`select count(*) as n, count(distinct dedupe_key) as keys from messages`,
      );
      expect(row).toEqual({ n: 2, keys: 2 });
    } finally {
      await other.close();
    }
  });
});
