// Rules that span a sweep rather than one trigger: one message per customer
// per campaign per sweep, a cart series against the frequency cap, the hashed
// suppression list, held-out entries and a restock's allocation, and the
// frequency cap for recipients known only by address.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign, ShopSettings } from '../../../src/core/campaigns/types.ts';
import { hashEmail } from '../../../src/core/email-hash.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { isHeldOut } from '../../../src/core/selection/holdout.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, noAudience, shopSettings } from '../support/campaign-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const t0 = Date.parse('2026-11-23T10:00:00Z');
let temp: TempStore;
let clock: number;

beforeEach(async () => {
  temp = await openTempStore();
  clock = t0;
});
afterEach(() => temp.cleanup());

function tick(): number {
  clock += minute;
  return clock;
}

const strictCap = shopSettings({ frequencyCap: { maxMessages: 1, perDays: 3 } });
const looseCap = shopSettings({ frequencyCap: { maxMessages: 10, perDays: 1 } });
const guestPolicy: ShopSettings = {
  ...strictCap,
  consent: { nonSubscribersMayReceive: ['abandoned_cart_first_step', 'back_in_stock'] },
};

function campaignBase(id: string, priority: number): Omit<Campaign, 'trigger' | 'steps'> {
  return {
    id,
    name: id,
    enabled: true,
    priority,
    cooldownDays: 0,
    holdoutPercent: 0,
    attributionDays: 7,
    onFrequencyCap: 'defer',
    consent: 'required',
    audience: noAudience,
    excludeIfMessagedBy: null,
    sendWindow: null,
  };
}

function cartCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    ...campaignBase('cart', 80),
    trigger: { type: 'abandoned_cart', minCartValue: null },
    steps: [1, 24, 72].map((delayHours, index) => ({
      index,
      delayHours,
      email: { template: `cart-${index + 1}.mjml`, subject: 'Your cart' },
      offer: null,
    })),
    ...overrides,
  };
}

function stockCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    ...campaignBase('bis', 90),
    trigger: { type: 'back_in_stock', includeCarts: false, allocation: { mode: 'per_unit', factor: 1 } },
    steps: [{ index: 0, delayHours: 0, email: { template: 'bis.mjml', subject: 'Back' }, offer: null }],
    ...overrides,
  };
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

async function cart(id: string, customerId: string | null, lastActivityAt: number, extra = {}) {
  const record = ingestSchemas.carts.parse({
    id,
    customer_id: customerId,
    currency: 'GBP',
    last_activity_at: new Date(lastActivityAt).toISOString(),
    items: [{ product_id: 'p1', quantity: 1, unit_price: '20.00' }],
    ...extra,
  });
  await ingestRecords({ store: temp.store }, { kind: 'carts', records: [record], now: lastActivityAt });
}

async function stock(quantity: number, productId = 'p1') {
  const record = ingestSchemas.products.parse({
    id: productId,
    title: `Product ${productId}`,
    currency: 'GBP',
    price: '12.00',
    stock: quantity,
  });
  await ingestRecords({ store: temp.store }, { kind: 'products', records: [record], now: tick() });
}

async function waitFor(entry: { customer_id?: string; email: string }, productId = 'p1') {
  const record = ingestSchemas.waitlist.parse({
    product_id: productId,
    created_at: new Date(tick()).toISOString(),
    ...entry,
  });
  await ingestRecords({ store: temp.store }, { kind: 'waitlist', records: [record], now: clock });
}

async function suppress(email: string) {
  await temp.store.db.run(
    sql`insert into suppressions (email_hash, reason, created_at) values (${await hashEmail(email)}, 'erased', ${t0})`,
  );
}

function sweep(campaigns: Campaign[], at: number, settings: ShopSettings = looseCap, dryRun = false) {
  return runSweep({ store: temp.store, campaigns: { settings, campaigns }, now: at, dryRun, pageSize: 2 });
}

interface MessageRow {
  campaign_id: string;
  step: number;
  customer_id: string | null;
  email: string;
  trigger_ref: string;
  status: string;
  due_at: number;
}

async function messages(): Promise<MessageRow[]> {
  return temp.store.db.all<MessageRow>(
    sql`select campaign_id, step, customer_id, email, trigger_ref, status, due_at from messages order by rowid`,
  );
}

describe('one message per customer per campaign per sweep', () => {
  it('two open carts: the first is mailed now, the other by a later sweep', async () => {
    await customer('a');
    await cart('k1', 'a', t0);
    await cart('k2', 'a', t0 + minute);
    const first = await sweep([cartCampaign()], t0 + 2 * hour);
    expect(first.campaigns[0]).toMatchObject({ eligible: 2, scheduled: 1, excluded: { priority: 1 } });
    expect((await messages()).map((m) => m.trigger_ref)).toEqual([`cartk1@${t0}`]);
    const next = await sweep([cartCampaign()], t0 + 3 * hour);
    expect(next.campaigns[0]).toMatchObject({ scheduled: 1, skipped: { alreadyMessaged: 1 } });
    expect((await messages()).map((m) => m.trigger_ref)).toEqual([`cartk1@${t0}`, `cartk2@${t0 + minute}`]);
  });

  it('two restocked products one customer waits for: one message, the other next sweep', async () => {
    await customer('w');
    await stock(0, 'p1');
    await stock(0, 'p2');
    await waitFor({ customer_id: 'w', email: 'w@example.com' }, 'p1');
    await waitFor({ customer_id: 'w', email: 'w@example.com' }, 'p2');
    await stock(5, 'p1');
    await stock(5, 'p2');
    const first = await sweep([stockCampaign()], tick());
    expect(first.campaigns[0]).toMatchObject({ scheduled: 1, excluded: { priority: 1 } });
    const pending = await temp.store.db.all<{ product_id: string }>(
      sql`select product_id from waitlist_entries where notified_at is null`,
    );
    expect(pending).toEqual([{ product_id: 'p2' }]);
    await sweep([stockCampaign()], tick());
    expect((await messages()).map((m) => m.trigger_ref)).toEqual(['restock1', 'restock2']);
    expect((await sweep([stockCampaign()], tick())).campaigns[0]!.scheduled).toBe(0);
  });

  it('the other instance does not use a unit of its restock', async () => {
    await customer('w');
    await customer('x');
    await stock(0, 'p1');
    await stock(0, 'p2');
    await waitFor({ customer_id: 'w', email: 'w@example.com' }, 'p1');
    await waitFor({ customer_id: 'w', email: 'w@example.com' }, 'p2');
    await waitFor({ customer_id: 'x', email: 'x@example.com' }, 'p2');
    await stock(1, 'p1');
    await stock(1, 'p2');
    await sweep([stockCampaign()], tick());
    expect((await messages()).map((m) => [m.customer_id, m.trigger_ref])).toEqual([
      ['w', 'restock1'],
      ['x', 'restock2'],
    ]);
  });
});

describe('an abandoned-cart series and the frequency cap', () => {
  beforeEach(async () => {
    await customer('a');
    await cart('k1', 'a', t0);
  });

  it('later steps are not held back by the series own earlier steps', async () => {
    for (const at of [t0 + hour, t0 + 24 * hour, t0 + 72 * hour])
      await sweep([cartCampaign()], at, strictCap);
    const rows = await messages();
    expect(rows.map((m) => [m.step, m.due_at])).toEqual([
      [0, t0 + hour],
      [1, t0 + 24 * hour],
      [2, t0 + 72 * hour],
    ]);
  });

  it('other campaigns still cap every step, and the series caps them', async () => {
    await sweep([cartCampaign()], t0 + hour, strictCap);
    await temp.store.db.run(sql`insert into orders (id, customer_id, placed_at, status, currency, total_minor, updated_at)
      values ('o1', 'a', ${t0 - 100 * day}, 'paid', 'GBP', 2000, ${t0})`);
    // The dormant campaign comes a few hours after step 0 went out: deferred by it.
    const dormant = dormantCampaign({ cooldownDays: 0 });
    const result = await sweep([dormant], t0 + 5 * hour, strictCap);
    expect(result.campaigns[0]).toMatchObject({ scheduled: 1, deferred: 1 });
    // Step 1 is due at 24 h, inside the dormant message's window: deferred by it.
    await sweep([cartCampaign()], t0 + 24 * hour, strictCap);
    const rows = await messages();
    expect(rows.map((m) => [m.campaign_id, m.step, m.due_at])).toEqual([
      ['cart', 0, t0 + hour],
      ['winback', 0, t0 + hour + 3 * day],
      ['cart', 1, t0 + hour + 6 * day],
    ]);
  });
});

describe('hashed suppressions', () => {
  it('exclude a dormant customer whose address hash is suppressed, in any letter case', async () => {
    await customer('a', { email: 'Ann@Example.com' });
    await customer('b');
    for (const id of ['a', 'b']) {
      await temp.store.db.run(sql`insert into orders (id, customer_id, placed_at, status, currency, total_minor, updated_at)
        values (${`o-${id}`}, ${id}, ${t0 - 100 * day}, 'paid', 'GBP', 2000, ${t0})`);
    }
    await suppress(' ann@example.COM ');
    const result = await sweep([dormantCampaign()], t0);
    expect(result.campaigns[0]).toMatchObject({ scheduled: 1, excluded: { suppressed: 1 } });
    expect((await messages()).map((m) => m.customer_id)).toEqual(['b']);
  });

  it('exclude guest carts and email-only waitlist entries', async () => {
    await cart('guest', null, t0, { email: 'gone@example.com' });
    await cart('other', null, t0, { email: 'here@example.com' });
    await stock(0);
    await waitFor({ email: 'gone@example.com' });
    await waitFor({ email: 'here@example.com' });
    await stock(5);
    await suppress('gone@example.com');
    const campaigns = [cartCampaign({ consent: 'shop_policy' }), stockCampaign({ consent: 'shop_policy' })];
    const result = await sweep(campaigns, t0 + 2 * hour, guestPolicy);
    const [bis, carts] = result.campaigns;
    expect(bis).toMatchObject({ campaignId: 'bis', scheduled: 1, excluded: { suppressed: 1 } });
    // One campaign per address per sweep: back in stock (higher priority) took here@.
    expect(carts).toMatchObject({ scheduled: 0, excluded: { suppressed: 1, priority: 1 } });
    expect((await messages()).map((m) => [m.campaign_id, m.email])).toEqual([['bis', 'here@example.com']]);
  });

  it('a dry run reports them the same', async () => {
    await cart('guest', null, t0, { email: 'gone@example.com' });
    await suppress('gone@example.com');
    const result = await sweep([cartCampaign({ consent: 'shop_policy' })], t0 + 2 * hour, guestPolicy, true);
    expect(result.campaigns[0]).toMatchObject({ scheduled: 0, excluded: { suppressed: 1 } });
  });
});

describe('held-out back-in-stock entries', () => {
  it('do not use the restock allocation', async () => {
    // The first in line is in the control group, the next two are not.
    const ids = Array.from({ length: 200 }, (_, i) => `h${i}`);
    const held = ids.find((id) => isHeldOut('bis', id, 50))!;
    const mailedIds = ids.filter((id) => !isHeldOut('bis', id, 50)).slice(0, 3);
    await stock(0);
    for (const id of [held, ...mailedIds]) {
      await customer(id);
      await waitFor({ customer_id: id, email: `${id}@example.com` });
    }
    await stock(2);
    const campaign = stockCampaign({ holdoutPercent: 50 });
    const dry = await sweep([campaign], tick(), looseCap, true);
    expect(dry.campaigns[0]).toMatchObject({ heldOut: 1, scheduled: 2 });
    const result = await sweep([campaign], tick());
    expect(result.campaigns[0]).toMatchObject({ heldOut: 1, scheduled: 2 });
    expect((await messages()).map((m) => [m.customer_id, m.status])).toEqual([
      [held, 'held_out'],
      [mailedIds[0], 'scheduled'],
      [mailedIds[1], 'scheduled'],
    ]);
    // The held-out entry is done with: never held out (or mailed) again.
    const pending = await temp.store.db.all<{ customer_id: string }>(
      sql`select customer_id from waitlist_entries where notified_at is null`,
    );
    expect(pending).toEqual([{ customer_id: mailedIds[2] }]);
  });
});

describe('the frequency cap for recipients known only by address', () => {
  it('counts earlier messages to the same address', async () => {
    await stock(0);
    await waitFor({ email: 'guest@example.com' });
    await stock(5);
    await sweep([stockCampaign({ consent: 'shop_policy' })], t0 + hour, guestPolicy);
    await cart('g', null, t0 + hour, { email: 'guest@example.com' });
    await cart('h', null, t0 + hour, { email: 'other@example.com' });
    await sweep([cartCampaign({ consent: 'shop_policy' })], t0 + 3 * hour, guestPolicy);
    const rows = await messages();
    expect(rows.map((m) => [m.campaign_id, m.email, m.due_at])).toEqual([
      ['bis', 'guest@example.com', t0 + hour],
      ['cart', 'guest@example.com', t0 + hour + 3 * day],
      ['cart', 'other@example.com', t0 + 3 * hour],
    ]);
  });
});
