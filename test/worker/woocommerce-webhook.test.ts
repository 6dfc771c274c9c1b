// POST /webhooks/woocommerce in workerd on D1, through the Worker's own fetch
// handler with WOO_WEBHOOK_SECRET set: WooCommerce's sample order and product
// signed with Web Crypto are applied once, a tampered one is a 401 that writes
// nothing, the creation ping is a 200, a product going from 0 to 5 in stock
// records its restock, and without the secret the route answers 503. Ids are
// random: D1 is shared by every test file.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { signHmacSha256Base64 } from '../../src/adapters/platforms/shared/hmac-signature.ts';
import { applyIfNewer } from '../../src/adapters/platforms/woocommerce/apply-change.ts';
import { customerInput } from '../../src/core/ingest/records.ts';
import worker from '../../src/entry/worker.ts';
import { ingestStatements } from '../../src/services/ingest/ingest-records.ts';
import orderSample from '../fixtures/woocommerce/order.json';
import productSample from '../fixtures/woocommerce/product.json';
import { baseUrl, testStore } from './support/worker-client.ts';

const secret = 'woo-worker-test-secret';
// One env object for the file: the Worker wires once per env it is handed.
const wooEnv = { ...env, WOO_WEBHOOK_SECRET: secret };
const sign = (body: string) => signHmacSha256Base64(secret, body);

async function post(
  body: string,
  headers: Record<string, string>,
  workerEnv: object = wooEnv,
): Promise<Response> {
  const ctx = createExecutionContext();
  const request = new Request(`${baseUrl}/webhooks/woocommerce`, { method: 'POST', headers, body });
  const response = await worker.fetch(request, workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

async function deliver(topic: string, payload: unknown, signature?: string) {
  const body = JSON.stringify(payload);
  return post(body, {
    'content-type': 'application/json',
    'x-wc-webhook-topic': topic,
    'x-wc-webhook-signature': signature ?? (await sign(body)),
    'x-wc-webhook-delivery-id': crypto.randomUUID(),
  });
}

const randomId = () => 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000);

async function row<T>(query: string, id: number): Promise<T | null> {
  return env.DB.prepare(query).bind(String(id)).first<T>();
}

describe('POST /webhooks/woocommerce on the Worker', () => {
  it('applies the signed sample order once', async () => {
    const id = randomId();
    const order = { ...orderSample, id };
    const first = await deliver('order.created', order);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      ok: true,
      outcome: 'applied',
      topic: 'order.created',
      resource_id: String(id),
    });
    const again = await deliver('order.created', order);
    expect(await again.json()).toMatchObject({ outcome: 'duplicate' });
    const stored = await row<{ status: string; total_minor: number; currency: string }>(
      'select status, total_minor, currency from orders where id = ?',
      id,
    );
    expect(stored).toEqual({ status: 'paid', total_minor: 2935, currency: 'USD' });
  });

  it('refuses a tampered body with 401 and writes nothing', async () => {
    const id = randomId();
    const signed = JSON.stringify({ ...orderSample, id });
    const response = await post(signed.replace('"29.35"', '"0.01"'), {
      'content-type': 'application/json',
      'x-wc-webhook-topic': 'order.created',
      'x-wc-webhook-signature': await sign(signed),
    });
    expect(response.status).toBe(401);
    expect(await row('select id from orders where id = ?', id)).toBeNull();
    expect(
      await row(
        "select resource_id from platform_versions where platform = 'woocommerce' and resource_id = ?",
        id,
      ),
    ).toBeNull();
  });

  it('answers the creation ping with 200', async () => {
    const response = await post('webhook_id=142', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, outcome: 'ping', webhook_id: '142' });
  });

  it('answers 503 naming WOO_WEBHOOK_SECRET while it is unset, the ping included', async () => {
    const bare = env;
    const ping = await post('webhook_id=142', { 'content-type': 'application/x-www-form-urlencoded' }, bare);
    expect(ping.status).toBe(503);
    expect(await ping.json()).toMatchObject({
      error: { code: 'not_configured', message: expect.stringContaining('WOO_WEBHOOK_SECRET') },
    });
  });

  it('records a restock when a product goes from 0 to 5 in stock, priced in the bundled settings currency', async () => {
    const id = randomId();
    const out = { ...productSample, id, manage_stock: true, stock_quantity: 0, stock_status: 'outofstock' };
    expect(await (await deliver('product.created', out)).json()).toMatchObject({ outcome: 'applied' });
    const back = {
      ...out,
      stock_quantity: 5,
      stock_status: 'instock',
      date_modified_gmt: '2017-03-24T09:00:00',
    };
    expect(await (await deliver('product.updated', back)).json()).toMatchObject({ outcome: 'applied' });
    const product = await row<{ in_stock: number; stock_quantity: number; currency: string }>(
      'select in_stock, stock_quantity, currency from products where id = ?',
      id,
    );
    expect(product).toEqual({ in_stock: 1, stock_quantity: 5, currency: 'GBP' });
    const restock = await row<{ quantity: number }>('select quantity from restocks where product_id = ?', id);
    expect(restock).toEqual({ quantity: 5 });
  });
});

describe('newer state wins on D1', () => {
  it('rolls back a delivery a newer one overtook after it read the version: the claim aborts the D1 batch', async () => {
    const store = testStore();
    const id = randomId();
    const change = (version: number, digest: string) => ({
      resource: 'customer',
      resourceId: String(id),
      version,
      digest,
    });
    const customer = (suffix: string) =>
      ingestStatements(
        { store },
        { kind: 'customers', records: [customerInput.parse({ id: `${id}-${suffix}` })], now: 1 },
      );
    const outcome = await applyIfNewer(store, change(1000, 'old'), 1, async () => {
      await applyIfNewer(store, change(2000, 'new'), 2, async () => customer('newer'));
      return customer('older');
    });
    expect(outcome).toBe('stale');
    const ids = await env.DB.prepare('select id from customers where id like ? order by id')
      .bind(`${id}-%`)
      .all<{ id: string }>();
    expect(ids.results.map((r) => r.id)).toEqual([`${id}-newer`]);
  });
});
