// The ingestion API end to end in workerd: the Worker's own fetch handler, a
// key stored in D1, a batch big enough that its statements must be split to
// fit D1's 100-parameter limit, and the rows read back from D1.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { orderInput } from '../../src/core/ingest/records.ts';
import worker from '../../src/entry/worker.ts';
import { ingestStatements } from '../../src/services/ingest/ingest-records.ts';
import {
  baseUrl,
  countRows,
  createKey,
  orderBatch,
  postJson,
  testStore,
  uniquePrefix,
} from './support/worker-client.ts';

let ingestKey: string;

beforeAll(async () => {
  ingestKey = await createKey(['ingest']);
});

describe('GET /healthz', () => {
  it('answers ok once the database answers', async () => {
    const response = await exports.default.fetch(`${baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('answers 503 on a D1 that has not had its migrations, saying how to apply them', async () => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(`${baseUrl}/healthz`), { ...env, DB: env.BARE_DB }, ctx);
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { ok: boolean; problem: string };
    expect(body.ok).toBe(false);
    expect(body.problem).toMatch(
      /has not had its migrations \(missing tables: api_keys, .*\): .*wrangler d1 migrations apply DB/,
    );
  });
});

describe('POST /v1/orders on D1', () => {
  it('stores 60 orders with 3 items each, in statements split to fit D1', async () => {
    const prefix = uniquePrefix();
    const batch = orderBatch(prefix, 60, 3);

    const response = await postJson('/v1/orders', batch, ingestKey);

    expect(await response.json()).toEqual({ stored: 60 });
    expect(response.status).toBe(200);
    expect(await countRows('orders', 'id', prefix)).toBe(60);
    expect(await countRows('order_items', 'order_id', prefix)).toBe(180);
    const order = await env.DB.prepare(
      'select customer_id, placed_at, currency, total_minor, discount_codes from orders where id = ?',
    )
      .bind(`${prefix}-order-0`)
      .first();
    expect(order).toEqual({
      customer_id: `${prefix}-customer-0`,
      placed_at: Date.parse('2026-10-01T13:30:00Z'),
      currency: 'EUR',
      total_minor: 3650,
      discount_codes: '["BACK-15"]',
    });
    const { results: items } = await env.DB.prepare(
      'select line_no, quantity, unit_price_minor from order_items where order_id = ? order by line_no',
    )
      .bind(`${prefix}-order-59`)
      .all();
    expect(items).toEqual([
      { line_no: 0, quantity: 1, unit_price_minor: 410 },
      { line_no: 1, quantity: 2, unit_price_minor: 410 },
      { line_no: 2, quantity: 3, unit_price_minor: 410 },
    ]);
  });

  it('binds the rows of each table as one JSON value: a big batch needs no split by D1 parameters', async () => {
    const prefix = uniquePrefix();
    const records = orderInput.array().parse(orderBatch(prefix, 60, 3));
    const store = testStore();

    // 60 orders x 8 columns and 180 items x 6 would be 1,560 bound values as VALUES lists.
    const statements = ingestStatements({ store }, { kind: 'orders', records, now: Date.now() });

    expect(statements).toHaveLength(3); // orders, their old items out, their items in
    await store.batch(statements);
    expect(await countRows('orders', 'id', prefix)).toBe(60);
    expect(await countRows('order_items', 'order_id', prefix)).toBe(180);
  });

  it('is idempotent: sending the same batch again leaves one copy of every row', async () => {
    const prefix = uniquePrefix();
    const batch = orderBatch(prefix, 20, 3);
    expect((await postJson('/v1/orders', batch, ingestKey)).status).toBe(200);
    expect((await postJson('/v1/orders', batch, ingestKey)).status).toBe(200);
    expect(await countRows('orders', 'id', prefix)).toBe(20);
    expect(await countRows('order_items', 'order_id', prefix)).toBe(60);
  });

  it('rejects a batch with one bad row with 400, naming the row, and stores nothing', async () => {
    const prefix = uniquePrefix();
    const batch: Record<string, unknown>[] = orderBatch(prefix, 60, 3);
    batch[41] = { ...batch[41], total: 'twelve' };

    const response = await postJson('/v1/orders', batch, ingestKey);

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: unknown[] } };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.details).toContainEqual(expect.objectContaining({ row: 41, field: 'total' }));
    expect(await countRows('orders', 'id', prefix)).toBe(0);
    expect(await countRows('order_items', 'order_id', prefix)).toBe(0);
  });

  it('rolls back every split statement when one fails inside the batch', async () => {
    const prefix = uniquePrefix();
    const records = orderInput.array().parse(orderBatch(prefix, 60, 3));
    const store = testStore();
    const statements = ingestStatements({ store }, { kind: 'orders', records, now: Date.now() });
    // The same line twice violates order_items' primary key, after every order
    // row has already been written inside the batch.
    const clash = ingestStatements(
      { store },
      { kind: 'orders', records: records.slice(0, 1), now: Date.now() },
    ).at(-1)!;

    await expect(store.batch([...statements, clash])).rejects.toThrow(/UNIQUE constraint failed/);

    expect(await countRows('orders', 'id', prefix)).toBe(0);
    expect(await countRows('order_items', 'order_id', prefix)).toBe(0);
  });

  it('answers 401 without a key and 403 with a key lacking the ingest scope', async () => {
    const prefix = uniquePrefix();
    const batch = orderBatch(prefix, 2, 1);

    const anonymous = await postJson('/v1/orders', batch, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('unauthorized');

    const unknown = await postJson('/v1/orders', batch, 'rk_nothere_0000');
    expect(unknown.status).toBe(401);

    const reportsOnly = await postJson('/v1/orders', batch, await createKey(['reports']));
    expect(reportsOnly.status).toBe(403);

    expect(await countRows('orders', 'id', prefix)).toBe(0);
  });
});

describe('POST /v1/products on D1', () => {
  it('records a restock when a product comes back in stock', async () => {
    const prefix = uniquePrefix();
    const product = (inStock: boolean, quantity: number) => ({
      id: `${prefix}-product`,
      title: 'Linen apron',
      price: '24.00',
      currency: 'GBP',
      in_stock: inStock,
      stock: quantity,
    });

    expect((await postJson('/v1/products', product(false, 0), ingestKey)).status).toBe(200);
    expect((await postJson('/v1/products', product(true, 7), ingestKey)).status).toBe(200);
    expect((await postJson('/v1/products', product(true, 5), ingestKey)).status).toBe(200);

    const { results } = await env.DB.prepare('select quantity from restocks where product_id = ?')
      .bind(`${prefix}-product`)
      .all();
    expect(results).toEqual([{ quantity: 7 }]);
  });
});
