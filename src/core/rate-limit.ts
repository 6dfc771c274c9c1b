// Token-bucket rate limiting: pure arithmetic on a bucket and a clock reading,
// plus a limiter over a bucket store port. Knows nothing of HTTP or where the
// buckets live; the caller decides what a key is (an API key id, a code).

export interface BucketConfig {
  /** Requests allowed in a burst. */
  capacity: number;
  /** Tokens added back per second, up to capacity. */
  refillPerSecond: number;
}

export interface Bucket {
  tokens: number;
  updatedAt: number;
}

export type TakeResult =
  | { allowed: true; bucket: Bucket }
  | { allowed: false; bucket: Bucket; retryAfterMs: number };

/** Takes one token if there is one; a refused request costs nothing. */
export function takeToken(bucket: Bucket | undefined, config: BucketConfig, now: number): TakeResult {
  const elapsed = bucket ? Math.max(0, now - bucket.updatedAt) : 0;
  const tokens = bucket
    ? Math.min(config.capacity, bucket.tokens + (elapsed / 1000) * config.refillPerSecond)
    : config.capacity;
  if (tokens >= 1) return { allowed: true, bucket: { tokens: tokens - 1, updatedAt: now } };
  const retryAfterMs = Math.ceil(((1 - tokens) / config.refillPerSecond) * 1000);
  return { allowed: false, bucket: { tokens, updatedAt: now }, retryAfterMs };
}

/** Where buckets live. Implementations may forget buckets (a forgotten bucket is a full one). */
export interface BucketStore {
  get(key: string): Bucket | undefined;
  set(key: string, bucket: Bucket): void;
}

export type LimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number; key: string };

export interface RateLimiter {
  /**
   * Takes a token from every key's bucket, or from none: a request refused by
   * one limit does not drain the others.
   */
  take(keys: readonly { key: string; config: BucketConfig }[]): LimitDecision;
}

export function createRateLimiter(store: BucketStore, clock: () => number): RateLimiter {
  return {
    take(keys) {
      const now = clock();
      const results = keys.map(({ key, config }) => ({
        key,
        result: takeToken(store.get(key), config, now),
      }));
      const refused = results.find(({ result }) => !result.allowed);
      if (refused && !refused.result.allowed) {
        return { allowed: false, retryAfterMs: refused.result.retryAfterMs, key: refused.key };
      }
      for (const { key, result } of results) store.set(key, result.bucket);
      return { allowed: true };
    },
  };
}
