// Token-bucket rate limiting: pure arithmetic on a bucket and a clock reading,
// a limiter over a bucket store port, and the arithmetic of leases (several
// tokens taken from a shared bucket at once, then handed out locally). Knows
// nothing of HTTP or where the buckets live; the caller decides what a key is
// (an API key id, a code). The shared buckets' SQL mirrors these functions
// operation for operation; they are its oracle.

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

/** The tokens a bucket holds at `now`: none is a full bucket; a clock that stepped back adds nothing. */
export function refilled(bucket: Bucket | undefined, config: BucketConfig, now: number): number {
  if (!bucket) return config.capacity;
  const elapsed = Math.max(0, now - bucket.updatedAt);
  return Math.min(config.capacity, bucket.tokens + (elapsed / 1000) * config.refillPerSecond);
}

/** How long until a bucket holding `tokens` (< 1) has one. */
export function waitForToken(tokens: number, config: BucketConfig): number {
  return Math.ceil(((1 - tokens) / config.refillPerSecond) * 1000);
}

/** Takes one token if there is one; a refused request costs nothing. */
export function takeToken(bucket: Bucket | undefined, config: BucketConfig, now: number): TakeResult {
  const tokens = refilled(bucket, config, now);
  if (tokens >= 1) return { allowed: true, bucket: { tokens: tokens - 1, updatedAt: now } };
  return { allowed: false, bucket: { tokens, updatedAt: now }, retryAfterMs: waitForToken(tokens, config) };
}

/**
 * Takes up to `wanted` whole tokens at once (a lease). The bucket is always
 * written back refilled to `now`, granted or not, which is the same bucket
 * as leaving it alone: refill is linear and capped.
 */
export function leaseTokens(
  bucket: Bucket | undefined,
  config: BucketConfig,
  now: number,
  wanted: number,
): { granted: number; bucket: Bucket } {
  const tokens = refilled(bucket, config, now);
  const granted = Math.min(wanted, Math.floor(tokens));
  return { granted, bucket: { tokens: tokens - granted, updatedAt: now } };
}

/**
 * Hands out leased tokens to requests in order: a request gets one token of
 * each of its keys, or none of them when one is short, so a refusal by one
 * limit drains no other. Returns who got through and what is left per key.
 */
export function allocateTokens(
  requests: readonly (readonly string[])[],
  available: ReadonlyMap<string, number>,
): { allowed: boolean[]; left: Map<string, number>; shortOf: (string | undefined)[] } {
  const left = new Map(available);
  const allowed: boolean[] = [];
  const shortOf: (string | undefined)[] = [];
  for (const keys of requests) {
    const short = keys.find((key) => (left.get(key) ?? 0) < 1);
    allowed.push(short === undefined);
    shortOf.push(short);
    if (short === undefined) for (const key of keys) left.set(key, left.get(key)! - 1);
  }
  return { allowed, left, shortOf };
}

/**
 * When the bucket is full again if nothing takes from it: from then on it is
 * the same as no bucket, so a store may forget it.
 */
export function idleUntil(bucket: Bucket, config: BucketConfig): number {
  return bucket.updatedAt + Math.ceil(((config.capacity - bucket.tokens) / config.refillPerSecond) * 1000);
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
