// The browse door through the Worker's own entry in workerd: the env's
// SHOPPER_TOKEN_SECRET and BROWSE_ORIGINS wire it (tokens checked with Web
// Crypto), a shop page's post of a signed shopper's events lands in D1 (with
// the shopper's rate bucket there), a forged token and another origin store
// nothing, the preflight and the script are answered, and a secret equal to
// SIGNING_SECRET is refused as a misconfiguration.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { webHmacSha256 } from '../../src/core/crypto/hmac-sha256.ts';
import { ingestSchemas } from '../../src/core/ingest/records.ts';
import { browsePaths } from '../../src/core/tracking/browse-door.ts';
import { shopperTokensWith } from '../../src/core/tracking/shopper-token.ts';
import worker from '../../src/entry/worker.ts';
import { ingestRecords } from '../../src/services/ingest/ingest-records.ts';
import { baseUrl, testStore, uniquePrefix } from './support/worker-client.ts';

const secret = 'worker-shopper-secret-0123';
const shop = 'https://shop.example';
const tokens = shopperTokensWith(webHmacSha256(secret));
// One env object: the entry wires one app per env, as per isolate.
const shopEnv = { ...env, SHOPPER_TOKEN_SECRET: secret, BROWSE_ORIGINS: `${shop}, null` };

afterEach(() => {
  vi.restoreAllMocks();
});

async function call(request: Request, workerEnv: object = shopEnv): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const post = (body: unknown, origin = shop) =>
  call(
    new Request(`${baseUrl}${browsePaths.events}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin },
      body: JSON.stringify(body),
    }),
  );

const stored = (customerId: string) =>
  env.DB.prepare('select kind, ref from browse_events where customer_id = ? order by kind, ref')
    .bind(customerId)
    .all<{ kind: string; ref: string }>()
    .then((result) => result.results);

async function seedCustomer(): Promise<string> {
  const id = `${uniquePrefix()}-shopper`;
  await ingestRecords(
    { store: testStore() },
    {
      kind: 'customers',
      records: [ingestSchemas.customers.parse({ id, email: `${id}@example.com`, marketing_consent: true })],
      now: Date.now(),
    },
  );
  return id;
}

describe('the browse door on the Worker', () => {
  it("stores a signed shopper's events in D1 and keeps their rate bucket there", async () => {
    const id = await seedCustomer();
    const res = await post({
      shopper: await tokens.sign(id),
      events: [
        { type: 'product_viewed', product_id: '44012345678901' },
        { type: 'search', query: 'Trail Shoes' },
      ],
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(shop);
    expect(await stored(id)).toEqual([
      { kind: 'product', ref: '44012345678901' },
      { kind: 'search', ref: 'trail shoes' },
    ]);
    const bucket = await env.DB.prepare('select count(*) as n from rate_buckets where key = ?')
      .bind(`shopper:${id}`)
      .first<{ n: number }>();
    expect(bucket?.n).toBe(1);
  });

  it('stores nothing for a forged token or a page of another origin', async () => {
    const id = await seedCustomer();
    const events = [{ type: 'product_viewed', product_id: 'p1' }];
    expect((await post({ shopper: `${id}.${'0'.repeat(64)}`, events })).status).toBe(401);
    expect((await post({ shopper: await tokens.sign(id), events }, 'https://evil.example')).status).toBe(403);
    expect(await stored(id)).toEqual([]);
  });

  it('answers the preflight and serves the script', async () => {
    const preflight = await call(
      new Request(`${baseUrl}${browsePaths.events}`, {
        method: 'OPTIONS',
        headers: { origin: 'null', 'access-control-request-method': 'POST' },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('null');
    const script = await call(new Request(`${baseUrl}${browsePaths.script}`));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain('sendBeacon');
  });

  it('refuses to start with the signing secret as the shopper secret', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const same = { ...env, SIGNING_SECRET: secret, SHOPPER_TOKEN_SECRET: secret };
    const res = await call(new Request(`${baseUrl}/healthz`), same);
    expect(res.status).toBe(500);
    expect(String(logged.mock.calls[0]?.[0])).toMatch(/SHOPPER_TOKEN_SECRET must differ from SIGNING_SECRET/);
  });
});
