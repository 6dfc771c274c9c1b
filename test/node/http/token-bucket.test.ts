import { describe, expect, it } from 'vitest';
import { type Bucket, createRateLimiter, takeToken } from '../../../src/core/request-limits/token-bucket.ts';
import { memoryBuckets } from '../../../src/http/rate-limit.ts';

const config = { capacity: 3, refillPerSecond: 1 };

describe('takeToken', () => {
  it('allows a burst of capacity, then refuses with the wait for the next token', () => {
    let bucket: Bucket | undefined;
    for (let i = 0; i < 3; i++) {
      const result = takeToken(bucket, config, 1000);
      expect(result.allowed).toBe(true);
      bucket = result.bucket;
    }
    const refused = takeToken(bucket, config, 1000);
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 1000 });
    expect(takeToken(bucket, config, 1400)).toMatchObject({ allowed: false, retryAfterMs: 600 });
    expect(takeToken(bucket, config, 2000).allowed).toBe(true);
  });

  it('refills at the configured rate up to capacity, never beyond', () => {
    const empty = { tokens: 0, updatedAt: 0 };
    expect(takeToken(empty, config, 60_000).bucket.tokens).toBe(2);
  });

  it('tolerates a clock that steps back', () => {
    expect(takeToken({ tokens: 0.5, updatedAt: 5000 }, config, 4000).allowed).toBe(false);
  });
});

describe('createRateLimiter', () => {
  it('takes from every bucket or none, so one refusal does not drain the other limit', () => {
    let now = 0;
    const limiter = createRateLimiter(memoryBuckets(), () => now);
    const client = { key: 'client:k', config: { capacity: 10, refillPerSecond: 1 } };
    const code = (c: string) => ({ key: `code:${c}`, config: { capacity: 2, refillPerSecond: 0.1 } });
    expect(limiter.take([client, code('A')]).allowed).toBe(true);
    expect(limiter.take([client, code('A')]).allowed).toBe(true);
    expect(limiter.take([client, code('A')])).toEqual({
      allowed: false,
      retryAfterMs: 10_000,
      key: 'code:A',
    });
    // Seven more calls for other codes use up the client's ten tokens exactly:
    // the refused call above took none.
    for (let i = 0; i < 8; i++) expect(limiter.take([client, code(`B${i}`)]).allowed).toBe(true);
    expect(limiter.take([client, code('C')])).toMatchObject({ allowed: false, key: 'client:k' });
    now = 10_000;
    expect(limiter.take([client, code('A')]).allowed).toBe(true);
  });

  it('memory buckets forget the least recently used key past their size', () => {
    const store = memoryBuckets(2);
    store.set('a', { tokens: 0, updatedAt: 0 });
    store.set('b', { tokens: 0, updatedAt: 0 });
    store.get('a');
    store.set('a', { tokens: 1, updatedAt: 0 });
    store.set('c', { tokens: 0, updatedAt: 0 });
    expect(store.get('b')).toBeUndefined();
    expect(store.get('a')).toEqual({ tokens: 1, updatedAt: 0 });
  });
});
