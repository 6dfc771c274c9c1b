// The API keys a running app has recently seen, so a busy checkout's every
// call does not look its key up again: an unrevoked key found in the database
// is kept, under the hash of its secret (never the secret), for
// `apiKeyCacheTtlMs` by the app's own clock, at most 2 x `apiKeyCacheKeys` of
// them. The price is the revocation delay: a revoked key keeps working for up
// to that long in each process or Worker isolate that used it just before.
// Unknown and revoked keys are never kept, so a guessed key always costs a
// lookup and a new key works at once. One cache per app (per createApp deps),
// built on first use; an empty one only means a lookup.
import { hashApiKey } from '../core/api-keys.ts';
import { type BoundedCache, boundedCache } from '../core/bounded-cache.ts';
import { findActiveKeyByHash, type StoredKey } from '../db/repositories/api-keys.ts';
import type { AppDeps } from './app-env.ts';

/** How long a revoked key can still be accepted by an app that used it just before (README "HTTP API"). */
export const apiKeyCacheTtlMs = 30_000;
/** Keys always kept; a shop has a handful, so this only bounds a flood of distinct valid keys. */
export const apiKeyCacheKeys = 1_000;

const caches = new WeakMap<AppDeps, BoundedCache<StoredKey>>();

/** The unrevoked key behind this secret, from the cache or the database. */
export async function activeKey(deps: AppDeps, secret: string): Promise<StoredKey | undefined> {
  let cache = caches.get(deps);
  if (!cache) {
    cache = boundedCache({ keep: apiKeyCacheKeys, ttlMs: apiKeyCacheTtlMs, now: () => deps.now() });
    caches.set(deps, cache);
  }
  const hash = await hashApiKey(secret);
  const cached = cache.get(hash);
  if (cached) return cached;
  const key = await findActiveKeyByHash(deps.store, hash);
  if (key) cache.set(hash, key);
  return key;
}
