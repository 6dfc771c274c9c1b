import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateLibsql, openLibsqlStore } from '../../../src/db/libsql.ts';
import { createApiKey, revokeApiKey } from '../../../src/db/repositories/api-keys.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
let app: ReturnType<typeof createApp>;
let ingestKey: string;
let reportsKey: string;
let clock = Date.parse('2026-11-01T12:00:00Z');

beforeEach(async () => {
  temp = await openTempStore();
  clock = Date.parse('2026-11-01T12:00:00Z');
  app = createApp({ store: temp.store, now: () => clock });
  ingestKey = (await createApiKey(temp.store, { name: 'platform', scopes: ['ingest'], now: clock })).secret;
  reportsKey = (await createApiKey(temp.store, { name: 'analyst', scopes: ['reports'], now: clock })).secret;
});
afterEach(() => temp.cleanup());

function post(path: string, body: unknown, key: string | null = ingestKey, raw?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  return app.request(path, { method: 'POST', headers, body: raw ?? JSON.stringify(body) });
}

const customer = {
  id: '450789469123456789',
  email: 'Ada@Example.com',
  first_name: 'Ada',
  timezone: 'Europe/London',
  country: 'gb',
  tags: ['vip'],
  marketing_consent: true,
  created_at: '2025-01-02T03:04:05+01:00',
};
const order = {
  id: '820982911946154508',
  customer_id: '450789469123456789',
  placed_at: '2026-10-01T09:30:00-04:00',
  currency: 'GBP',
  total: '59.97',
  discount_codes: ['back-7kq9-m2xf'],
  items: [
    { product_id: 'p1', title: 'Mug', quantity: 2, unit_price: '19.99' },
    { product_id: 'p2', title: 'Tea', quantity: 1, unit_price: 19.99 },
  ],
};
const cart = {
  id: 'cart-1',
  email: 'bo@example.com',
  currency: 'EUR',
  last_activity_at: '2026-10-31T22:00:00Z',
  recovery_url: 'https://shop.example/cart/recover/abc',
  items: [{ product_id: 'p1', quantity: 3, unit_price: '5.50' }],
};
const product = { id: 'p1', title: 'Mug', currency: 'GBP', price: '19.99', stock: 0, category: 'Kitchen' };
const signup = { product_id: 'p1', email: 'Cy@Example.com' };

const validBodies: [string, unknown, string][] = [
  ['customers', customer, 'customers'],
  ['orders', order, 'orders'],
  ['carts', cart, 'carts'],
  ['products', product, 'products'],
  ['waitlist', signup, 'waitlist_entries'],
];

describe('ingestion routes store records', () => {
  it.each(validBodies)('POST /v1/%s stores one record', async (route, body, table) => {
    const response = await post(`/v1/${route}`, body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ stored: 1 });
    const rows = await temp.store.db.all(sql.raw(`select * from ${table}`));
    expect(rows).toHaveLength(1);
  });

  it('stores an order with a line price finer than the currency, its total from the exact lines', async () => {
    const { total: _given, ...untotalled } = order;
    const response = await post('/v1/orders', {
      ...untotalled,
      items: [
        { product_id: 'p1', quantity: 12, unit_price: '0.001' },
        { product_id: 'p2', quantity: 1, unit_price: 2.1 },
      ],
    });
    expect(response.status).toBe(200);
    const [stored] = await temp.store.db.all<{ total_minor: number }>(sql`select total_minor from orders`);
    expect(stored?.total_minor).toBe(211);
    const items = await temp.store.db.all(
      sql`select quantity, unit_price_minor from order_items order by line_no`,
    );
    expect(items).toEqual([
      { quantity: 12, unit_price_minor: 0 },
      { quantity: 1, unit_price_minor: 210 },
    ]);
  });

  it('keeps 18-digit ids exact, money in minor units and times in UTC', async () => {
    await post('/v1/customers', customer);
    await post('/v1/orders', order);
    const [row] = await temp.store.db.all<Record<string, unknown>>(sql`select * from orders`);
    expect(row).toMatchObject({
      id: '820982911946154508',
      customer_id: '450789469123456789',
      total_minor: 5997,
      currency: 'GBP',
      placed_at: Date.parse('2026-10-01T13:30:00Z'),
      discount_codes: '["BACK-7KQ9-M2XF"]',
    });
    const items = await temp.store.db.all(
      sql`select line_no, quantity, unit_price_minor from order_items order by line_no`,
    );
    expect(items).toEqual([
      { line_no: 0, quantity: 2, unit_price_minor: 1999 },
      { line_no: 1, quantity: 1, unit_price_minor: 1999 },
    ]);
    const [stored] = await temp.store.db.all<Record<string, unknown>>(
      sql`select email, country, tags from customers`,
    );
    expect(stored).toEqual({ email: 'ada@example.com', country: 'GB', tags: '["vip"]' });
  });

  it('derives a cart value from its items when none is given', async () => {
    await post('/v1/carts', cart);
    const [row] = await temp.store.db.all<{ value_minor: number }>(sql`select value_minor from carts`);
    expect(row?.value_minor).toBe(1650);
  });

  it('stores a batch of mixed-size orders across statement chunks', async () => {
    const batch = Array.from({ length: 250 }, (_, i) => ({ ...order, id: `o${i}` }));
    expect((await post('/v1/orders', batch)).status).toBe(200);
    const [count] = await temp.store.db.all<{ n: number }>(sql`select count(*) as n from order_items`);
    expect(count?.n).toBe(500);
  });
});

describe('idempotency', () => {
  it.each(validBodies)('repeating POST /v1/%s changes nothing, updated_at included', async (route, body) => {
    await post(`/v1/${route}`, [body]);
    const before = await snapshot(temp.store);
    clock += 60_000;
    expect((await post(`/v1/${route}`, [body])).status).toBe(200);
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('a changed record is updated and stamped', async () => {
    await post('/v1/customers', customer);
    clock += 60_000;
    await post('/v1/customers', { ...customer, first_name: 'Augusta' });
    const [row] = await temp.store.db.all<Record<string, unknown>>(
      sql`select first_name, updated_at from customers`,
    );
    expect(row).toEqual({ first_name: 'Augusta', updated_at: clock });
  });

  it('a re-sent order replaces its items instead of adding to them', async () => {
    await post('/v1/orders', order);
    await post('/v1/orders', { ...order, items: [order.items[0]] });
    const [count] = await temp.store.db.all<{ n: number }>(sql`select count(*) as n from order_items`);
    expect(count?.n).toBe(1);
  });

  it('records a restock only when a product goes from out of stock to in stock', async () => {
    await post('/v1/products', product);
    clock += 1000;
    await post('/v1/products', { ...product, stock: 4 });
    await post('/v1/products', { ...product, stock: 3 });
    clock += 1000;
    await post('/v1/products', { ...product, stock: 0 });
    await post('/v1/products', { ...product, in_stock: true, stock: null });
    const rows = await temp.store.db.all(sql`select product_id, quantity, at from restocks order by id`);
    const start = Date.parse('2026-11-01T12:00:00Z');
    expect(rows).toEqual([
      { product_id: 'p1', quantity: 4, at: start + 1000 },
      { product_id: 'p1', quantity: null, at: start + 2000 },
    ]);
  });

  it('records a price drop only when the price falls in the same currency', async () => {
    const start = Date.parse('2026-11-01T12:00:00Z');
    await post('/v1/products', { ...product, price: '20.00' });
    clock += 1000;
    await post('/v1/products', { ...product, price: '15.00' });
    await post('/v1/products', { ...product, price: '15.00' });
    clock += 1000;
    await post('/v1/products', { ...product, price: '18.00' });
    await post('/v1/products', { ...product, price: '9.00', currency: 'USD' });
    clock += 1000;
    await post('/v1/products', { ...product, price: '8.00', currency: 'USD' });
    const rows = await temp.store.db.all(
      sql`select product_id, currency, from_minor, to_minor, at from price_drops order by id`,
    );
    expect(rows).toEqual([
      { product_id: 'p1', currency: 'GBP', from_minor: 2000, to_minor: 1500, at: start + 1000 },
      { product_id: 'p1', currency: 'USD', from_minor: 900, to_minor: 800, at: start + 3000 },
    ]);
  });

  it('stamps first_in_stock_at once: created_at of the first write, else the write that finds it in stock', async () => {
    const start = Date.parse('2026-11-01T12:00:00Z');
    const firstInStock = async (id: string) =>
      (
        await temp.store.db.all<{ at: number | null }>(
          sql`select first_in_stock_at as at from products where id = ${id}`,
        )
      )[0]?.at;
    await post('/v1/products', { ...product, id: 'old', stock: 3, created_at: '2025-01-01T00:00:00Z' });
    expect(await firstInStock('old')).toBe(Date.parse('2025-01-01T00:00:00Z'));
    // Sold out at its first import: still an old product when it comes back.
    await post('/v1/products', { ...product, id: 'sold', stock: 0, created_at: '2025-01-01T00:00:00Z' });
    await post('/v1/products', { ...product, id: 'sold', stock: 4 });
    expect(await firstInStock('sold')).toBe(Date.parse('2025-01-01T00:00:00Z'));
    await post('/v1/products', { ...product, id: 'soon', stock: 0 });
    expect(await firstInStock('soon')).toBeNull();
    clock += 5000;
    await post('/v1/products', { ...product, id: 'soon', stock: 2 });
    expect(await firstInStock('soon')).toBe(start + 5000);
    clock += 5000;
    await post('/v1/products', { ...product, id: 'soon', stock: 0 });
    await post('/v1/products', { ...product, id: 'soon', stock: 7 });
    expect(await firstInStock('soon')).toBe(start + 5000);
  });

  it('keeps replenish_days when a record omits it and clears it when a record says null', async () => {
    const refill = async () =>
      (
        await temp.store.db.all<{ days: number | null }>(
          sql`select replenish_days as days from products where id = 'p1'`,
        )
      )[0]?.days;
    await post('/v1/products', { ...product, replenish_days: 30 });
    expect(await refill()).toBe(30);
    await post('/v1/products', { ...product, title: 'Renamed' });
    expect(await refill()).toBe(30);
    await post('/v1/products', { ...product, replenish_days: null });
    expect(await refill()).toBeNull();
    const refused = await post('/v1/products', { ...product, replenish_days: 0 });
    expect(refused.status).toBe(400);
  });

  it('does not re-arm a waitlist entry that was already notified', async () => {
    await post('/v1/waitlist', signup);
    await temp.store.db.run(sql`update waitlist_entries set notified_at = 5`);
    await post('/v1/waitlist', { ...signup, customer_id: 'c9' });
    const [row] = await temp.store.db.all(sql`select id, customer_id, notified_at from waitlist_entries`);
    expect(row).toEqual({ id: 'p1:cy@example.com', customer_id: 'c9', notified_at: 5 });
  });
});

describe('bad input is refused and stores nothing', () => {
  const badCases: [string, string, unknown, { row?: number; field: string }][] = [
    [
      'customers',
      'a bad email',
      [customer, { ...customer, id: 'c2', email: 'not-an-email' }],
      { row: 1, field: 'email' },
    ],
    // biome-ignore lint/correctness/noPrecisionLoss: the point is a JSON number that has lost digits.
    ['customers', 'a numeric id', [{ ...customer, id: 450789469123456789 }], { row: 0, field: 'id' }],
    [
      'customers',
      'an unknown time zone',
      [{ ...customer, timezone: 'Mars/Olympus' }],
      { row: 0, field: 'timezone' },
    ],
    ['customers', 'an unknown field', [{ ...customer, emial: 'x@example.com' }], { row: 0, field: 'emial' }],
    [
      'orders',
      'a time without offset',
      [order, { ...order, id: 'o2', placed_at: '2026-10-01T09:30:00' }],
      { row: 1, field: 'placed_at' },
    ],
    [
      'orders',
      'an impossible date',
      [{ ...order, placed_at: '2026-02-30T09:30:00Z' }],
      { row: 0, field: 'placed_at' },
    ],
    ['orders', 'too many decimals', [{ ...order, total: '59.975' }], { row: 0, field: 'total' }],
    ['orders', 'a non-numeric amount', [{ ...order, total: 'lots' }], { row: 0, field: 'total' }],
    [
      'orders',
      'a bad line price',
      [{ ...order, items: [{ quantity: 1, unit_price: 'x' }] }],
      { row: 0, field: 'items[0].unit_price' },
    ],
    [
      'orders',
      'a zero quantity',
      [{ ...order, items: [{ quantity: 0, unit_price: '1' }] }],
      { row: 0, field: 'items[0].quantity' },
    ],
    ['orders', 'an unknown status', [{ ...order, status: 'maybe' }], { row: 0, field: 'status' }],
    ['orders', 'a missing customer', [{ ...order, customer_id: '' }], { row: 0, field: 'customer_id' }],
    ['orders', 'a duplicate id in one batch', [order, order], { row: 1, field: 'id' }],
    ['carts', 'a bad currency', [{ ...cart, currency: 'EURO' }], { row: 0, field: 'currency' }],
    [
      'carts',
      'a relative recovery URL',
      [{ ...cart, recovery_url: '/cart' }],
      { row: 0, field: 'recovery_url' },
    ],
    [
      'products',
      'neither stock nor in_stock',
      [{ id: 'p', title: 'T', currency: 'GBP', price: '1' }],
      { row: 0, field: 'stock' },
    ],
    ['products', 'a fractional stock', [{ ...product, stock: 1.5 }], { row: 0, field: 'stock' }],
    ['waitlist', 'a missing email', [{ product_id: 'p1' }], { row: 0, field: 'email' }],
  ];

  it.each(badCases)(
    'POST /v1/%s with %s gets 400 naming the row and field',
    async (route, _label, body, where) => {
      await post('/v1/customers', { ...customer, id: 'existing' });
      const before = await snapshot(temp.store);
      const response = await post(`/v1/${route}`, body);
      expect(response.status).toBe(400);
      const json = (await response.json()) as {
        error: { code: string; message: string; details: unknown[] };
      };
      expect(json.error.code).toBe('invalid_input');
      expect(json.error.details).toContainEqual(expect.objectContaining(where));
      expect(await snapshot(temp.store)).toEqual(before);
    },
  );

  it('reports every bad row of a batch, not just the first', async () => {
    const response = await post('/v1/orders', [
      { ...order, id: 'a', total: 'x' },
      order,
      { ...order, id: 'b', placed_at: 'yesterday' },
    ]);
    const json = (await response.json()) as { error: { details: { row: number; field: string }[] } };
    expect(json.error.details.map((d) => [d.row, d.field])).toEqual([
      [0, 'total'],
      [2, 'placed_at'],
    ]);
  });

  it('a single object gets details without a row index', async () => {
    const response = await post('/v1/orders', { ...order, total: 'x' });
    const json = (await response.json()) as { error: { details: Record<string, unknown>[] } };
    expect(json.error.details).toEqual([{ field: 'total', message: 'expected a decimal amount like 12.34' }]);
  });

  it('refuses invalid JSON with 400', async () => {
    const response = await post('/v1/orders', null, ingestKey, '{"id": ');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
  });

  it('refuses an empty batch with 400', async () => {
    expect((await post('/v1/orders', [])).status).toBe(400);
  });

  it('refuses a body over the size limit with 413 and stores nothing', async () => {
    const before = await snapshot(temp.store);
    const huge = Array.from({ length: 900 }, (_, i) => ({
      ...customer,
      id: `c${i}`,
      first_name: 'x'.repeat(2500),
    }));
    const response = await post('/v1/customers', huge);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('refuses more rows than one call allows with 413', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ product_id: 'p', email: `u${i}@example.com` }));
    expect((await post('/v1/waitlist', many)).status).toBe(413);
  });
});

describe('authentication', () => {
  it('401 without a key', async () => {
    const response = await post('/v1/customers', customer, null);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('401 with a wrong key', async () => {
    expect((await post('/v1/customers', customer, `${ingestKey}x`)).status).toBe(401);
  });

  it('401 with a revoked key', async () => {
    const key = await createApiKey(temp.store, { name: 'old', scopes: ['ingest'], now: clock });
    await revokeApiKey(temp.store, key.id, clock);
    expect((await post('/v1/customers', customer, key.secret)).status).toBe(401);
  });

  it('403 with a key that lacks the ingest scope, and nothing is stored', async () => {
    const response = await post('/v1/customers', customer, reportsKey);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain("'ingest'");
    const rows = await temp.store.db.all(sql`select * from customers`);
    expect(rows).toEqual([]);
  });

  it('an admin key may do everything', async () => {
    const admin = await createApiKey(temp.store, { name: 'root', scopes: ['admin'], now: clock });
    expect((await post('/v1/customers', customer, admin.secret)).status).toBe(200);
  });

  it('stores keys hashed, never in clear', async () => {
    const rows = await temp.store.db.all<{ hash: string }>(sql`select hash from api_keys`);
    for (const row of rows) {
      expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.hash).not.toContain(ingestKey.slice(12));
    }
  });
});

describe('health', () => {
  it('GET /healthz answers ok', async () => {
    const response = await app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('GET /healthz answers 503 on a libSQL file that has not had its migrations, then 200 after them', async () => {
    const bare = await openLibsqlStore({ url: `file:${join(temp.dir, 'bare.db')}` });
    try {
      const bareApp = createApp({ store: bare, now: () => clock });
      const before = await bareApp.request('/healthz');
      expect(before.status).toBe(503);
      expect(((await before.json()) as { problem: string }).problem).toMatch(
        /^the database has not had its migrations \(missing tables: api_keys, .*\): run `rekindle migrate`/,
      );
      await migrateLibsql(bare);
      expect((await bareApp.request('/healthz')).status).toBe(200);
    } finally {
      await bare.close();
    }
  });

  it('unknown routes get a JSON 404', async () => {
    const response = await app.request('/v1/nope');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
