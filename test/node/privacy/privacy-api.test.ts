import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../src/core/campaigns/types.ts';
import { hashEmail } from '../../../src/core/email-hash.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { coupons, redemptions, trackingEvents } from '../../../src/db/schema/index.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, shopSettings } from '../support/campaign-fixtures.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';
import {
  apiKey,
  customerRow,
  seedCustomer,
  seedMessage,
  suppressionHashes,
  type TrackingApp,
  trackingApp,
} from '../support/tracking-fixtures.ts';

const day = 86_400_000;
const t0 = Date.parse('2026-11-01T12:00:00Z');
const email = 'ada.lovelace@example.com';
const agent = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) UniqueAgent/1.0';
const ip = '198.51.100.77';
let temp: TempStore;
let t: TrackingApp;
let privacyKey: string;

async function ingest(kind: keyof typeof ingestSchemas, record: Record<string, unknown>, at = t0) {
  await ingestRecords(
    { store: temp.store },
    { kind, records: [ingestSchemas[kind].parse(record) as never], now: at },
  );
}

beforeEach(async () => {
  temp = await openTempStore();
  t = await trackingApp(temp.store, t0);
  privacyKey = await apiKey(temp.store, ['privacy']);
  await seedCustomer(temp.store, 'c1', t0 - 400 * day, {
    email,
    first_name: 'Augusta',
    last_name: 'Byron',
    locale: 'en-GB',
    timezone: 'Europe/London',
    country: 'GB',
    tags: ['poet-daughter'],
  });
  await seedCustomer(temp.store, 'c2', t0 - 400 * day, { first_name: 'Bo', last_name: 'Other' });
  for (const id of ['c1', 'c2']) {
    await ingest('orders', {
      id: `o-${id}`,
      customer_id: id,
      placed_at: new Date(t0 - 100 * day).toISOString(),
      currency: 'GBP',
      total: '40.00',
      discount_codes: id === 'c1' ? ['BACK-1'] : [],
      items: [{ product_id: 'p1', title: 'Mug', quantity: 2, unit_price: '20.00' }],
    });
  }
  await ingest('carts', {
    id: 'k-c1',
    customer_id: 'c1',
    currency: 'GBP',
    last_activity_at: new Date(t0 - day).toISOString(),
    recovery_url: 'https://shop.example/cart/recover/secret-c1',
    items: [{ product_id: 'p1', quantity: 1, unit_price: '20.00' }],
  });
  await ingest('carts', {
    id: 'k-guest',
    email,
    currency: 'GBP',
    last_activity_at: new Date(t0 - day).toISOString(),
    items: [{ product_id: 'p1', quantity: 1, unit_price: '20.00' }],
  });
  await ingest('products', { id: 'p1', title: 'Mug', currency: 'GBP', price: '20.00', stock: 0 });
  await ingest('waitlist', { product_id: 'p1', email });
  await seedMessage(temp.store, {
    id: 'm1',
    customerId: 'c1',
    email,
    links: ['https://shop.example/'],
    at: t0 - 20 * day,
  });
  await seedMessage(temp.store, { id: 'm-guest', customerId: null, email, at: t0 - 20 * day });
  await seedMessage(temp.store, { id: 'm-c2', customerId: 'c2', email: 'c2@example.com', at: t0 - 20 * day });
  await temp.store.db.insert(trackingEvents).values([
    { messageId: 'm1', kind: 'open', at: t0 - 19 * day, userAgent: agent, ip },
    { messageId: 'm1', kind: 'click', at: t0 - 19 * day, linkIndex: 0, userAgent: agent, ip },
    { messageId: 'm-c2', kind: 'open', at: t0 - 19 * day, userAgent: 'c2-agent', ip: '192.0.2.2' },
  ]);
  await temp.store.db.insert(coupons).values({
    code: 'BACK-1',
    campaignId: 'winback',
    messageId: 'm1',
    customerId: 'c1',
    kind: 'percent_off',
    value: 15,
    createdAt: t0 - 20 * day,
  });
  await temp.store.db.insert(redemptions).values({
    couponCode: 'BACK-1',
    orderId: 'o-c1',
    currency: 'GBP',
    orderTotalMinor: 4000,
    discountMinor: 600,
    at: t0 - 100 * day,
  });
});
afterEach(() => temp.cleanup());

const call = (method: string, path: string, key: string | null = privacyKey) =>
  t.app.request(path, { method, headers: key ? { authorization: `Bearer ${key}` } : {} });

describe('GET /v1/customers/:id/export', () => {
  it('returns everything stored about the customer and nothing about others', async () => {
    const res = await call('GET', '/v1/customers/c1/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store, private');
    type Rows = Record<string, unknown>[];
    const data = (await res.json()) as {
      customer: Record<string, unknown>;
      orders: Rows;
      carts: (Record<string, unknown> & { id: string; items: Rows })[];
      waitlist: Rows;
      messages: (Record<string, unknown> & { id: string })[];
      coupons: Rows;
      redemptions: Rows;
      address_suppressed: boolean;
    };
    expect(data.customer).toMatchObject({
      id: 'c1',
      email,
      first_name: 'Augusta',
      last_name: 'Byron',
      tags: ['poet-daughter'],
      marketing_consent: true,
      created_at: new Date(t0 - 400 * day).toISOString(),
    });
    expect(data.orders).toMatchObject([
      {
        id: 'o-c1',
        total_minor: 4000,
        discount_codes: ['BACK-1'],
        items: [{ product_id: 'p1', quantity: 2 }],
      },
    ]);
    expect(data.carts.map((c) => c.id)).toEqual(['k-c1', 'k-guest']);
    expect(data.carts[0]?.items).toHaveLength(1);
    expect(data.waitlist).toMatchObject([{ product_id: 'p1', email }]);
    expect(data.messages.map((m) => m.id)).toEqual(['m-guest', 'm1']);
    const m1 = data.messages.find((m) => m.id === 'm1');
    expect(m1?.links).toEqual(['https://shop.example/']);
    expect(m1?.events).toMatchObject([
      { kind: 'open', user_agent: agent, ip, is_proxy: false },
      { kind: 'click', link_index: 0 },
    ]);
    expect(data.coupons).toMatchObject([{ code: 'BACK-1', message_id: 'm1' }]);
    expect(data.redemptions).toMatchObject([
      { coupon_code: 'BACK-1', order_id: 'o-c1', discount_minor: 600 },
    ]);
    expect(data.address_suppressed).toBe(false);
    const text = JSON.stringify(data);
    for (const other of ['c2@example.com', 'Bo', 'c2-agent', 'o-c2', 'm-c2'])
      expect(text).not.toContain(`"${other}"`);
  });

  it('answers 404 for an unknown customer and needs the privacy scope', async () => {
    expect((await call('GET', '/v1/customers/nobody/export')).status).toBe(404);
    expect((await call('GET', '/v1/customers/c1/export', null)).status).toBe(401);
    expect((await call('GET', '/v1/customers/c1/export', await apiKey(temp.store, ['ingest']))).status).toBe(
      403,
    );
    expect((await call('DELETE', '/v1/customers/c1', await apiKey(temp.store, ['reports']))).status).toBe(
      403,
    );
    expect((await call('GET', '/v1/customers/c1/export', await apiKey(temp.store, ['admin']))).status).toBe(
      200,
    );
  });
});

describe('DELETE /v1/customers/:id', () => {
  it('erases personal data, keeps anonymous counts, and keeps the address suppressed', async () => {
    const before = await snapshot(temp.store);
    t.clock.now = t0 + day;
    const res = await call('DELETE', '/v1/customers/c1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'c1', erased: true, erased_at: new Date(t0 + day).toISOString() });

    const after = await snapshot(temp.store);
    const text = JSON.stringify(after);
    for (const secret of [email, 'Augusta', 'Byron', 'poet-daughter', agent, ip, 'secret-c1', 'en-GB']) {
      expect(text, secret).not.toContain(secret);
    }
    // Every row is still there, so every count still adds up.
    for (const table of Object.keys(before)) {
      if (table === 'suppressions') continue;
      expect(after[table]?.length, table).toBe(before[table]?.length);
    }
    expect(await customerRow(temp.store, 'c1')).toMatchObject({
      email: null,
      first_name: null,
      country: 'GB',
      erased_at: t0 + day,
      suppressed_at: t0 + day,
      suppression_reason: 'erased',
      marketing_consent: 0,
    });
    expect(await suppressionHashes(temp.store)).toEqual([await hashEmail(email)]);
    // The other customer is untouched.
    expect(text).toContain('c2@example.com');
    expect(text).toContain('c2-agent');
    expect((await customerRow(temp.store, 'c2'))?.first_name).toBe('Bo');

    // Idempotent: a second request changes nothing and reports the first time.
    t.clock.now = t0 + 2 * day;
    const again = await call('DELETE', '/v1/customers/c1');
    expect(await again.json()).toMatchObject({ erased_at: new Date(t0 + day).toISOString() });
    expect(await snapshot(temp.store)).toEqual(after);
    expect((await call('DELETE', '/v1/customers/nobody')).status).toBe(404);
  });

  it('keeps the address unmailable when it comes back, under its old id or a new one', async () => {
    t.clock.now = t0 + day;
    expect((await call('DELETE', '/v1/customers/c1')).status).toBe(200);
    // The shop pushes the same person again, and the same address under a new id.
    await ingest('customers', { id: 'c1', email, marketing_consent: true }, t0 + 2 * day);
    await ingest(
      'customers',
      { id: 'c3', email: email.toUpperCase(), marketing_consent: true },
      t0 + 2 * day,
    );
    await ingest('orders', {
      id: 'o-c3',
      customer_id: 'c3',
      placed_at: new Date(t0 - 100 * day).toISOString(),
      currency: 'GBP',
      total: '40.00',
    });
    await ingest('waitlist', { product_id: 'p1', email, customer_id: 'c3' }, t0 + 2 * day);
    const winback: Campaign = { ...dormantCampaign(), id: 'winback-later', cooldownDays: 0 };
    const result = await runSweep({
      store: temp.store,
      campaigns: { settings: shopSettings(), campaigns: [winback] },
      now: t0 + 2 * day,
      dryRun: false,
    });
    const mailed = await temp.store.db.all<{ customer_id: string }>(
      sql`SELECT customer_id FROM messages WHERE campaign_id = 'winback-later'`,
    );
    // c2 is the control: dormant as well, and mailed.
    expect(mailed.map((m) => m.customer_id)).toEqual(['c2']);
    expect(result.campaigns[0]?.excluded.suppressed).toBe(2);
  });
});
