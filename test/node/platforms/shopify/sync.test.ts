// rekindle shopify sync against the Admin GraphQL stand-in over loopback: a
// shop paged in several pages per resource is stored exactly once with exact
// ids past 2^53, a second sync writes nothing, a sync stopped by an outage
// after page 2 goes on from its saved cursor to the same tables as an
// uninterrupted one, and a THROTTLED answer is waited out.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformPorts } from '../../../../src/adapters/platforms/shared/ports.ts';
import { createShopifyAdminApi } from '../../../../src/adapters/platforms/shopify/admin-api.ts';
import { syncShopify } from '../../../../src/adapters/platforms/shopify/sync.ts';
import type { Store } from '../../../../src/db/store.ts';
import { ingestStatements } from '../../../../src/services/ingest/ingest-records.ts';
import { eraseCustomer } from '../../../../src/services/privacy/erase-customer.ts';
import { type ServedFetch, serveFetch } from '../../support/serve-fetch.ts';
import { openTempStore, snapshot, type TempStore } from '../../support/temp-store.ts';
import { createShopifyStandIn, type ShopifyStandIn } from '../stand-ins/shopify-admin.ts';
import { fixtureText, shopifyClient } from './shopify-client.ts';
import { shopCatalog } from './sync-catalog.ts';

const now = Date.parse('2026-12-01T00:00:00Z');
const size = { customers: 7, products: 5, orders: 8, checkouts: 6 };
const pageSize = 3;
const { catalog, ids } = shopCatalog(size);

let temps: TempStore[] = [];
let served: ServedFetch[] = [];
afterEach(async () => {
  for (const s of served) await s.close();
  for (const t of temps) await t.cleanup();
  temps = [];
  served = [];
});

async function shop(options: Parameters<typeof createShopifyStandIn>[0] = {}) {
  const standIn = createShopifyStandIn({ catalog, ...options });
  const server = await serveFetch(standIn.handle);
  served.push(server);
  return { standIn, url: server.url };
}

async function store(): Promise<Store> {
  const temp = await openTempStore();
  temps.push(temp);
  return temp.store;
}

function ports(s: Store, logs: string[] = []): PlatformPorts {
  return {
    store: s,
    now: () => now,
    ingest: (input) => ingestStatements({ store: s }, input),
    eraseCustomer: (input) => eraseCustomer({ store: s }, input),
    shopCurrency: () => 'GBP',
    log: (line) => logs.push(line),
  };
}

function sync(
  s: Store,
  url: string,
  deps: {
    sleep?: (ms: number) => Promise<void>;
    clock?: () => number;
    apiVersion?: string;
    resources?: Parameters<typeof syncShopify>[0]['resources'];
  } = {},
) {
  const apiVersion = deps.apiVersion ?? '2025-10';
  const api = createShopifyAdminApi(
    { shopDomain: 'example-shop.myshopify.com', adminToken: 'shpat_standin', apiVersion, baseUrl: url },
    { fetch: (u, init) => fetch(u, init), sleep: deps.sleep ?? (async () => {}), clock: deps.clock },
  );
  return syncShopify({
    api,
    ports: ports(s),
    shopDomain: 'example-shop.myshopify.com',
    apiVersion,
    resources: deps.resources,
    pageSize,
  });
}

async function column(s: Store, query: string): Promise<string[]> {
  const rows = await s.db.all<{ v: string }>(sql.raw(query));
  return rows.map((row) => String(row.v)).sort();
}

const pagesOf = (n: number) => Math.ceil(n / pageSize);

describe('rekindle shopify sync', { timeout: 60_000 }, () => {
  let standIn: ShopifyStandIn;
  let url: string;
  beforeEach(async () => {
    ({ standIn, url } = await shop());
  });

  it('stores every customer, variant, order and checkout once, over several pages, with exact ids', async () => {
    const s = await store();
    const result = await sync(s, url);
    expect(result.ok).toBe(true);
    const byResource = Object.fromEntries(result.resources.map((r) => [r.resource, r]));
    expect(byResource.customers).toMatchObject({ pages: pagesOf(7), records: 7, applied: 7, done: true });
    expect(byResource.products).toMatchObject({ pages: pagesOf(5), records: 5, applied: 5 });
    expect(byResource.orders).toMatchObject({ pages: pagesOf(8), records: 8, applied: 8 });
    expect(byResource.abandoned_checkouts).toMatchObject({ pages: pagesOf(6), records: 6, applied: 6 });
    expect(standIn.answered('orders').map((c) => c.variables.first)).toEqual([3, 3, 3]);

    expect(await column(s, 'select id as v from customers')).toEqual([...ids.customers].sort());
    expect(await column(s, 'select id as v from products')).toEqual([...ids.variants].sort());
    expect(await column(s, 'select id as v from orders')).toEqual([...ids.orders].sort());
    expect(await column(s, 'select id as v from carts')).toEqual([...ids.checkouts].sort());
    expect(await column(s, 'select product_id as v from order_items')).toHaveLength(size.orders);
    expect(await column(s, 'select customer_id as v from orders')).toEqual(
      ids.orders.map((_, i) => ids.customers[i % ids.customers.length] as string).sort(),
    );
    // The translations are the webhooks': consent from the marketing state, stock and titles per variant.
    const [first] = await s.db.all<Record<string, unknown>>(
      sql.raw(`select * from customers where id = '${ids.customers[0]}'`),
    );
    expect(first).toMatchObject({ email: 'shopper0@example.com', marketing_consent: 1, country: 'GB' });
    const [small] = await s.db.all<Record<string, unknown>>(
      sql.raw(`select * from products where id = '${ids.variants[0]}'`),
    );
    expect(small).toMatchObject({
      title: 'Product 0 - Small',
      stock_quantity: 0,
      in_stock: 0,
      price_minor: 1050,
    });
    const [cart] = await s.db.all<Record<string, unknown>>(
      sql.raw(`select * from carts where id = '${ids.checkouts[0]}'`),
    );
    expect(cart).toMatchObject({ status: 'open', value_minor: 3100, currency: 'GBP' });
    expect(cart?.recovery_url).toBe(
      `https://example-shop.myshopify.com/checkouts/recover/${ids.checkouts[0]}`,
    );
    expect(await column(s, 'select resource as v from shopify_sync_cursors')).toEqual([]);
    expect(result.resources.map((r) => r.truncated)).toEqual([0, 0, 0, 0]);

    // A second sync reads everything again and writes nothing.
    const before = await snapshot(s);
    const again = await sync(s, url);
    expect(again.ok).toBe(true);
    expect(again.resources.map((r) => [r.resource, r.applied, r.stale])).toEqual([
      ['customers', 0, 7],
      ['products', 0, 5],
      ['orders', 0, 8],
      ['abandoned_checkouts', 0, 6],
    ]);
    expect(await snapshot(s)).toEqual(before);
  });

  it('stopped after page 2, goes on from the saved cursor and ends with the same tables as an uninterrupted sync', async () => {
    const whole = await store();
    expect((await sync(whole, url)).ok).toBe(true);

    const { standIn: flaky, url: flakyUrl } = await shop();
    flaky.failNext(1, 503, 2);
    const s = await store();
    const stopped = await sync(s, flakyUrl);
    expect(stopped.ok).toBe(false);
    expect(stopped.ok ? '' : stopped.reason).toMatch(/customers: Shopify is unavailable \(HTTP 503\)/);
    expect(stopped.resources).toEqual([
      expect.objectContaining({ resource: 'customers', pages: 2, done: false }),
    ]);
    const [cursor] = await s.db.all<Record<string, unknown>>(sql.raw('select * from shopify_sync_cursors'));
    expect(cursor).toMatchObject({ resource: 'customers', pages: 2, records: 6 });
    expect(await column(s, 'select id as v from customers')).toHaveLength(6);

    const resumed = await sync(s, flakyUrl);
    expect(resumed.ok).toBe(true);
    expect(resumed.resources[0]).toMatchObject({
      resource: 'customers',
      resumed: true,
      pages: 1,
      records: 1,
    });
    // The page after the cursor, not the first one again.
    const customerCalls = flaky.calls.filter((c) => c.operation === 'customers');
    expect(customerCalls.map((c) => [c.answer, c.variables.after === null])).toEqual([
      ['ok', true],
      ['ok', false],
      ['failed', false],
      ['ok', false],
    ]);
    expect(customerCalls[3]?.variables.after).toBe(customerCalls[2]?.variables.after);
    expect(await snapshot(s)).toEqual(await snapshot(whole));
  });

  it('counts an order with more lines than one read as truncated, and stores its first lines', async () => {
    const long = structuredClone(catalog.orders?.[0]);
    long.lineItems.pageInfo = { hasNextPage: true };
    const { url: longUrl } = await shop({ catalog: { orders: [long] } });
    const s = await store();
    const result = await sync(s, longUrl);
    expect(result.resources.find((r) => r.resource === 'orders')).toMatchObject({ applied: 1, truncated: 1 });
    expect(await column(s, 'select order_id as v from order_items')).toEqual([ids.orders[0]]);
  });

  it('waits out a THROTTLED answer and then stores everything', async () => {
    let clock = now;
    const slept: number[] = [];
    const { standIn: tight, url: tightUrl } = await shop({
      clock: () => clock,
      bucket: { maximumAvailable: 20, currentlyAvailable: 1, restoreRate: 2 },
    });
    const s = await store();
    const result = await sync(s, tightUrl, {
      clock: () => clock,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      },
    });
    expect(result.ok).toBe(true);
    expect(tight.calls.filter((c) => c.answer === 'throttled').length).toBeGreaterThan(0);
    expect(slept.length).toBeGreaterThan(0);
    expect(await column(s, 'select id as v from customers')).toHaveLength(size.customers);
    expect(await column(s, 'select id as v from orders')).toHaveLength(size.orders);
  });

  describe('an order whose webhook was lost converts the cart its checkout left', () => {
    async function openCartThenSync(apiVersion: string) {
      const s = await store();
      const client = shopifyClient(s, { now: () => now });
      expect((await client.send('checkouts/create', fixtureText('checkouts-create.json'))).status).toBe(200);
      const [cart] = await s.db.all<{ id: string; status: string }>(sql.raw('select id, status from carts'));
      expect(cart?.status).toBe('open');
      const { url } = await shop();
      const result = await sync(s, url, { apiVersion, resources: ['orders'] });
      expect(result.ok).toBe(true);
      return s.db.all<{ status: string }>(sql.raw(`select status from carts where id = '${cart!.id}'`));
    }

    it('from API version 2026-07, where orders carry their checkout token', async () => {
      expect(await openCartThenSync('2026-07')).toEqual([{ status: 'converted' }]);
    });

    it('not before it: the query asks for no token an older version would refuse, and the cart stays open', async () => {
      expect(await openCartThenSync('2025-10')).toEqual([{ status: 'open' }]);
    });
  });
});
