// Clicks on D1 in workerd with the link signed into the token, as the Worker's
// delivery signs them (Web Crypto, the lazy signer): redirected without the
// message read, written before the answer with the per-link cap, nothing
// written for a message never stored; and the API key cache, which a fresh
// isolate starts without, refusing a revoked key once its lifetime is up.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { lazyTokenSigner } from '../../src/core/tracking/lazy-signer.ts';
import { trackingPaths } from '../../src/core/tracking/tokens.ts';
import { trackLinks } from '../../src/core/tracking/track-links.ts';
import { createApiKey, revokeApiKey } from '../../src/db/repositories/api-keys.ts';
import { messages } from '../../src/db/schema/index.ts';
import { createApp } from '../../src/http/create-app.ts';
import { apiKeyCacheTtlMs } from '../../src/http/key-cache.ts';
import { testStore, uniquePrefix } from './support/worker-client.ts';

const now = Date.parse('2026-11-01T12:00:00Z');
const signer = lazyTokenSigner('worker-test-secret-0123456789');
const base = 'https://rekindle.test';
const link = 'https://shop.example/p/1?utm_source=rekindle';

const count = async (messageId: string) =>
  (
    await env.DB.prepare(`select count(*) as n from tracking_events where message_id = ? and kind = 'click'`)
      .bind(messageId)
      .first<{ n: number }>()
  )?.n;

describe('signed click links on D1', () => {
  it('redirect to the signed link, store each click before answering, up to the cap', async () => {
    const p = uniquePrefix();
    const store = testStore();
    await store.db.insert(messages).values({
      id: `${p}-m`,
      dedupeKey: `${p}:m`,
      campaignId: 'winback',
      customerId: null,
      email: `${p}@example.com`,
      triggerKind: 'dormant',
      triggerRef: 'm',
      status: 'sent',
      dueAt: now,
      // Not what the email held: the signed link wins, so no read happened.
      links: JSON.stringify(['https://shop.example/elsewhere']),
      sentAt: now - 3_600_000,
      createdAt: now,
      updatedAt: now,
    });
    const tracked = await trackLinks({
      html: `<a href="${link}">Shop</a>`,
      messageId: `${p}-m`,
      signer,
      baseUrl: base,
      signTargets: true,
    });
    const path = /href="https:\/\/rekindle\.test(\/t\/c\/[^"]+)"/.exec(tracked.html)?.[1];
    expect(path).toBeDefined();
    const app = createApp({ store, now: () => now, tracking: { signer, baseUrl: base } });
    const res = await app.request(path!);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(link);
    expect(await count(`${p}-m`)).toBe(1);
    for (let i = 0; i < 21; i++) expect((await app.request(path!)).status).toBe(302);
    expect(await count(`${p}-m`)).toBe(20);

    const stray = trackingPaths.click(
      await signer.sign({ purpose: 'click', messageId: `${p}-never`, linkIndex: 0, target: link }),
    );
    expect((await app.request(stray)).status).toBe(302);
    expect(await count(`${p}-never`)).toBe(0);
  });

  it('refuses a revoked key once the key cache lifetime has passed', async () => {
    const store = testStore();
    const clock = { now };
    const app = createApp({ store, now: () => clock.now });
    const key = await createApiKey(store, { name: 'worker cache', scopes: ['ingest'], now });
    const post = () =>
      app.request('/v1/customers', {
        method: 'POST',
        headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: `${uniquePrefix()}-c`, email: 'ada@example.com' }),
      });
    expect((await post()).status).toBe(200);
    await revokeApiKey(store, key.id, now);
    clock.now = now + apiKeyCacheTtlMs;
    expect((await post()).status).toBe(401);
  });
});
