// POST /webhooks/shopify in workerd on D1, through the Worker's own fetch
// handler with SHOPIFY_WEBHOOK_SECRET set: Web Crypto checks the signature,
// a tampered body is refused with nothing written, a redelivery is applied
// once, an order id past 2^53 is stored exactly, and without the secret the
// route answers 503.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { signHmacSha256Base64 } from '../../src/adapters/platforms/shared/hmac-signature.ts';
import { claimVersions } from '../../src/adapters/platforms/shared/newer-state-wins.ts';
import { applyDelivery } from '../../src/adapters/platforms/shared/webhook-ledger.ts';
import worker from '../../src/entry/worker.ts';
import orderText from '../fixtures/shopify/orders-create.json?raw';
import productText from '../fixtures/shopify/products-create.json?raw';
import { baseUrl, testStore, uniquePrefix } from './support/worker-client.ts';

const secret = 'shpss_worker_test_secret';
// One env object: the Worker wires itself once per env, as once per isolate live.
const configured = {
  ...env,
  SHOPIFY_WEBHOOK_SECRET: secret,
  SHOPIFY_SHOP_DOMAIN: 'example-shop.myshopify.com',
};

async function send(
  topic: string,
  body: string,
  options: { signature?: string; deliveryId?: string; workerEnv?: object } = {},
): Promise<Response> {
  const request = new Request(`${baseUrl}/webhooks/shopify`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': 'example-shop.myshopify.com',
      'x-shopify-webhook-id': options.deliveryId ?? crypto.randomUUID(),
      'x-shopify-hmac-sha256': options.signature ?? (await signHmacSha256Base64(secret, body)),
    },
    body,
  });
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, options.workerEnv ?? configured, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** A fresh order id past 2^53 per test: D1 is shared by every worker test file. */
function orderWithId(id: string): string {
  return orderText.replaceAll('820982911946154508', id);
}

function freshId(): string {
  return `82098291${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
}

async function orderRow(id: string) {
  return env.DB.prepare('select id, customer_id, status, total_minor from orders where id = ?')
    .bind(id)
    .first();
}

describe('POST /webhooks/shopify on the Worker', () => {
  it('stores a signed order, its id past 2^53 exact', async () => {
    const id = freshId();
    const response = await send('orders/create', orderWithId(id));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, outcome: 'applied' });
    expect(await orderRow(id)).toEqual({
      id,
      customer_id: '115310627314723954',
      status: 'paid',
      total_minor: 38800,
    });
  });

  it('refuses a tampered body with 401 and writes nothing', async () => {
    const id = freshId();
    const body = orderWithId(id);
    const signature = await signHmacSha256Base64(secret, body);
    const deliveries = await env.DB.prepare('select count(*) as n from webhook_deliveries').first<{
      n: number;
    }>();
    const response = await send('orders/create', body.replace('"388.00"', '"0.01"'), { signature });
    expect(response.status).toBe(401);
    expect(await orderRow(id)).toBeNull();
    const after = await env.DB.prepare('select count(*) as n from webhook_deliveries').first<{ n: number }>();
    expect(after?.n).toBe(deliveries?.n);
  });

  it('applies a redelivery once', async () => {
    const id = freshId();
    const deliveryId = crypto.randomUUID();
    expect(await (await send('orders/create', orderWithId(id), { deliveryId })).json()).toMatchObject({
      outcome: 'applied',
    });
    const cancelled = orderWithId(id).replace(
      '"cancelled_at": null',
      '"cancelled_at": "2026-11-23T13:00:00+00:00"',
    );
    const again = await send('orders/cancelled', cancelled, { deliveryId });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ outcome: 'duplicate' });
    expect((await orderRow(id))?.status).toBe('paid');
  });

  it('prices products in the bundled settings currency', async () => {
    const response = await send('products/create', productText);
    expect(response.status).toBe(200);
    const row = await env.DB.prepare('select currency, price_minor from products where id = ?')
      .bind('642667041472713922')
      .first();
    expect(row).toEqual({ currency: 'GBP', price_minor: 1999 });
  });

  it('answers 503 naming SHOPIFY_WEBHOOK_SECRET when it is not set', async () => {
    const response = await send('orders/create', orderWithId(freshId()), { workerEnv: env });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('SHOPIFY_WEBHOOK_SECRET');
  });
});

describe('the webhook ledger on D1', () => {
  it('rolls back a batch whose version claim lost, and a second batch of one delivery', async () => {
    const store = testStore();
    const prefix = uniquePrefix();
    const key = { platform: 'shopify', resource: 'order' };
    const delivery = (n: number) => ({
      platform: 'shopify',
      deliveryId: `${prefix}-${n}`,
      topic: 'orders/updated',
      now: Date.now(),
    });
    expect(
      await applyDelivery(store, delivery(1), claimVersions(store, key, [{ id: prefix, version: 20 }])),
    ).toBe('applied');
    expect(
      await applyDelivery(store, delivery(2), claimVersions(store, key, [{ id: prefix, version: 10 }])),
    ).toBe('stale');
    expect(
      await applyDelivery(store, delivery(1), claimVersions(store, key, [{ id: prefix, version: 30 }])),
    ).toBe('duplicate');
    const row = await env.DB.prepare('select version from platform_versions where resource_id = ?')
      .bind(prefix)
      .first();
    expect(row).toEqual({ version: 20 });
  });
});
