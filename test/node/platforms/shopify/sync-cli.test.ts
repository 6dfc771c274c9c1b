// rekindle shopify sync as a command: it refuses to start without the Admin
// API's settings (and opens no database), prints its summary as --json, stops
// with exit 1 and a line saying how to go on when Shopify fails, and a
// synced order is the same row a webhook delivered (the gid's numeric tail is
// the webhook's id).
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { shopifyCommand } from '../../../../src/cli/shopify.ts';
import { shopifySync } from '../../../../src/cli/shopify-sync.ts';
import { captureCli } from '../../support/cli.ts';
import { type ServedFetch, serveFetch } from '../../support/serve-fetch.ts';
import { openTempStore, type TempStore } from '../../support/temp-store.ts';
import { createShopifyStandIn } from '../stand-ins/shopify-admin.ts';
import { fixtureText, shopDomain, shopifyClient } from './shopify-client.ts';
import { shopCatalog } from './sync-catalog.ts';

const now = Date.parse('2026-12-01T00:00:00Z');
let temp: TempStore | undefined;
let served: ServedFetch | undefined;
afterEach(async () => {
  await served?.close();
  await temp?.cleanup();
  temp = undefined;
  served = undefined;
});

async function setUp(catalog: ReturnType<typeof shopCatalog>['catalog']) {
  temp = await openTempStore();
  const standIn = createShopifyStandIn({ catalog });
  served = await serveFetch(standIn.handle);
  const cli = captureCli(
    { DATABASE_URL: temp.url, SHOPIFY_SHOP_DOMAIN: shopDomain, SHOPIFY_ADMIN_TOKEN: 'shpat_standin' },
    now,
  );
  return { standIn, cli, url: served.url, store: temp.store };
}

describe('rekindle shopify sync (command)', { timeout: 60_000 }, () => {
  it('refuses to start without SHOPIFY_ADMIN_TOKEN, before opening the database', async () => {
    const cli = captureCli({ DATABASE_URL: 'file:/nonexistent/never.db' }, now);
    await expect(shopifyCommand(['sync'], cli.io)).rejects.toThrow(
      /SHOPIFY_SHOP_DOMAIN and SHOPIFY_ADMIN_TOKEN/,
    );
    await expect(shopifyCommand(['sync', '--only', 'orders,carts'], cli.io)).rejects.toThrow(
      /--only takes customers, products, orders, abandoned_checkouts; unknown: carts/,
    );
    await expect(shopifyCommand(['sync', '--url', 'https://x.example'], cli.io)).rejects.toThrow(
      /--url and --api-version are for shopify webhooks/,
    );
    expect(cli.opened()).toBe(0);
  });

  it('prints the summary as --json, and only the resources --only names', async () => {
    const { catalog } = shopCatalog({ customers: 3, products: 2, orders: 2, checkouts: 1 });
    const { cli, url, standIn } = await setUp(catalog);
    const code = await shopifySync({ only: 'customers,orders', json: true }, cli.io, { baseUrl: url });
    expect([code, cli.err.join('')]).toEqual([0, '']);
    const out = JSON.parse(cli.out.join(''));
    expect(out.ok).toBe(true);
    expect(out.resources.map((r: { resource: string; applied: number }) => [r.resource, r.applied])).toEqual([
      ['customers', 3],
      ['orders', 2],
    ]);
    expect(standIn.answered('products')).toEqual([]);
  });

  it('draws progress on stderr when it is a terminal, and prints the summary table', async () => {
    const { catalog } = shopCatalog({ customers: 2, products: 1, orders: 1, checkouts: 1 });
    const { cli, url } = await setUp(catalog);
    const code = await shopifySync({}, { ...cli.io, interactive: true }, { baseUrl: url });
    expect(code).toBe(0);
    const err = cli.err.join('');
    expect(err).toContain('\rcustomers: 1 pages, 2 records, 2 written');
    expect(err).toContain('\rabandoned_checkouts: 1 pages, 1 records, 1 written');
    expect(cli.out.join('')).toMatch(/^resource +resumed +pages +records +applied/);
  });

  it('exits 1 with how to go on when Shopify fails, keeping what it wrote', async () => {
    const { catalog } = shopCatalog({ customers: 3, products: 0, orders: 0, checkouts: 0 });
    const { cli, url, standIn, store } = await setUp(catalog);
    standIn.failNext(1, 500);
    const code = await shopifySync({}, cli.io, { baseUrl: url });
    expect(code).toBe(1);
    expect(cli.err.join('')).toMatch(
      /shopify sync stopped: customers: Shopify is unavailable \(HTTP 500\); run it again to go on where it stopped/,
    );
    expect(await store.db.all(sql.raw('select id from customers'))).toEqual([]);
  });

  it('a synced order is the row the orders/create webhook wrote: the gid tail is the webhook id', async () => {
    temp = await openTempStore();
    const client = shopifyClient(temp.store, { now: () => now });
    const body = fixtureText('orders-create.json');
    expect((await client.send('orders/create', body)).status).toBe(200);
    const [stored] = await temp.store.db.all<{ id: string; customer_id: string }>(
      sql.raw('select id, customer_id from orders'),
    );
    expect(stored?.id).toBe('820982911946154508');
    const { catalog } = shopCatalog({ customers: 1, products: 0, orders: 1, checkouts: 0 });
    const order = catalog.orders?.[0];
    order.id = 'gid://shopify/Order/820982911946154508';
    order.customer.id = `gid://shopify/Customer/${stored?.customer_id}`;
    order.updatedAt = '2099-01-01T00:00:00Z';
    const standIn = createShopifyStandIn({ catalog: { orders: [order] } });
    served = await serveFetch(standIn.handle);
    const cli = captureCli(
      { DATABASE_URL: temp.url, SHOPIFY_SHOP_DOMAIN: shopDomain, SHOPIFY_ADMIN_TOKEN: 'shpat_standin' },
      now,
    );
    expect(await shopifySync({ only: 'orders' }, cli.io, { baseUrl: served.url })).toBe(0);
    const rows = await temp.store.db.all<{ id: string; total_minor: number }>(
      sql.raw('select id, total_minor from orders'),
    );
    expect(rows).toEqual([{ id: '820982911946154508', total_minor: 2300 }]);
  });
});
