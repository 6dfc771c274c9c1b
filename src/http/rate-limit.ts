// Rate limits for the coupon routes, per API key and per code, so codes cannot
// be found by guessing and one code cannot be hammered; and for the public
// browse door, per shopper, so a leaked shopper token cannot flood the table.
// The limit is one for every process and Worker isolate on a database: the
// buckets that count live in the database (core/shared-rate-limit.ts over db/repositories/rate-buckets.ts). Each app instance keeps the same
// buckets in memory as a first gate, so a caller already over the limit here
// is refused without touching the database. The gate can only refuse early
// (it also spends tokens on requests the shared bucket then refuses), never
// let through what the shared bucket would refuse.
import type { Context } from 'hono';
import { boundedCache } from '../core/bounded-cache.ts';
import { AppError } from '../core/errors.ts';
import {
  createSharedLimiter,
  type KeyedLimit,
  type SharedLimiter,
} from '../core/request-limits/shared-buckets.ts';
import {
  type Bucket,
  type BucketConfig,
  type BucketStore,
  createRateLimiter,
  type LimitDecision,
  type RateLimiter,
} from '../core/request-limits/token-bucket.ts';
import { leaseSharedTokens, maxLeaseKeys, pruneIdleBuckets } from '../db/repositories/rate-buckets.ts';
import type { AppDeps, AppEnv } from './app-env.ts';

export type CouponRateLimits = NonNullable<AppDeps['couponRateLimits']>;

/** A checkout validates as the basket changes; 2 calls a second per key, bursts of 120, is plenty. */
export const defaultCouponRateLimits: CouponRateLimits = {
  perClient: { capacity: 120, refillPerSecond: 2 },
  perCode: { capacity: 20, refillPerSecond: 20 / 60 },
};

/** How often an app instance deletes shared buckets that have refilled, on the request path. */
export const pruneEveryMs = 60_000;

/**
 * Buckets in memory, the `maxKeys` most recently used always kept (and at
 * most twice as many held: core/bounded-cache.ts). Forgetting the others keeps
 * memory bounded; a forgotten bucket comes back full, which only ever errs
 * towards letting a quiet key through (to the shared bucket, which decides).
 */
export function memoryBuckets(maxKeys = 10_000): BucketStore {
  const buckets = boundedCache<Bucket>({ keep: maxKeys });
  return { get: (key) => buckets.get(key), set: (key, bucket) => buckets.set(key, bucket) };
}

/** What a refused caller is told, given the bucket that refused and the wait in seconds. */
type Refusal = (key: string, seconds: number) => string;

/**
 * One limiter per app instance (createApp runs once per process or isolate),
 * built on first use so it reads the app's injected clock: a token from each
 * key's bucket, in memory first, then in the shared buckets, or a 429.
 */
function sharedRateLimit(refusal: Refusal): (c: Context<AppEnv>, keys: KeyedLimit[]) => Promise<void> {
  let local: RateLimiter | undefined;
  let shared: SharedLimiter | undefined;
  let prunedAt = Number.NEGATIVE_INFINITY;
  return async (c, keys) => {
    const deps = c.get('deps');
    const now = deps.now();
    local ??= createRateLimiter(memoryBuckets(), () => deps.now());
    shared ??= createSharedLimiter({
      lease: (wants, at) => leaseSharedTokens(deps.store, wants, at),
      now: () => deps.now(),
      maxKeysPerCall: maxLeaseKeys(deps.store),
      gather: deps.store.gatherConcurrent,
    });
    refuseUnless(c, local.take(keys), refusal);
    refuseUnless(c, await shared.take(keys), refusal);
    if (now - prunedAt >= pruneEveryMs) {
      prunedAt = now;
      await pruneIdleBuckets(deps.store, now);
    }
  };
}

/** Coupon validate/redeem: per API key and per code. */
export function couponRateLimit(): (c: Context<AppEnv>, code: string) => Promise<void> {
  const take = sharedRateLimit((key, seconds) => {
    const which = key.startsWith('client:') ? 'this API key' : 'this code';
    return `too many coupon requests for ${which}; retry in ${seconds}s`;
  });
  return (c, code) => {
    const limits = c.get('deps').couponRateLimits ?? defaultCouponRateLimits;
    return take(c, [
      { key: `client:${c.get('apiKey').id}`, config: limits.perClient },
      { key: `code:${code}`, config: limits.perCode },
    ]);
  };
}

/**
 * A shopper's posts to the public browse door, per customer the token names:
 * a page sends one post or two, so bursts of 60 and one every two seconds
 * after that is far past any person; more is a leaked token being replayed.
 */
export const defaultShopperRateLimit: BucketConfig = { capacity: 60, refillPerSecond: 0.5 };

export function shopperRateLimit(): (c: Context<AppEnv>, customerId: string) => Promise<void> {
  const take = sharedRateLimit(
    (_key, seconds) => `too many browse events for this shopper; retry in ${seconds}s`,
  );
  return (c, customerId) =>
    take(c, [
      { key: `shopper:${customerId}`, config: c.get('deps').browse?.rateLimit ?? defaultShopperRateLimit },
    ]);
}

function refuseUnless(c: Context<AppEnv>, decision: LimitDecision, refusal: Refusal): void {
  if (decision.allowed) return;
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  c.header('Retry-After', String(seconds));
  throw new AppError(429, 'rate_limited', refusal(decision.key, seconds));
}
