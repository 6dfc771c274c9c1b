// File import of products (with stock and restocks), carts and customers into
// a real libSQL file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { asc } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateLibsql, openLibsqlStore } from '../../../src/db/libsql.ts';
import { cartItems, carts, customers, products, restocks } from '../../../src/db/schema/index.ts';
import type { Store } from '../../../src/db/store.ts';
import { importFile } from '../support/import-file.ts';

const fixture = (name: string) => resolve(import.meta.dirname, '../../fixtures/import', name);
const now = Date.parse('2026-11-20T12:00:00Z');

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rekindle-import-kinds-'));
  store = await openLibsqlStore({ url: `file:${join(dir, 'test.db')}` });
  await migrateLibsql(store);
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('products', () => {
  it('stores stock as a quantity or in/out words and records a restock on re-import', async () => {
    const summary = await importFile(store, 'products', fixture('products.csv'), {}, now);
    expect(summary).toMatchObject({
      rows: 6,
      rejected: 2,
      stored: { products: 4 },
      reasons: { 'invalid price': 1, 'blank stock': 1 },
      rejections: [
        { line: 6, reason: 'price: 1.999 has 3 decimals, GBP has 2' },
        { line: 7, reason: 'stock: give stock (a quantity) or in_stock (true/false)' },
      ],
    });
    const stored = await store.db.select().from(products).orderBy(asc(products.id));
    expect(stored.map((p) => [p.id, p.title, p.priceMinor, p.stockQuantity, p.inStock, p.category])).toEqual([
      ['p1', 'Mug, large', 1250, 4, true, 'Kitchen'],
      ['p2', 'Tea towel', 500, 0, false, 'Kitchen'],
      ['p3', 'Gift card', 2500, null, true, null],
      ['p4', 'Pen', 199, null, false, 'Office'],
    ]);
    expect(stored[0]).toMatchObject({
      url: 'https://shop.example/p1',
      imageUrl: 'https://shop.example/p1.jpg',
    });

    const update = join(dir, 'stock.csv');
    await writeFile(update, 'id,title,currency,price,stock\np2,Tea towel,GBP,5.00,7\n');
    await importFile(store, 'products', update, {}, now + 1);
    const events = await store.db.select().from(restocks);
    expect(events.map((r) => [r.productId, r.quantity, r.at])).toEqual([['p2', 7, now + 1]]);
  });
});

describe('carts', () => {
  it('assembles cart rows, maps statuses and derives the value from the items', async () => {
    const summary = await importFile(store, 'carts', fixture('carts.csv'), {}, now);
    expect(summary).toMatchObject({ rows: 3, rejected: 0, stored: { carts: 2, items: 3, customers: 0 } });
    const stored = await store.db.select().from(carts).orderBy(asc(carts.id));
    expect(stored.map((c) => [c.id, c.customerId, c.email, c.status, c.valueMinor, c.recoveryUrl])).toEqual([
      ['k1', 'c1', 'ann@example.com', 'open', 2500, 'https://shop.example/cart/k1'],
      ['k2', null, 'bo@example.com', 'converted', 700, null],
    ]);
    const items = await store.db
      .select()
      .from(cartItems)
      .orderBy(asc(cartItems.cartId), asc(cartItems.lineNo));
    expect(items.map((i) => [i.cartId, i.productId, i.quantity])).toEqual([
      ['k1', 'p1', 2],
      ['k1', 'p2', 1],
      ['k2', 'p3', 1],
    ]);
  });
});

describe('customers', () => {
  it('reads Shopify customer headers, consent words, tags and dates', async () => {
    const summary = await importFile(store, 'customers', fixture('customers.csv'), {}, now);
    expect(summary).toMatchObject({
      rows: 3,
      rejected: 2,
      stored: { customers: 1 },
      reasons: { 'unparseable created_at': 1, 'invalid email': 1 },
    });
    expect(summary.rejections.map((r) => r.line)).toEqual([3, 4]);
    const [ann] = await store.db.select().from(customers);
    expect(ann).toMatchObject({
      id: 'c1',
      email: 'ann@example.com',
      firstName: 'Ann',
      lastName: 'Lee',
      country: 'GB',
      tags: '["vip","wholesale"]',
      marketingConsent: true,
      createdAt: Date.parse('2023-05-01T08:00:00Z'),
    });

    const withZone = await importFile(
      store,
      'customers',
      fixture('customers.csv'),
      { timezone: 'Europe/London' },
      now,
    );
    expect(withZone.stored.customers).toBe(2);
    const bo = (await store.db.select().from(customers)).find((c) => c.id === 'c2');
    expect(bo?.createdAt).toBe(Date.parse('2023-05-31T23:00:00Z'));
  });
});
