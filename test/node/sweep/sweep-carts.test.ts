import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign, ShopSettings } from '../../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { openLibsqlStore } from '../../../src/db/libsql.ts';
import type { Store } from '../../../src/db/store.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { noAudience, shopSettings } from '../support/campaign-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const t0 = Date.parse('2026-11-23T10:00:00Z');
let temp: TempStore;

beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

function cartCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: 'cart',
    name: 'You left something behind',
    enabled: true,
    priority: 80,
    cooldownDays: 0,
    holdoutPercent: 0,
    attributionDays: 7,
    onFrequencyCap: 'defer',
    consent: 'required',
    trigger: { type: 'abandoned_cart', minCartValue: null },
    audience: noAudience,
    excludeIfMessagedBy: null,
    steps: [1, 24, 72].map((delayHours, index) => ({
      index,
      delayHours,
      email: { template: `cart-${index + 1}.mjml`, subject: 'Your cart' },
      offer: null,
    })),
    sendWindow: null,
    ...overrides,
  };
}

// A cap loose enough that the series itself is never deferred by it.
const settings = shopSettings({ frequencyCap: { maxMessages: 10, perDays: 1 } });

async function customer(id: string, extra: Record<string, unknown> = {}) {
  const record = ingestSchemas.customers.parse({
    id,
    email: `${id}@example.com`,
    marketing_consent: true,
    ...extra,
  });
  await ingestRecords({ store: temp.store }, { kind: 'customers', records: [record], now: t0 });
}

async function cart(
  id: string,
  lastActivityAt: number,
  extra: Record<string, unknown> = {},
  receivedAt = lastActivityAt,
) {
  const record = ingestSchemas.carts.parse({
    id,
    customer_id: 'a',
    currency: 'GBP',
    last_activity_at: new Date(lastActivityAt).toISOString(),
    items: [{ product_id: 'p1', quantity: 1, unit_price: '20.00' }],
    ...extra,
  });
  await ingestRecords({ store: temp.store }, { kind: 'carts', records: [record], now: receivedAt });
}

async function order(id: string, customerId: string, placedAt: number, status = 'paid') {
  const record = ingestSchemas.orders.parse({
    id,
    customer_id: customerId,
    placed_at: new Date(placedAt).toISOString(),
    status,
    currency: 'GBP',
    total: '20.00',
  });
  await ingestRecords({ store: temp.store }, { kind: 'orders', records: [record], now: placedAt });
}

function sweep(
  at: number,
  options: {
    campaign?: Campaign;
    settings?: ShopSettings;
    dryRun?: boolean;
    store?: Store;
    pageSize?: number;
  } = {},
) {
  return runSweep({
    store: options.store ?? temp.store,
    campaigns: { settings: options.settings ?? settings, campaigns: [options.campaign ?? cartCampaign()] },
    now: at,
    dryRun: options.dryRun ?? false,
    pageSize: options.pageSize ?? 2,
  });
}

interface MessageRow {
  dedupe_key: string;
  step: number;
  customer_id: string | null;
  email: string;
  trigger_ref: string;
  due_at: number;
}

async function messages(): Promise<MessageRow[]> {
  return temp.store.db.all<MessageRow>(
    sql`select dedupe_key, step, customer_id, email, trigger_ref, due_at from messages order by created_at, dedupe_key`,
  );
}

describe('abandoned-cart sweep', () => {
  beforeEach(async () => {
    await customer('a');
  });

  it('sends each step of a 1 h / 24 h / 72 h series at its time, and nothing twice', async () => {
    await cart('k1', t0);
    const timeline = [
      [t0 + 59 * minute, 0],
      [t0 + hour, 1],
      [t0 + hour, 0], // the same sweep again
      [t0 + 23 * hour, 0],
      [t0 + 24 * hour, 1],
      [t0 + 30 * hour, 0],
      [t0 + 72 * hour, 1],
      [t0 + 200 * hour, 0],
    ] as const;
    for (const [at, expected] of timeline) {
      const result = await sweep(at);
      expect({ at: (at - t0) / minute, scheduled: result.campaigns[0]!.scheduled }).toEqual({
        at: (at - t0) / minute,
        scheduled: expected,
      });
    }
    const rows = await messages();
    expect(rows.map((m) => m.step)).toEqual([0, 1, 2]);
    expect(rows.map((m) => m.dedupe_key)).toEqual([
      `cart:0:a:cartk1@${t0}`,
      `cart:1:a:cartk1@${t0}`,
      `cart:2:a:cartk1@${t0}`,
    ]);
    expect(rows.every((m) => m.trigger_ref === `cartk1@${t0}` && m.email === 'a@example.com')).toBe(true);
    expect(rows.map((m) => m.due_at)).toEqual([t0 + hour, t0 + 24 * hour, t0 + 72 * hour]);
  });

  it('a repeated sweep counts the cart as already messaged', async () => {
    await cart('k1', t0);
    await sweep(t0 + hour);
    const again = await sweep(t0 + hour + minute);
    expect(again.campaigns[0]).toMatchObject({ eligible: 0, scheduled: 0, skipped: { alreadyMessaged: 1 } });
  });

  it('a late first sweep sends only the latest due step', async () => {
    await cart('k1', t0);
    await sweep(t0 + 30 * hour);
    expect((await messages()).map((m) => m.step)).toEqual([1]);
  });

  it('a cart converted one second before its reminder is due gets nothing', async () => {
    await cart('k1', t0);
    await cart('k2', t0);
    await cart('k1', t0, { status: 'converted' }, t0 + hour - second);
    const result = await sweep(t0 + hour);
    expect(result.campaigns[0]).toMatchObject({ eligible: 1, scheduled: 1 });
    expect((await messages()).map((m) => m.trigger_ref)).toEqual([`cartk2@${t0}`]);
  });

  it('a cart converted after the first reminder stops the series', async () => {
    await cart('k1', t0);
    await sweep(t0 + hour);
    await cart('k1', t0, { status: 'converted' });
    await sweep(t0 + 24 * hour);
    await sweep(t0 + 72 * hour);
    expect((await messages()).map((m) => m.step)).toEqual([0]);
  });

  it('a paid order after the cart was last active stops the series; cancelled or earlier ones do not', async () => {
    await cart('k1', t0);
    await order('before', 'a', t0 - hour); // bought before filling this cart: no reason to stop
    await sweep(t0 + hour);
    await order('cancelled', 'a', t0 + 2 * hour, 'cancelled');
    await sweep(t0 + 24 * hour);
    await order('paid', 'a', t0 + 30 * hour);
    await sweep(t0 + 72 * hour);
    expect((await messages()).map((m) => m.step)).toEqual([0, 1]);
  });

  it('an unsubscribed customer gets nothing, nor a guest cart with their address', async () => {
    await temp.store.db.run(sql`update customers set suppressed_at = ${t0} where id = 'a'`);
    await cart('k1', t0);
    await cart('k2', t0, { customer_id: null, email: 'A@example.com' });
    const result = await sweep(t0 + hour, {
      campaign: cartCampaign({ consent: 'shop_policy' }),
      settings: { ...settings, consent: { nonSubscribersMayReceive: ['abandoned_cart_first_step'] } },
    });
    expect(result.campaigns[0]!.excluded).toEqual({ suppressed: 2 });
    expect(await messages()).toEqual([]);
  });

  it('a cart touched again is a new abandonment and restarts the series', async () => {
    await cart('k1', t0);
    await sweep(t0 + hour);
    await cart('k1', t0 + 2 * hour);
    const tooSoon = await sweep(t0 + 2 * hour + 30 * minute);
    expect(tooSoon.campaigns[0]!.scheduled).toBe(0);
    await sweep(t0 + 3 * hour);
    await sweep(t0 + 24 * hour); // 22 h after the new activity: nothing due yet
    await sweep(t0 + 26 * hour);
    expect((await messages()).map((m) => m.dedupe_key)).toEqual([
      `cart:0:a:cartk1@${t0}`,
      `cart:0:a:cartk1@${t0 + 2 * hour}`,
      `cart:1:a:cartk1@${t0 + 2 * hour}`,
    ]);
  });

  describe('non-subscribers', () => {
    const policy = {
      ...settings,
      consent: { nonSubscribersMayReceive: ['abandoned_cart_first_step' as const] },
    };

    beforeEach(async () => {
      await customer('a', { marketing_consent: false });
      await cart('k1', t0);
      await cart('guest', t0, { customer_id: null, email: 'guest@example.com' });
    });

    it('get the first step only when the settings allow it and the campaign defers to them', async () => {
      const campaign = cartCampaign({ consent: 'shop_policy' });
      const first = await sweep(t0 + hour, { campaign, settings: policy });
      expect(first.campaigns[0]).toMatchObject({ scheduled: 2 });
      const next = await sweep(t0 + 24 * hour, { campaign, settings: policy });
      expect(next.campaigns[0]).toMatchObject({ scheduled: 0, excluded: { no_consent: 2 } });
      const rows = await messages();
      expect(rows.map((m) => [m.step, m.customer_id, m.email])).toEqual([
        [0, 'a', 'a@example.com'],
        [0, null, 'guest@example.com'],
      ]);
      expect(rows[1]!.dedupe_key).toBe(`cart:0:email:guest@example.com:cartguest@${t0}`);
    });

    it('get nothing when the campaign requires consent', async () => {
      const result = await sweep(t0 + hour, { campaign: cartCampaign(), settings: policy });
      expect(result.campaigns[0]).toMatchObject({ scheduled: 0, excluded: { no_consent: 2 } });
    });

    it('get nothing when the settings do not allow it', async () => {
      const result = await sweep(t0 + hour, { campaign: cartCampaign({ consent: 'shop_policy' }) });
      expect(result.campaigns[0]).toMatchObject({ scheduled: 0, excluded: { no_consent: 2 } });
    });
  });

  it('skips empty carts, carts without an address and carts below the minimum value', async () => {
    await customer('noaddress', { email: null });
    await cart('empty', t0, { items: [] });
    await cart('nobody', t0, { customer_id: 'noaddress' });
    await cart('small', t0, { items: [{ product_id: 'p1', quantity: 1, unit_price: '5.00' }] });
    await cart('big', t0, { items: [{ product_id: 'p1', quantity: 2, unit_price: '5.00' }] });
    const campaign = cartCampaign({ trigger: { type: 'abandoned_cart', minCartValue: { GBP: 1000 } } });
    const result = await sweep(t0 + hour, { campaign });
    expect(result.campaigns[0]).toMatchObject({ scheduled: 1, skipped: { noEmail: 1, alreadyMessaged: 0 } });
    expect((await messages()).map((m) => m.trigger_ref)).toEqual([`cartbig@${t0}`]);
  });

  it('a dry run reports the same and writes nothing', async () => {
    await cart('k1', t0);
    const dry = await sweep(t0 + hour, { dryRun: true });
    expect(dry.campaigns[0]).toMatchObject({ eligible: 1, scheduled: 1 });
    expect(await messages()).toEqual([]);
    const real = await sweep(t0 + hour);
    expect(real.campaigns[0]).toMatchObject({ eligible: 1, scheduled: 1 });
  });

  it('pages through carts sharing a last-activity time without losing or repeating one', async () => {
    // One customer each: a campaign mails a customer once per sweep.
    for (let i = 0; i < 7; i++) {
      await customer(`c${i}`);
      await cart(`k${i}`, t0 + (i % 3) * minute, { customer_id: `c${i}` });
    }
    const result = await sweep(t0 + 2 * hour, { pageSize: 2 });
    expect(result.campaigns[0]!.scheduled).toBe(7);
    expect(new Set((await messages()).map((m) => m.trigger_ref)).size).toBe(7);
  });

  it('two sweeps at once on two connections write each message once', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    for (const id of ids) {
      await customer(id);
      await cart(`k-${id}`, t0 - (ids.indexOf(id) % 5) * minute, { customer_id: id });
    }
    const other = await openLibsqlStore({ url: temp.url });
    try {
      const [first, secondRun] = await Promise.all([
        sweep(t0 + hour, { pageSize: 3 }),
        sweep(t0 + hour, { pageSize: 3, store: other }),
      ]);
      const [row] = await temp.store.db.all<{ n: number; keys: number }>(
        sql`select count(*) as n, count(distinct dedupe_key) as keys from messages`,
      );
      expect(row).toEqual({ n: 40, keys: 40 });
      expect(first.campaigns[0]!.scheduled + secondRun.campaigns[0]!.scheduled).toBe(40);
    } finally {
      await other.close();
    }
  });
});
