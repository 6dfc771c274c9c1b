// Rate limits for the coupon routes, per API key and per code, so codes cannot
// be found by guessing and one code cannot be hammered. Buckets live in memory:
// per process on Node, and per isolate on Workers (Cloudflare runs several
// isolates, so the Worker's effective limit is a multiple of these; a Durable
// Object or the platform's rate limiting binding would make it global).
import type { Context } from 'hono';
import { AppError } from '../core/errors.ts';
import { type Bucket, type BucketStore, createRateLimiter, type RateLimiter } from '../core/rate-limit.ts';
import type { AppDeps, AppEnv } from './app-env.ts';

export type CouponRateLimits = NonNullable<AppDeps['couponRateLimits']>;

/** A checkout validates as the basket changes; 2 calls a second per key, bursts of 120, is plenty. */
export const defaultCouponRateLimits: CouponRateLimits = {
  perClient: { capacity: 120, refillPerSecond: 2 },
  perCode: { capacity: 20, refillPerSecond: 20 / 60 },
};

/**
 * Buckets in a Map, least recently used first. Forgetting the oldest keeps
 * memory bounded; a forgotten bucket comes back full, which only ever errs
 * towards letting a quiet key through.
 */
export function memoryBuckets(maxKeys = 10_000): BucketStore {
  const buckets = new Map<string, Bucket>();
  return {
    get: (key) => buckets.get(key),
    set(key, bucket) {
      buckets.delete(key);
      buckets.set(key, bucket);
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value as string);
    },
  };
}

/**
 * One limiter per app instance (createApp runs once per process or isolate),
 * built on first use so it reads the app's injected clock.
 */
export function couponRateLimit(): (c: Context<AppEnv>, code: string) => void {
  let limiter: RateLimiter | undefined;
  return (c, code) => {
    const deps = c.var.deps;
    limiter ??= createRateLimiter(memoryBuckets(), () => deps.now());
    const limits = deps.couponRateLimits ?? defaultCouponRateLimits;
    const decision = limiter.take([
      { key: `client:${c.var.apiKey.id}`, config: limits.perClient },
      { key: `code:${code}`, config: limits.perCode },
    ]);
    if (decision.allowed) return;
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    c.header('Retry-After', String(seconds));
    const which = decision.key.startsWith('client:') ? 'this API key' : 'this code';
    throw new AppError(429, 'rate_limited', `too many coupon requests for ${which}; retry in ${seconds}s`);
  };
}
