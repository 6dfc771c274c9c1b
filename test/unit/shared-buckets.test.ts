// The shared limiter's group commit and leases (src/core/request-limits/shared-buckets.ts)
// over a port that keeps its buckets in a Map with core's own leaseTokens():
// never more through than the shared bucket gives, one call for takes that
// arrive together, leased tokens spent locally and only within their TTL.
import { describe, expect, it } from 'vitest';
import {
  createSharedLimiter,
  type Lease,
  type LeasePort,
  type LeaseWant,
  leaseSizeFor,
  leaseTtlMs,
} from '../../src/core/request-limits/shared-buckets.ts';
import { allocateTokens, type Bucket, leaseTokens } from '../../src/core/request-limits/token-bucket.ts';

/** TEST FAKE shared store: buckets in a Map, taken with core's arithmetic; records each call. */
function fakeShared() {
  const buckets = new Map<string, Bucket>();
  const calls: LeaseWant[][] = [];
  let failNext = false;
  const lease: LeasePort = async (wants, now) => {
    calls.push(wants);
    if (failNext) {
      failNext = false;
      throw new Error('database unavailable');
    }
    const result = new Map<string, Lease>();
    for (const { key, config, wanted } of wants) {
      const { granted, bucket } = leaseTokens(buckets.get(key), config, now, wanted);
      buckets.set(key, bucket);
      result.set(key, { granted, tokens: bucket.tokens });
    }
    return result;
  };
  return { lease, calls, buckets, fail: () => (failNext = true) };
}

/** A limiter whose takes wait until release(), as takes arriving in one event-loop turn do. */
function gatheredLimiter(maxKeysPerCall: number) {
  const shared = fakeShared();
  let release!: () => void;
  const gathered = new Promise<void>((resolve) => (release = resolve));
  const limiter = createSharedLimiter({
    lease: shared.lease,
    now: () => 0,
    maxKeysPerCall,
    gather: () => gathered,
  });
  return { shared, limiter, release };
}

const busy = { capacity: 320, refillPerSecond: 2 }; // leases 10 extra
const small = { capacity: 20, refillPerSecond: 20 / 60 }; // leases none

describe('core lease arithmetic', () => {
  it('grants whole tokens up to what the bucket holds and writes it back refilled', () => {
    expect(leaseTokens(undefined, small, 0, 5)).toEqual({ granted: 5, bucket: { tokens: 15, updatedAt: 0 } });
    expect(leaseTokens({ tokens: 2.5, updatedAt: 0 }, small, 0, 5)).toEqual({
      granted: 2,
      bucket: { tokens: 0.5, updatedAt: 0 },
    });
    expect(leaseTokens({ tokens: 0.5, updatedAt: 0 }, small, 3000, 1).granted).toBe(1);
  });

  it('allocates to requests in order, all keys or none', () => {
    const result = allocateTokens(
      [['a', 'b'], ['a', 'c'], ['a', 'b'], ['a']],
      new Map([
        ['a', 3],
        ['b', 1],
        ['c', 0],
      ]),
    );
    expect(result.allowed).toEqual([true, false, false, true]);
    expect(result.shortOf).toEqual([undefined, 'c', 'b', undefined]);
    expect(result.left).toEqual(
      new Map([
        ['a', 1],
        ['b', 0],
        ['c', 0],
      ]),
    );
  });

  it('leases only from buckets with room for many', () => {
    expect(leaseSizeFor(small)).toBe(0);
    expect(leaseSizeFor({ capacity: 120, refillPerSecond: 2 })).toBe(3);
    expect(leaseSizeFor({ capacity: 1_000_000, refillPerSecond: 1_000_000 })).toBe(16);
  });
});

describe('createSharedLimiter', () => {
  it('sends takes that arrive together in one call', async () => {
    const { shared, limiter, release } = gatheredLimiter(24);
    const takes = Array.from({ length: 10 }, (_, i) =>
      limiter.take([
        { key: 'client:k', config: busy },
        { key: `code:${i}`, config: small },
      ]),
    );
    release();
    expect(await Promise.all(takes)).toEqual(Array(10).fill({ allowed: true }));
    expect(shared.calls).toHaveLength(1);
    expect(shared.calls[0]!.find((w) => w.key === 'client:k')?.wanted).toBe(10 + leaseSizeFor(busy));
  });

  it('spends leased tokens locally until they run out or expire', async () => {
    const shared = fakeShared();
    let now = 0;
    const limiter = createSharedLimiter({ lease: shared.lease, now: () => now, maxKeysPerCall: 24 });
    const client = [{ key: 'client:k', config: busy }];
    for (let i = 0; i < 11; i++) expect(await limiter.take(client)).toEqual({ allowed: true });
    expect(shared.calls).toHaveLength(1);
    expect(await limiter.take(client)).toEqual({ allowed: true });
    expect(shared.calls).toHaveLength(2);
    now += leaseTtlMs;
    expect(await limiter.take(client)).toEqual({ allowed: true });
    // The ten tokens leased by the second call expired unused: a third call.
    expect(shared.calls).toHaveLength(3);
  });

  it('lets no more through, over several limiters, than the shared bucket gives', async () => {
    const shared = fakeShared();
    const config = { capacity: 100, refillPerSecond: 1 }; // leases 3 extra
    const limiters = Array.from({ length: 4 }, () =>
      createSharedLimiter({ lease: shared.lease, now: () => 0, maxKeysPerCall: 24 }),
    );
    let allowed = 0;
    for (let i = 0; i < 400; i++) {
      const wave = await Promise.all(
        limiters.slice(0, 1 + (i % 4)).map((l) => l.take([{ key: 'client:k', config }])),
      );
      allowed += wave.filter((d) => d.allowed).length;
    }
    expect(allowed).toBe(100);
  });

  it('gives a refused request’s other tokens back, and names the short key with its wait', async () => {
    const shared = fakeShared();
    const limiter = createSharedLimiter({ lease: shared.lease, now: () => 0, maxKeysPerCall: 24 });
    const code = { key: 'code:A', config: { capacity: 1, refillPerSecond: 0.1 } };
    const client = { key: 'client:k', config: busy };
    expect(await limiter.take([client, code])).toEqual({ allowed: true });
    expect(await limiter.take([client, code])).toEqual({
      allowed: false,
      retryAfterMs: 10_000,
      key: 'code:A',
    });
    const calls = shared.calls.length;
    for (let i = 0; i < 10; i++) expect(await limiter.take([client])).toEqual({ allowed: true });
    expect(shared.calls).toHaveLength(calls);
  });

  it('fails every take in a failed call, and the next take tries again', async () => {
    const shared = fakeShared();
    const limiter = createSharedLimiter({ lease: shared.lease, now: () => 0, maxKeysPerCall: 24 });
    shared.fail();
    await expect(limiter.take([{ key: 'code:A', config: small }])).rejects.toThrow('database unavailable');
    expect(await limiter.take([{ key: 'code:A', config: small }])).toEqual({ allowed: true });
  });

  it('keeps each call within maxKeysPerCall', async () => {
    const { shared, limiter, release } = gatheredLimiter(8);
    const takes = Array.from({ length: 30 }, (_, i) => limiter.take([{ key: `code:${i}`, config: small }]));
    release();
    expect((await Promise.all(takes)).every((d) => d.allowed)).toBe(true);
    expect(shared.calls.map((c) => c.length)).toEqual([8, 8, 8, 6]);
  });
});
