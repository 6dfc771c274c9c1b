// POST /webhooks/woocommerce on a real libSQL file: only deliveries signed with
// the webhook secret are applied; a missing or tampered signature is a 401 and
// no table changes; the creation ping is answered 200 and stores nothing; a
// topic nothing handles is counted; the route answers 503 until a secret is
// set, as the Shopify route does.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../../src/http/create-app.ts';
import { openTempStore, snapshot, type TempStore } from '../../support/temp-store.ts';
import { deliver, wooApp, wooFixture, wooSignature } from '../../support/woocommerce.ts';

const now = Date.parse('2026-11-01T12:00:00Z');
let temp: TempStore;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  temp = await openTempStore();
  app = wooApp({ store: temp.store, now: () => now });
});
afterEach(() => temp.cleanup());

const orderCount = async () => (await snapshot(temp.store)).orders!.length;

describe('the signature', () => {
  it('applies a delivery signed with the secret', async () => {
    const response = await deliver(app, 'order.created', wooFixture('order'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      topic: 'order.created',
      outcome: 'applied',
      resource_id: '727',
    });
    expect(await orderCount()).toBe(1);
  });

  it('refuses a tampered body with 401 and changes no table', async () => {
    await deliver(app, 'customer.created', wooFixture('customer'));
    const before = await snapshot(temp.store);
    const signed = JSON.stringify(wooFixture('order'));
    const tampered = signed.replace('"total":"29.35"', '"total":"0.01"');
    expect(tampered).not.toBe(signed);

    const response = await deliver(app, 'order.created', null, {
      rawBody: tampered,
      signature: wooSignature(signed),
    });

    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('bad_signature');
    expect(body.error.message).toMatch(/does not match the body/);
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('refuses a body signed with another secret, or a signature that is not base64 of 32 bytes', async () => {
    const before = await snapshot(temp.store);
    const body = JSON.stringify(wooFixture('order'));
    for (const signature of [wooSignature(body, 'another-secret'), 'not base64!', 'AAAA', '']) {
      const response = await deliver(app, 'order.created', null, { rawBody: body, signature });
      expect(response.status, signature).toBe(401);
    }
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('refuses a delivery without a signature with 401, naming the header', async () => {
    const before = await snapshot(temp.store);
    const response = await deliver(app, 'order.created', wooFixture('order'), { signature: null });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/X-WC-Webhook-Signature is missing/);
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('checks the signature before reading the body: a signed body that is not JSON is a 400, an unsigned one a 401', async () => {
    const signed = await deliver(app, 'order.created', null, { rawBody: '{"id": 727,' });
    expect(signed.status).toBe(400);
    expect(((await signed.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
    const unsigned = await deliver(app, 'order.created', null, { rawBody: '{"id": 727,', signature: 'x' });
    expect(unsigned.status).toBe(401);
  });
});

describe('the creation ping', () => {
  it('is answered 200 and stores nothing', async () => {
    const before = await snapshot(temp.store);
    // WC_Webhook::deliver_ping: wp_safe_remote_post with body webhook_id=<id>, no X-WC headers.
    const response = await app.request('/webhooks/woocommerce', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'webhook_id=142',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, outcome: 'ping', webhook_id: '142' });
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('is only that exact form: another unsigned body is a 401', async () => {
    const response = await app.request('/webhooks/woocommerce', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'webhook_id=142&topic=order.created',
    });
    expect(response.status).toBe(401);
  });
});

describe('topics and set-up', () => {
  it('answers a signed topic Rekindle does not use with 200, ignored, and only counts it', async () => {
    const before = await snapshot(temp.store);
    for (let i = 0; i < 2; i++) {
      const response = await deliver(app, 'coupon.created', { id: 719, code: '10off' });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ outcome: 'ignored', topic: 'coupon.created' });
    }
    const after = await snapshot(temp.store);
    expect(after.webhook_unknown_topics).toEqual([
      { platform: 'woocommerce', topic: 'coupon.created', count: 2, first_seen_at: now, last_seen_at: now },
    ]);
    expect({ ...after, webhook_unknown_topics: [] }).toEqual({ ...before, webhook_unknown_topics: [] });
  });

  it('answers 400 naming the field when a signed order lacks date_modified_gmt', async () => {
    const order = wooFixture('order');
    delete order.date_modified_gmt;
    const response = await deliver(app, 'order.updated', order);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: { field: string }[] } };
    expect(body.error.details.map((d) => d.field)).toContain('date_modified_gmt');
    expect(await orderCount()).toBe(0);
  });

  it('answers 503 with what to set when WOO_WEBHOOK_SECRET is not set, even to the ping', async () => {
    const bare = createApp({ store: temp.store, now: () => now });
    const ping = await bare.request('/webhooks/woocommerce', { method: 'POST', body: 'webhook_id=1' });
    expect(ping.status).toBe(503);
    expect(await ping.json()).toMatchObject({
      error: { code: 'not_configured', message: expect.stringContaining('WOO_WEBHOOK_SECRET') },
    });
    const signed = await deliver(bare, 'order.created', wooFixture('order'));
    expect(signed.status).toBe(503);
    expect(await orderCount()).toBe(0);
  });
});
