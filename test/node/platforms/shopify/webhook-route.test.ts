// POST /webhooks/shopify on a real libSQL file: the signature is checked over
// the raw bytes before anything is read (tampered or missing: 401 and no
// table changes), a delivery is applied once, unknown topics are counted, and
// a connector without its secret answers 503.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signHmacSha256Base64 } from '../../../../src/adapters/platforms/shared/hmac-signature.ts';
import { openTempStore, snapshot, type TempStore } from '../../support/temp-store.ts';
import { fixtureText, secret, shopifyClient, withFields } from './shopify-client.ts';

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

const order = () => fixtureText('orders-create.json');

describe('the signature', () => {
  it('applies a delivery signed with the secret', async () => {
    const client = shopifyClient(temp.store);
    const response = await client.send('orders/create', order());
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, topic: 'orders/create', outcome: 'applied' });
    const rows = await temp.store.db.all<{ id: string }>(sql`select id from orders`);
    expect(rows).toEqual([{ id: '820982911946154508' }]);
  });

  it('refuses a tampered body with 401 and changes no table', async () => {
    const client = shopifyClient(temp.store);
    await client.send('customers/create', fixtureText('customers-create.json'));
    const before = await snapshot(temp.store);
    const signature = await signHmacSha256Base64(secret, order());
    const tampered = order().replace('"total_price": "388.00"', '"total_price": "0.01"');
    expect(tampered).not.toBe(order());
    const response = await client.send('orders/create', tampered, { signature });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'bad_signature' } });
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('refuses a missing, malformed or foreign signature with 401 and changes no table', async () => {
    const client = shopifyClient(temp.store);
    const before = await snapshot(temp.store);
    const foreign = await signHmacSha256Base64('another app secret', order());
    for (const signature of [null, '', 'not base64!', 'c2hvcnQ=', foreign]) {
      const response = await client.send('orders/create', order(), { signature });
      expect(response.status, String(signature)).toBe(401);
    }
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('refuses a signed delivery for another shop', async () => {
    const client = shopifyClient(temp.store);
    const before = await snapshot(temp.store);
    const response = await client.send('orders/create', order(), {
      headers: { 'x-shopify-shop-domain': 'someone-else.myshopify.com' },
    });
    expect(response.status).toBe(401);
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('answers a signed body that is not JSON with 400, writing nothing', async () => {
    const client = shopifyClient(temp.store);
    const before = await snapshot(temp.store);
    const response = await client.send('orders/create', '{"id": 1,');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_json' } });
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('answers a signed payload Rekindle cannot store with 400 naming the field, writing nothing', async () => {
    const client = shopifyClient(temp.store);
    const before = await snapshot(temp.store);
    const response = await client.send('orders/create', withFields(order(), { currency: 'dollars' }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: { field?: string }[] } };
    expect(body.error.details.map((d) => d.field)).toContain('currency');
    expect(await snapshot(temp.store)).toEqual(before);
  });
});

describe('deliveries', () => {
  it('applies the same delivery once: a redelivery is answered 200 and changes nothing', async () => {
    const client = shopifyClient(temp.store);
    const first = await client.send('orders/create', order(), {
      deliveryId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    });
    expect(await first.json()).toMatchObject({ outcome: 'applied' });
    const after = await snapshot(temp.store);
    const again = await client.send('orders/create', order(), {
      deliveryId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ ok: true, outcome: 'duplicate' });
    expect(await snapshot(temp.store)).toEqual(after);
  });

  it('applies a concurrent redelivery once', async () => {
    const client = shopifyClient(temp.store);
    const answers = await Promise.all(
      [1, 2, 3].map(() => client.send('app/uninstalled', '{"id": 1}', { deliveryId: 'same-delivery' })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const [row] = await temp.store.db.all<{ count: number }>(sql`select count from webhook_unknown_topics`);
    expect(row?.count).toBe(1);
  });

  it('answers an unknown topic 200 and counts it per topic', async () => {
    const client = shopifyClient(temp.store);
    for (let i = 0; i < 3; i++) {
      const response = await client.send('app/uninstalled', '{"id": 548380009}');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        ok: true,
        outcome: 'applied',
        note: 'topic not handled; counted',
      });
    }
    await client.send('themes/publish', '{"id": 1}');
    const rows = await temp.store.db.all<{ topic: string; count: number }>(
      sql`select topic, count from webhook_unknown_topics order by topic`,
    );
    expect(rows).toEqual([
      { topic: 'app/uninstalled', count: 3 },
      { topic: 'themes/publish', count: 1 },
    ]);
    expect(client.logs).toEqual([]);
  });

  it('forgets deliveries after a week, so the table stays bounded', async () => {
    let now = Date.parse('2026-11-01T00:00:00Z');
    const client = shopifyClient(temp.store, { now: () => now });
    await client.send('app/uninstalled', '{"id": 1}', { deliveryId: 'old' });
    now += 8 * 86_400_000;
    await client.send('app/uninstalled', '{"id": 1}', { deliveryId: 'new' });
    const rows = await temp.store.db.all<{ delivery_id: string }>(
      sql`select delivery_id from webhook_deliveries`,
    );
    expect(rows).toEqual([{ delivery_id: 'new' }]);
  });

  it('refuses a delivery without its topic or delivery id', async () => {
    const client = shopifyClient(temp.store);
    expect((await client.send('', order())).status).toBe(400);
    expect(
      (await client.send('orders/create', order(), { headers: { 'x-shopify-webhook-id': '' } })).status,
    ).toBe(400);
  });
});

describe('configuration', () => {
  it('answers 503 saying what to set when SHOPIFY_WEBHOOK_SECRET is not set, writing nothing', async () => {
    const client = shopifyClient(temp.store, { configured: false });
    const before = await snapshot(temp.store);
    const response = await client.send('orders/create', order());
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      error: { code: 'not_configured', message: expect.stringContaining('SHOPIFY_WEBHOOK_SECRET') },
    });
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('holds the body to the API size limit', async () => {
    const client = shopifyClient(temp.store);
    const big = JSON.stringify({ id: 1, note: 'x'.repeat(3 * 1024 * 1024) });
    const response = await client.send('orders/create', big);
    expect(response.status).toBe(413);
  });
});
