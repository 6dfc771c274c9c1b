// The shared side of a rate limit: buckets behind a port (the database, in
// every home), one limit for every process and isolate on it, at far less
// than a database write per request. Two things keep the cost down without letting more through:
//
// - Group commit: takes that arrive while a statement is in flight wait and
//   go together in the next one (one statement for the whole batch), so under
//   load the writes per request fall with the concurrency, and a lone request
//   waits for nothing.
// - Leases: a take asks for a few more tokens than it needs (leaseSizeFor: a
//   busy API key's bucket, never a coupon code's) and keeps them here for the
//   next requests, for at most leaseTtlMs. A leased token has left the shared
//   bucket, so leases never add to what the limit allows; their cost is that a
//   process can hold, unused, up to leaseSizeFor tokens another process could
//   have had, and that a token taken up to leaseTtlMs ago can still be spent
//   (at most refill x TTL of slack, about 2 tokens at the default limits).
//
// Who gets the tokens is allocateTokens(); the arithmetic of a bucket is
// leaseTokens(), which the port's SQL mirrors. Pure: the port does the I/O.
import { allocateTokens, type BucketConfig, type LimitDecision, waitForToken } from './token-bucket.ts';

export interface LeaseWant {
  key: string;
  config: BucketConfig;
  /** Whole tokens wanted, >= 1. */
  wanted: number;
}

export interface Lease {
  granted: number;
  /** What the bucket holds after the grant. */
  tokens: number;
}

/** One atomic step on the shared buckets: leaseTokens() on every key at once. */
export type LeasePort = (wants: LeaseWant[], now: number) => Promise<Map<string, Lease>>;

export interface KeyedLimit {
  key: string;
  config: BucketConfig;
}

export interface SharedLimiter {
  /** One token from every key's shared bucket, or none of them. */
  take(keys: readonly KeyedLimit[]): Promise<LimitDecision>;
}

export interface SharedLimiterOptions {
  /** One atomic statement: takes up to `wanted` tokens from each bucket (leaseSharedTokens). */
  lease: LeasePort;
  now(): number;
  leaseTtlMs?: number;
  /** Awaited before a statement starts, so takes arriving meanwhile join it (Store.gatherConcurrent). */
  gather?: () => Promise<void>;
  /** Distinct keys one call of `lease` may carry (D1 binds at most 100 values); later takes wait for the next. */
  maxKeysPerCall: number;
  /** Keys with leased tokens kept at once; the oldest lease is dropped past it. */
  maxLeases?: number;
}

export const leaseTtlMs = 1000;

/** Extra tokens a take leases for later: a bucket with room for many (an API key's), never a small one (a code's). */
export function leaseSizeFor(config: BucketConfig): number {
  return Math.min(16, Math.floor(config.capacity / 32));
}

interface Held {
  key: string;
  expiresAt: number;
}

interface Waiting {
  needs: KeyedLimit[];
  held: Held[];
  result?: LimitDecision;
  error?: unknown;
}

export function createSharedLimiter(options: SharedLimiterOptions): SharedLimiter {
  const ttl = options.leaseTtlMs ?? leaseTtlMs;
  const maxLeases = options.maxLeases ?? 10_000;
  const leases = new Map<string, { tokens: number; expiresAt: number }>();
  const pending: Waiting[] = [];
  let inflight: Promise<void> | null = null;

  const fromLease = (key: string, now: number): Held | null => {
    const lease = leases.get(key);
    if (!lease) return null;
    if (lease.expiresAt <= now) {
      leases.delete(key);
      return null;
    }
    lease.tokens -= 1;
    if (lease.tokens < 1) leases.delete(key);
    return { key, expiresAt: lease.expiresAt };
  };

  const addLease = (key: string, tokens: number, expiresAt: number) => {
    const lease = leases.get(key);
    leases.delete(key);
    // A merged lease keeps the earlier expiry: no token outlives its own.
    leases.set(key, {
      tokens: (lease?.tokens ?? 0) + tokens,
      expiresAt: Math.min(lease?.expiresAt ?? expiresAt, expiresAt),
    });
    if (leases.size > maxLeases) leases.delete(leases.keys().next().value as string);
  };

  const giveBack = (waiting: Waiting) => {
    for (const held of waiting.held) addLease(held.key, 1, held.expiresAt);
  };

  async function flush(): Promise<void> {
    const configs = new Map<string, BucketConfig>();
    const needed = new Map<string, number>();
    let taken = 0;
    for (const waiting of pending) {
      const fresh = waiting.needs.filter((n) => !needed.has(n.key)).length;
      if (taken > 0 && needed.size + fresh > options.maxKeysPerCall) break;
      taken++;
      for (const { key, config } of waiting.needs) {
        configs.set(key, config);
        needed.set(key, (needed.get(key) ?? 0) + 1);
      }
    }
    const batch = pending.splice(0, taken);
    const now = options.now();
    const wants = [...needed].map(([key, count]) => {
      const config = configs.get(key)!;
      return { key, config, wanted: count + leaseSizeFor(config) };
    });
    let granted: Map<string, Lease>;
    try {
      granted = await options.lease(wants, now);
    } catch (error) {
      for (const waiting of batch) {
        waiting.error = error;
        giveBack(waiting);
      }
      return;
    }
    const available = new Map([...granted].map(([key, lease]) => [key, lease.granted]));
    const { allowed, left, shortOf } = allocateTokens(
      batch.map((waiting) => waiting.needs.map((n) => n.key)),
      available,
    );
    batch.forEach((waiting, i) => {
      if (allowed[i]) {
        waiting.result = { allowed: true };
        return;
      }
      giveBack(waiting);
      const key = shortOf[i]!;
      const tokens = granted.get(key)?.tokens ?? 0;
      // Short means the bucket gave all its whole tokens: what is left is under one.
      const retryAfterMs = tokens < 1 ? waitForToken(tokens, configs.get(key)!) : 1000;
      waiting.result = { allowed: false, retryAfterMs, key };
    });
    for (const [key, tokens] of left) if (tokens >= 1) addLease(key, tokens, now + ttl);
  }

  return {
    async take(keys) {
      const now = options.now();
      const waiting: Waiting = { needs: [], held: [] };
      for (const limit of keys) {
        const held = fromLease(limit.key, now);
        if (held) waiting.held.push(held);
        else waiting.needs.push(limit);
      }
      if (waiting.needs.length === 0) return { allowed: true };
      pending.push(waiting);
      // Each waiter starts the next statement itself once the one in flight is
      // done, so on the Worker every query runs for a request still waiting on it.
      while (waiting.result === undefined && waiting.error === undefined) {
        if (inflight) {
          await inflight;
          continue;
        }
        const run = (async () => {
          await options.gather?.();
          await flush();
        })();
        inflight = run;
        try {
          await run;
        } finally {
          if (inflight === run) inflight = null;
        }
      }
      if (waiting.error !== undefined) throw waiting.error;
      return waiting.result!;
    },
  };
}
