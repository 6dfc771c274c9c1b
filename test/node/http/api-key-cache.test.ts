// API keys through the app's key cache (src/http/key-cache.ts), by the app's
// injected clock: a revoked key stops working within apiKeyCacheTtlMs of the
// last lookup, a new key works at once, and an unknown or revoked key is never
// remembered.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../../../src/db/repositories/api-keys.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { apiKeyCacheTtlMs } from '../../../src/http/key-cache.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const t0 = Date.parse('2026-11-01T12:00:00Z');
let temp: TempStore;
let clock: { now: number };
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  temp = await openTempStore();
  clock = { now: t0 };
  app = createApp({ store: temp.store, now: () => clock.now });
});
afterEach(() => temp.cleanup());

const ingest = (secret: string) =>
  app.request('/v1/customers', {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'c1', email: 'ada@example.com' }),
  });

describe('the API key cache', () => {
  it('stops accepting a revoked key once the cache lifetime has passed since its lookup', async () => {
    const key = await createApiKey(temp.store, { name: 'checkout', scopes: ['ingest'], now: t0 });
    expect((await ingest(key.secret)).status).toBe(200);
    await revokeApiKey(temp.store, key.id, clock.now);
    // Within the stated delay the app may still accept it (this one does: it was just looked up)...
    clock.now = t0 + apiKeyCacheTtlMs - 1;
    expect((await ingest(key.secret)).status).toBe(200);
    // ...and at the bound it asks the database again, which says revoked.
    clock.now = t0 + apiKeyCacheTtlMs;
    const refused = await ingest(key.secret);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('invalid_token');
    clock.now += 10 * apiKeyCacheTtlMs;
    expect((await ingest(key.secret)).status).toBe(401);
  });

  it('a cached key is not kept alive by being used: the delay counts from the lookup', async () => {
    const key = await createApiKey(temp.store, { name: 'busy', scopes: ['ingest'], now: t0 });
    expect((await ingest(key.secret)).status).toBe(200);
    await revokeApiKey(temp.store, key.id, clock.now);
    for (let at = 0; at < apiKeyCacheTtlMs; at += apiKeyCacheTtlMs / 4) {
      clock.now = t0 + at;
      await ingest(key.secret);
    }
    clock.now = t0 + apiKeyCacheTtlMs;
    expect((await ingest(key.secret)).status).toBe(401);
  });

  it('refuses at once a key revoked before this app looked it up, and never remembers an unknown one', async () => {
    const revoked = await createApiKey(temp.store, { name: 'old', scopes: ['ingest'], now: t0 });
    await revokeApiKey(temp.store, revoked.id, t0);
    expect((await ingest(revoked.secret)).status).toBe(401);
    // An unknown secret is looked up each time: a key created under it later works at once.
    const fresh = await createApiKey(temp.store, { name: 'new', scopes: ['ingest'], now: t0 });
    expect((await ingest(`${fresh.secret}x`)).status).toBe(401);
    expect((await ingest(fresh.secret)).status).toBe(200);
  });

  it('keeps scopes with the key: a cached key still gets 403 for a scope it lacks', async () => {
    const reports = await createApiKey(temp.store, { name: 'reports', scopes: ['reports'], now: t0 });
    expect(
      (await app.request('/v1/reports/campaigns', { headers: { authorization: `Bearer ${reports.secret}` } }))
        .status,
    ).not.toBe(401);
    expect((await ingest(reports.secret)).status).toBe(403);
  });

  it('is one per app: another app on the same database looks the key up itself', async () => {
    const key = await createApiKey(temp.store, { name: 'checkout', scopes: ['ingest'], now: t0 });
    expect((await ingest(key.secret)).status).toBe(200);
    await revokeApiKey(temp.store, key.id, t0);
    app = createApp({ store: temp.store, now: () => clock.now });
    expect((await ingest(key.secret)).status).toBe(401);
  });
});
