// POST /webhooks/woocommerce as `rekindle serve` wires it, over real HTTP:
// WOO_WEBHOOK_SECRET and WOO_CONSENT_META_KEY from the environment, products
// priced in the currency of the campaign folder's settings.yaml, and a 503
// naming the variable while the secret is unset.
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../../src/entry/node-server.ts';
import { serveFolder } from '../../support/serve-folder.ts';
import { wooFixture, wooSecret, wooSignature } from '../../support/woocommerce.ts';

const folder = serveFolder('rekindle-woo-serve-');
let server: RunningServer | undefined;
const start = (extra: Record<string, string>) => folder.start(folder.config(extra));

function post(topic: string, payload: unknown) {
  const body = JSON.stringify(payload);
  return fetch(`http://127.0.0.1:${server!.port}/webhooks/woocommerce`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-topic': topic,
      'x-wc-webhook-signature': wooSignature(body),
    },
    body,
  });
}

async function query(text: string) {
  const client = createClient({ url: `file:${join(folder.dir, 'rekindle.db')}` });
  try {
    return (await client.execute(text)).rows.map((row) => ({ ...row }));
  } finally {
    client.close();
  }
}

describe('rekindle serve', () => {
  it('applies signed deliveries with the secret and consent key from the environment', async () => {
    server = await start({ WOO_WEBHOOK_SECRET: wooSecret, WOO_CONSENT_META_KEY: 'newsletter' });
    const product = await post('product.created', wooFixture('product'));
    expect(product.status).toBe(200);
    const customer = { ...wooFixture('customer'), meta_data: [{ id: 9, key: 'newsletter', value: 'yes' }] };
    expect((await post('customer.created', customer)).status).toBe(200);
    await server.close();
    // The shipped campaigns/settings.yaml prices the shop in GBP.
    expect(await query('select id, currency, price_minor from products')).toEqual([
      { id: '794', currency: 'GBP', price_minor: 2199 },
    ]);
    expect(await query('select id, marketing_consent from customers')).toEqual([
      { id: '25', marketing_consent: 1 },
    ]);
  });

  it('answers 503 naming WOO_WEBHOOK_SECRET while it is unset', async () => {
    server = await start({});
    const response = await post('order.created', wooFixture('order'));
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /WOO_WEBHOOK_SECRET/,
    );
  });
});
