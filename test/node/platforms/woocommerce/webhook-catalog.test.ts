// WooCommerce customers and products through POST /webhooks/woocommerce on a
// real libSQL file: the published samples as Rekindle stores them, marketing
// consent (left as stored, or read from a configured meta_data key), deletion,
// erasure holding, variations as their own products, and a variation going
// from 0 to 5 in stock mailing its waitlist after a sweep.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ingestSchemas } from '../../../../src/core/ingest/records.ts';
import { createApp } from '../../../../src/http/create-app.ts';
import { ingestRecords } from '../../../../src/services/ingest/ingest-records.ts';
import { eraseCustomer } from '../../../../src/services/privacy/erase-customer.ts';
import { runSweep } from '../../../../src/services/sweep/run-sweep.ts';
import { backInStockCampaign, shopSettings } from '../../support/campaign-fixtures.ts';
import { snapshot } from '../../support/temp-store.ts';
import { deliver, wooApp, wooChanged, wooFixture, wooHarness, wooSecret } from '../../support/woocommerce.ts';

const start = Date.parse('2026-11-01T12:00:00Z');
const h = wooHarness(start, 60_000);
const changed = wooChanged;

const customerRow = async (id: string) =>
  (
    await h.temp.store.db.all<Record<string, unknown>>(
      sql`select email, first_name, last_name, country, timezone, tags, marketing_consent, created_at from customers where id = ${id}`,
    )
  )[0];
const productRow = async (id: string) =>
  (
    await h.temp.store.db.all<Record<string, unknown>>(
      sql`select title, url, image_url, category, currency, price_minor, stock_quantity, in_stock from products where id = ${id}`,
    )
  )[0];

describe('customers', () => {
  it('stores the sample customer, without marketing consent', async () => {
    expect(await h.send('customer.created', wooFixture('customer'))).toBe('applied');
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
    await ingestRecords({ store: h.temp.store }, { kind: 'customers', records: [known], now: start });
    await h.send('customer.updated', changed('customer', { first_name: 'James' }, 60));
    expect(await customerRow('25')).toMatchObject({
      first_name: 'James',
      marketing_consent: 1,
      timezone: 'America/Los_Angeles',
      tags: '["vip"]',
    });
  });

  it('reads consent from the configured meta_data key', async () => {
    const keyed = wooApp({
      store: h.temp.store,
      now: () => h.clock,
      woocommerce: { webhookSecret: wooSecret, consentMetaKey: 'marketing_opt_in' },
    });
    const meta = (value: unknown) => [{ id: 1, key: 'marketing_opt_in', value }];
    await h.send('customer.created', changed('customer', { meta_data: meta('yes') }), keyed);
    expect((await customerRow('25'))!.marketing_consent).toBe(1);
    await h.send('customer.updated', changed('customer', { meta_data: meta('no') }, 60), keyed);
    expect((await customerRow('25'))!.marketing_consent).toBe(0);
    await h.send('customer.updated', changed('customer', { meta_data: meta(true) }, 120), keyed);
    expect((await customerRow('25'))!.marketing_consent).toBe(1);
    await h.send('customer.updated', changed('customer', { meta_data: [] }, 180), keyed);
    expect((await customerRow('25'))!.marketing_consent).toBe(0);
  });

  it('a deleted customer keeps their row and loses marketing consent', async () => {
    const known = ingestSchemas.customers.parse({
      id: '25',
      email: 'john.doe@example.com',
      marketing_consent: true,
    });
    await ingestRecords({ store: h.temp.store }, { kind: 'customers', records: [known], now: start });
    expect(await h.send('customer.deleted', { id: 25 })).toBe('applied');
    expect(await customerRow('25')).toMatchObject({ email: 'john.doe@example.com', marketing_consent: 0 });
  });

  it('an erased customer is never filled in again by a webhook', async () => {
    await h.send('customer.created', wooFixture('customer'));
    await eraseCustomer({ store: h.temp.store }, { customerId: '25', now: h.clock });
    const erased = await snapshot(h.temp.store);
    await h.send('customer.updated', changed('customer', {}, 60));
    expect(await customerRow('25')).toMatchObject({ email: null, first_name: null, last_name: null });
    const after = await snapshot(h.temp.store);
    expect(after.customers).toEqual(erased.customers);
  });
});

describe('products', () => {
  it('stores the sample product in the shop currency', async () => {
    expect(await h.send('product.created', wooFixture('product'))).toBe('applied');
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
    await h.send('product.created', changed('product', { status: 'draft' }));
    expect((await productRow('794'))!.in_stock).toBe(0);
    await h.send('product.updated', changed('product', {}, 60));
    expect((await productRow('794'))!.in_stock).toBe(1);
    expect(await h.send('product.deleted', { id: 794 })).toBe('applied');
    expect(await productRow('794')).toMatchObject({ title: 'Premium Quality', in_stock: 0 });
  });

  it('stores a variation as its own product, with its parent category when it has none', async () => {
    await h.send('product.created', changed('product', { id: 22, name: 'Ship Your Idea', price: '' }));
    await h.send('product.created', wooFixture('variation'));
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
      store: h.temp.store,
      now: () => h.clock,
      woocommerce: { webhookSecret: wooSecret },
    });
    const response = await deliver(unsettled, 'product.created', wooFixture('product'));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      ok: false,
      outcome: 'retry',
      note: expect.stringMatching(/currency/),
    });
    expect(await productRow('794')).toBeUndefined();
  });
});

describe('back in stock', () => {
  const campaign = backInStockCampaign();
  const sweep = () => {
    h.clock += 60_000;
    return runSweep({
      store: h.temp.store,
      campaigns: {
        settings: shopSettings({ frequencyCap: { maxMessages: 10, perDays: 1 } }),
        campaigns: [campaign],
      },
      now: h.clock,
      dryRun: false,
      pageSize: 10,
    });
  };
  const mailed = async () =>
    (await h.temp.store.db.all<{ email: string }>(sql`select email from messages order by rowid`)).map(
      (r) => r.email,
    );

  it('a variation going from 0 to 5 in stock mails its waitlist after a sweep, once', async () => {
    await h.send('product.created', wooFixture('variation'));
    const shopper = ingestSchemas.customers.parse({
      id: '31',
      email: 'ann@example.com',
      marketing_consent: true,
    });
    await ingestRecords({ store: h.temp.store }, { kind: 'customers', records: [shopper], now: h.clock });
    const waiting = ingestSchemas.waitlist.parse({
      product_id: '733',
      customer_id: '31',
      email: 'ann@example.com',
    });
    await ingestRecords({ store: h.temp.store }, { kind: 'waitlist', records: [waiting], now: h.clock });
    await sweep();
    expect(await mailed()).toEqual([]);

    const restocked = changed('variation', { stock_quantity: 5, stock_status: 'instock' }, 3600);
    expect(await h.send('product.updated', restocked)).toBe('applied');
    expect(await h.send('product.updated', restocked)).toBe('duplicate');
    const restocks = await h.temp.store.db.all(sql`select product_id, quantity from restocks`);
    expect(restocks).toEqual([{ product_id: '733', quantity: 5 }]);

    await sweep();
    expect(await mailed()).toEqual(['ann@example.com']);
    await sweep();
    expect(await mailed()).toEqual(['ann@example.com']);
  });
});
