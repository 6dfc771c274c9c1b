// rekindle woocommerce sync over several pages of the REST stand-in, on a real
// libSQL file: every customer, product, variation and order stored once; a
// second run asks modified_after and reads only what changed; a run stopped
// after two pages goes on and ends with the tables an uninterrupted run makes.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../../../src/db/store.ts';
import { openTempStore, snapshot } from '../../support/temp-store.ts';
import { gmtPlus } from '../../support/woocommerce.ts';
import { firstRun, orderRow, productRow, shopSize, syncShop } from './sync-shop.ts';

const shop = syncShop();

const count = async (store: Store, query: string) =>
  (await store.db.all<{ n: number }>(sql.raw(`select count(*) as n from ${query}`)))[0]!.n;

const variationCount = shopSize.variations.reduce((a, b) => a + b, 0);
const productCount = shopSize.simpleProducts + shopSize.variations.length;

describe('a first sync', () => {
  it('stores every customer, product, variation and order exactly once, reading each page once', async () => {
    const { code, summary } = await shop.sync();
    expect(code).toBe(0);
    expect(summary.complete).toBe(true);
    const { store } = shop.temp;
    expect(await count(store, "customers where id not like 'guest:%'")).toBe(shopSize.customers);
    // Guest orders: seven billing addresses.
    expect(await count(store, "customers where id like 'guest:%'")).toBe(7);
    expect(await count(store, 'products')).toBe(productCount + variationCount);
    expect(await count(store, 'products where id >= 3000')).toBe(variationCount);
    expect(await count(store, 'orders')).toBe(shopSize.orders);
    expect(await count(store, 'order_items')).toBe(shopSize.orders * 2);
    expect(summary.resources.orders).toMatchObject({
      read: shopSize.orders,
      applied: shopSize.orders,
      pages: 3,
    });
    expect(summary.variations).toMatchObject({ read: variationCount, applied: variationCount });

    const asked = shop.woo.requests.map((r) => `${r.path}?page=${r.query.get('page')}`);
    expect(new Set(asked).size).toBe(asked.length);
    expect(shop.woo.requests.every((r) => r.status === 200 && r.query.get('per_page') === '100')).toBe(true);
    // The 120 variations of product 2000 take two pages.
    expect(asked.filter((a) => a.includes('/products/2000/variations'))).toHaveLength(2);
  });
});

describe('a second sync', () => {
  it('asks modified_after, reads only newer products and orders, and changes nothing when nothing changed', async () => {
    await shop.sync();
    const after = await snapshot(shop.temp.store);
    shop.woo.requests.length = 0;
    const later = firstRun + 3600_000;
    const { summary } = await shop.sync([], later);
    expect(summary.complete).toBe(true);
    const orders = shop.woo.requests.filter((r) => r.path.endsWith('/orders'));
    expect(orders).toHaveLength(1);
    expect(orders[0]!.query.get('modified_after')).toBe(
      new Date(firstRun - 5 * 60_000).toISOString().slice(0, 19),
    );
    expect(summary.resources.orders.read).toBe(0);
    expect(summary.resources.products.read).toBe(0);
    // Customers have no modified_after: read whole, all unchanged.
    expect(summary.resources.customers).toMatchObject({ read: shopSize.customers, applied: 0 });
    const { woocommerce_sync_positions: _p, ...rest } = await snapshot(shop.temp.store);
    const { woocommerce_sync_positions: _q, ...before } = after;
    expect(rest).toEqual(before);
  });

  it('applies what changed since the last run', async () => {
    await shop.sync();
    const changedAt = gmtPlus('2026-11-01T12:30:00', 0);
    shop.woo.orders.set(5001, { ...orderRow(5001), status: 'refunded', date_modified_gmt: changedAt });
    shop.woo.orders.set(9000, orderRow(9000, { date_modified_gmt: changedAt }));
    shop.woo.products.set(1003, { ...productRow(1003), name: 'Renamed', date_modified_gmt: changedAt });
    const { summary } = await shop.sync([], firstRun + 3600_000);
    expect(summary.resources.orders).toMatchObject({ read: 2, applied: 2 });
    expect(summary.resources.products).toMatchObject({ read: 1, applied: 1 });
    const rows = await shop.temp.store.db.all(
      sql`select id, status from orders where id in ('5001', '9000') order by id`,
    );
    expect(rows).toEqual([
      { id: '5001', status: 'refunded' },
      { id: '9000', status: 'paid' },
    ]);
    expect(await count(shop.temp.store, 'orders')).toBe(shopSize.orders + 1);
  });
});

describe('a stopped sync', () => {
  it('goes on where it stopped and ends with the tables an uninterrupted sync makes', async () => {
    const stopped = await shop.sync(['--max-pages', '2']);
    expect(stopped.code).toBe(0);
    expect(stopped.summary).toMatchObject({ complete: false, paused: true });
    expect(await count(shop.temp.store, 'orders')).toBe(0);
    shop.woo.requests.length = 0;
    const resumed = await shop.sync();
    expect(resumed.summary.complete).toBe(true);
    // Customers took the two pages: the resumed run starts at products' page 1, and asks no customers page again.
    expect(shop.woo.requests.some((r) => r.path.endsWith('/customers'))).toBe(false);

    const other = await openTempStore();
    try {
      expect((await shop.sync([], firstRun, other)).summary.complete).toBe(true);
      expect(await snapshot(shop.temp.store)).toEqual(await snapshot(other.store));
    } finally {
      await other.cleanup();
    }
  });

  it('resumes mid-resource at the saved page with the same query', async () => {
    await shop.sync(['--max-pages', '3']);
    shop.woo.requests.length = 0;
    const { summary } = await shop.sync();
    expect(summary.resources.products.resumedAtPage).toBe(2);
    const first = shop.woo.requests.find((r) => r.path.endsWith('/products'));
    expect(first!.query.get('page')).toBe('2');
    expect(await count(shop.temp.store, 'products')).toBe(productCount + variationCount);
  });
});
