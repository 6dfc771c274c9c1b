// WooCommerce customers and products through POST /webhooks/woocommerce on a
// real libSQL file: the published samples as Rekindle stores them, marketing
// consent (left as stored, or read from a configured meta_data key), deletion,
// erasure holding, variations as their own products, and a variation going
// from 0 to 5 in stock mailing its waitlist after a sweep.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../../../src/core/ingest/records.ts';
import { createApp } from '../../../../src/http/create-app.ts';
import { ingestRecords } from '../../../../src/services/ingest/ingest-records.ts';
import { eraseCustomer } from '../../../../src/services/privacy/erase-customer.ts';
import { runSweep } from '../../../../src/services/sweep/run-sweep.ts';
import { noAudience, shopSettings } from '../../support/campaign-fixtures.ts';
import { openTempStore, snapshot, type TempStore } from '../../support/temp-store.ts';
import {
  deliver,
  gmtPlus,
  type WooPayload,
  wooApp,
  wooFixture,
  wooSecret,
} from '../../support/woocommerce.ts';

const start = Date.parse('2026-11-01T12:00:00Z');
let clock: number;
let temp: TempStore;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  temp = await openTempStore();
  clock = start;
  app = wooApp({ store: temp.store, now: () => clock });
});
afterEach(() => temp.cleanup());

async function send(topic: string, payload: unknown, on = app) {
  clock += 60_000;
  const response = await deliver(on, topic, payload);
  expect(response.status).toBe(200);
  return ((await response.json()) as { outcome: string }).outcome;
}

/** A sample with `changes`, modified `seconds` after the sample's date_modified_gmt. */
function changed(name: 'customer' | 'product' | 'variation', changes: WooPayload = {}, seconds = 0) {
  const sample = wooFixture(name);
  return { ...sample, date_modified_gmt: gmtPlus(sample.date_modified_gmt as string, seconds), ...changes };
}

const customerRow = async (id: string) =>
  (
    await temp.store.db.all<Record<string, unknown>>(
      sql`select email, first_name, last_name, country, timezone, tags, marketing_consent, created_at from customers where id = ${id}`,
    )
  )[0];
const productRow = async (id: string) =>
  (
    await temp.store.db.all<Record<string, unknown>>(
      sql`select title, url, image_url, category, currency, price_minor, stock_quantity, in_stock from products where id = ${id}`,
    )
  )[0];

describe('customers', () => {
  it('stores the sample customer, without marketing consent', async () => {
    expect(await send('customer.created', wooFixture('customer'))).toBe('applied');
    expect(await customerRow('25')).toEqual({
      email: 'john.doe@example.com',
      first_name: 'John',
      last_name: 'Doe',
      country: 'US',
      timezone: null,
      tags: '[]',
      marketing_consent: 0,
      created_at: Date.parse('2017-03-21T19:09:28Z'),
    });
  });

  it('leaves consent, time zone and tags as stored when no consent key is set', async () => {
    const known = ingestSchemas.customers.parse({
      id: '25',
      email: 'john.doe@example.com',
      marketing_consent: true,
      timezone: 'America/Los_Angeles',
      tags: ['vip'],
    });
    await ingestRecords({ store: temp.store }, { kind: 'customers', records: [known], now: start });
    await send('customer.updated', changed('customer', { first_name: 'James' }, 60));
    expect(await customerRow('25')).toMatchObject({
      first_name: 'James',
      marketing_consent: 1,
      timezone: 'America/Los_Angeles',
      tags: '["vip"]',
    });
  });

  it('reads consent from the configured meta_data key', async () => {
    const keyed = wooApp({
      store: temp.store,
      now: () => clock,
      woocommerce: { webhookSecret: wooSecret, consentMetaKey: 'marketing_opt_in' },
    });
    const meta = (value: unknown) => [{ id: 1, key: 'marketing_opt_in', value }];
    await send('customer.created', changed('customer', { meta_data: meta('yes') }), keyed);
    expect((await customerRow('25'))!.marketing_consent).toBe(1);
    await send('customer.updated', changed('customer', { meta_data: meta('no') }, 60), keyed);
    expect((await customerRow('25'))!.marketing_consent).toBe(0);
    await send('customer.updated', changed('customer', { meta_data: meta(true) }, 120), keyed);
    expect((await customerRow('25'))!.marketing_consent).toBe(1);
    await send('customer.updated', changed('customer', { meta_data: [] }, 180), keyed);
    expect((await customerRow('25'))!.marketing_consent).toBe(0);
  });

  it('a deleted customer keeps their row and loses marketing consent', async () => {
    const known = ingestSchemas.customers.parse({
      id: '25',
      email: 'john.doe@example.com',
      marketing_consent: true,
    });
    await ingestRecords({ store: temp.store }, { kind: 'customers', records: [known], now: start });
    expect(await send('customer.deleted', { id: 25 })).toBe('applied');
    expect(await customerRow('25')).toMatchObject({ email: 'john.doe@example.com', marketing_consent: 0 });
  });

  it('an erased customer is never filled in again by a webhook', async () => {
    await send('customer.created', wooFixture('customer'));
    await eraseCustomer({ store: temp.store }, { customerId: '25', now: clock });
    const erased = await snapshot(temp.store);
    await send('customer.updated', changed('customer', {}, 60));
    expect(await customerRow('25')).toMatchObject({ email: null, first_name: null, last_name: null });
    const after = await snapshot(temp.store);
    expect(after.customers).toEqual(erased.customers);
  });
});

describe('products', () => {
  it('stores the sample product in the shop currency', async () => {
    expect(await send('product.created', wooFixture('product'))).toBe('applied');
    expect(await productRow('794')).toEqual({
      title: 'Premium Quality',
      url: 'https://example.com/product/premium-quality-19/',
      image_url: 'https://example.com/wp-content/uploads/2017/03/T_2_front-4.jpg',
      category: 'Clothing',
      currency: 'GBP',
      price_minor: 2199,
      stock_quantity: null,
      in_stock: 1,
    });
  });

  it('is not in stock unless published, and a deleted product is out of stock', async () => {
    await send('product.created', changed('product', { status: 'draft' }));
    expect((await productRow('794'))!.in_stock).toBe(0);
    await send('product.updated', changed('product', {}, 60));
    expect((await productRow('794'))!.in_stock).toBe(1);
    expect(await send('product.deleted', { id: 794 })).toBe('applied');
    expect(await productRow('794')).toMatchObject({ title: 'Premium Quality', in_stock: 0 });
  });

  it('stores a variation as its own product, with its parent category when it has none', async () => {
    await send('product.created', changed('product', { id: 22, name: 'Ship Your Idea', price: '' }));
    await send('product.created', wooFixture('variation'));
    expect(await productRow('733')).toEqual({
      title: 'Ship Your Idea - Green',
      url: 'https://example.com/product/ship-your-idea/?attribute_pa_color=green',
      image_url: 'https://example.com/wp-content/uploads/2016/10/T_3_front-12.jpg',
      category: 'Clothing',
      currency: 'GBP',
      price_minor: 1000,
      stock_quantity: 0,
      in_stock: 0,
    });
  });

  it('answers 503 and stores nothing while no shop settings give the currency', async () => {
    const unsettled = createApp({
      store: temp.store,
      now: () => clock,
      woocommerce: { webhookSecret: wooSecret },
    });
    const response = await deliver(unsettled, 'product.created', wooFixture('product'));
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/currency/);
    expect(await productRow('794')).toBeUndefined();
  });
});

describe('back in stock', () => {
  const campaign: Campaign = {
    id: 'bis',
    name: 'Back in stock',
    enabled: true,
    priority: 90,
    cooldownDays: 0,
    holdoutPercent: 0,
    attributionDays: 7,
    onFrequencyCap: 'defer',
    consent: 'required',
    trigger: { type: 'back_in_stock', includeCarts: false, allocation: { mode: 'per_unit', factor: 1 } },
    audience: noAudience,
    steps: [
      { index: 0, delayHours: 0, email: { template: 'back-in-stock.mjml', subject: 'Back' }, offer: null },
    ],
    sendWindow: null,
  };
  const sweep = () => {
    clock += 60_000;
    return runSweep({
      store: temp.store,
      campaigns: {
        settings: shopSettings({ frequencyCap: { maxMessages: 10, perDays: 1 } }),
        campaigns: [campaign],
      },
      now: clock,
      dryRun: false,
      pageSize: 10,
    });
  };
  const mailed = async () =>
    (await temp.store.db.all<{ email: string }>(sql`select email from messages order by rowid`)).map(
      (r) => r.email,
    );

  it('a variation going from 0 to 5 in stock mails its waitlist after a sweep, once', async () => {
    await send('product.created', wooFixture('variation'));
    const shopper = ingestSchemas.customers.parse({
      id: '31',
      email: 'ann@example.com',
      marketing_consent: true,
    });
    await ingestRecords({ store: temp.store }, { kind: 'customers', records: [shopper], now: clock });
    const waiting = ingestSchemas.waitlist.parse({
      product_id: '733',
      customer_id: '31',
      email: 'ann@example.com',
    });
    await ingestRecords({ store: temp.store }, { kind: 'waitlist', records: [waiting], now: clock });
    await sweep();
    expect(await mailed()).toEqual([]);

    const restocked = changed('variation', { stock_quantity: 5, stock_status: 'instock' }, 3600);
    expect(await send('product.updated', restocked)).toBe('applied');
    expect(await send('product.updated', restocked)).toBe('duplicate');
    const restocks = await temp.store.db.all(sql`select product_id, quantity from restocks`);
    expect(restocks).toEqual([{ product_id: '733', quantity: 5 }]);

    await sweep();
    expect(await mailed()).toEqual(['ann@example.com']);
    await sweep();
    expect(await mailed()).toEqual(['ann@example.com']);
  });
});
