// Products and stock through POST /webhooks/shopify on a real libSQL file: a
// product's variants become Rekindle products; inventory_levels/update finds
// its variants through the inventory item (one item may stock several) and
// sums the item's locations; 0 → 5 is a restock, and the back-in-stock sweep
// mails the waitlist; an older level never overwrites a newer one.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTransport } from '../../../../src/adapters/mailer/memory.ts';
import type { Campaign, CampaignSet } from '../../../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../../../src/core/ingest/records.ts';
import { drainOutbox } from '../../../../src/services/delivery/drain-outbox.ts';
import { ingestRecords } from '../../../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, shopSettings } from '../../support/campaign-fixtures.ts';
import { deliveryOptions } from '../../support/delivery-fixtures.ts';
import { openTempStore, type TempStore } from '../../support/temp-store.ts';
import { fixtureText, shopifyClient, withFields } from './shopify-client.ts';

const now = Date.parse('2026-11-23T12:00:00Z');
const small = '642667041472713922';
const medium = '757650484644203962';
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

const backInStock: Campaign = {
  ...dormantCampaign(),
  id: 'restock',
  name: 'Back in stock',
  cooldownDays: 0,
  trigger: { type: 'back_in_stock', includeCarts: false, allocation: { mode: 'all' } },
};
const campaigns: CampaignSet = {
  settings: shopSettings({ currency: 'USD', frequencyCap: { maxMessages: 10, perDays: 1 } }),
  campaigns: [backInStock],
};

function client() {
  return shopifyClient(temp.store, { now: () => now, campaigns });
}

async function stock() {
  return temp.store.db.all<{ id: string; stock_quantity: number | null; in_stock: number }>(
    sql`select id, stock_quantity, in_stock from products order by id`,
  );
}

function level(available: number, updatedAt: string, location = 24826418): string {
  return withFields(fixtureText('inventory-levels-update.json').replace('24826418,', `${location},`), {
    available,
    updated_at: updatedAt,
  });
}

describe('products', () => {
  it('stores each variant as a product: title, price in the shop currency, stock, link on the shop domain', async () => {
    expect((await client().send('products/create', fixtureText('products-create.json'))).status).toBe(200);
    const rows = await temp.store.db.all(
      sql`select id, title, url, category, currency, price_minor, stock_quantity, in_stock from products order by id`,
    );
    expect(rows).toEqual([
      {
        id: small,
        title: 'Example T-Shirt - Small',
        url: `https://example-shop.myshopify.com/products/example-t-shirt?variant=${small}`,
        category: 'Shirts',
        currency: 'USD',
        price_minor: 1999,
        stock_quantity: 0,
        in_stock: 0,
      },
      {
        id: medium,
        title: 'Example T-Shirt - Medium',
        url: `https://example-shop.myshopify.com/products/example-t-shirt?variant=${medium}`,
        category: 'Shirts',
        currency: 'USD',
        price_minor: 1999,
        stock_quantity: 50,
        in_stock: 1,
      },
    ]);
  });

  it('answers 503 (Shopify delivers again) while the settings file that gives the currency has not loaded', async () => {
    const shop = shopifyClient(temp.store, { now: () => now, campaigns: null });
    const response = await shop.send('products/create', fixtureText('products-create.json'));
    expect(response.status).toBe(503);
    expect(await stock()).toEqual([]);
  });
});

describe('stock', () => {
  it('mails the waitlist when an inventory level takes a variant from 0 to 5', async () => {
    const shop = client();
    await shop.send('customers/create', fixtureText('customers-create.json'));
    await shop.send('products/create', fixtureText('products-create.json'));
    const entry = ingestSchemas.waitlist.parse({
      product_id: small,
      customer_id: '706405506930370084',
      email: 'bob@example.com',
      created_at: '2026-11-20T10:00:00Z',
    });
    await ingestRecords({ store: temp.store }, { kind: 'waitlist', records: [entry], now });

    const response = await shop.send('inventory_levels/update', fixtureText('inventory-levels-update.json'));
    expect(await response.json()).toMatchObject({ outcome: 'applied' });
    expect((await stock()).find((row) => row.id === small)).toEqual({
      id: small,
      stock_quantity: 5,
      in_stock: 1,
    });
    const restocks = await temp.store.db.all(sql`select product_id, quantity from restocks`);
    expect(restocks).toEqual([{ product_id: small, quantity: 5 }]);

    await runSweep({ store: temp.store, campaigns, now, dryRun: false, pageSize: 10 });
    const transport = createMemoryTransport();
    await drainOutbox(await deliveryOptions(temp.store, transport, { campaigns, now: () => now }));
    expect(transport.sent.map((mail) => mail.envelope.to)).toEqual(['bob@example.com']);
  });

  it('restocks every variant an inventory item stocks, and sums its locations', async () => {
    const shop = client();
    const shared = fixtureText('products-create.json')
      .replace('"inventory_item_id": 913126496547092385', '"inventory_item_id": 271878346596884015')
      .replace('"inventory_quantity": 50', '"inventory_quantity": 0');
    await shop.send('products/create', shared);
    await shop.send('inventory_levels/update', level(5, '2026-11-21T09:00:00+00:00'));
    await shop.send('inventory_levels/update', level(3, '2026-11-21T09:01:00+00:00', 655441491));
    expect(await stock()).toEqual([
      { id: small, stock_quantity: 8, in_stock: 1 },
      { id: medium, stock_quantity: 8, in_stock: 1 },
    ]);
    const restocks = await temp.store.db.all(sql`select product_id from restocks order by product_id`);
    expect(restocks).toEqual([{ product_id: small }, { product_id: medium }]);
  });

  it('never lets an older level overwrite a newer one', async () => {
    const shop = client();
    await shop.send('products/create', fixtureText('products-create.json'));
    await shop.send('inventory_levels/update', level(0, '2026-11-21T10:00:00+00:00'));
    const late = await shop.send('inventory_levels/update', level(5, '2026-11-21T09:00:00+00:00'));
    expect(await late.json()).toMatchObject({ outcome: 'stale' });
    expect((await stock()).find((row) => row.id === small)).toEqual({
      id: small,
      stock_quantity: 0,
      in_stock: 0,
    });
    expect(await temp.store.db.all(sql`select id from restocks`)).toEqual([]);
  });

  it('takes variants/in_stock and variants/out_of_stock as the stock of the stored product', async () => {
    const shop = client();
    await shop.send('products/create', fixtureText('products-create.json'));
    await shop.send('variants/in_stock', fixtureText('variants-in-stock.json'));
    expect((await stock()).find((row) => row.id === small)).toEqual({
      id: small,
      stock_quantity: 3,
      in_stock: 1,
    });
    const soldOut = withFields(fixtureText('variants-in-stock.json'), {
      inventory_quantity: 0,
      updated_at: '2026-11-21T11:00:00+00:00',
    });
    await shop.send('variants/out_of_stock', soldOut);
    expect((await stock()).find((row) => row.id === small)).toEqual({
      id: small,
      stock_quantity: 0,
      in_stock: 0,
    });
    const [title] = await temp.store.db.all(sql`select title from products where id = ${small}`);
    expect(title).toEqual({ title: 'Example T-Shirt - Small' });
  });
});
