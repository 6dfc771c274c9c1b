// Coupon rate limits on D1 in workerd (issue 9, finding 6): two app
// instances, as two isolates would be, each with its own in-memory gate, let
// through no more guesses together than one alone; and the shared buckets'
// SQL gives core's leases on D1 too.
import { describe, expect, it } from 'vitest';
import { type Bucket, type BucketConfig, leaseTokens } from '../../src/core/request-limits/token-bucket.ts';
import { leaseSharedTokens } from '../../src/db/repositories/rate-buckets.ts';
import { createApp } from '../../src/http/create-app.ts';
import { createKey, testStore, uniquePrefix } from './support/worker-client.ts';

const limits = {
  perClient: { capacity: 120, refillPerSecond: 2 },
  perCode: { capacity: 20, refillPerSecond: 20 / 60 },
};
const now = Date.parse('2026-11-01T12:00:00Z');

async function guesses(instances: number, count: number): Promise<number> {
  const prefix = uniquePrefix();
  const key = await createKey(['coupons']);
  // testStore() per instance: separate drizzle handles on the one D1 binding.
  const apps = Array.from({ length: instances }, () =>
    createApp({ store: testStore(), now: () => now, couponRateLimits: limits }),
  );
  const statuses: number[] = [];
  for (let start = 0; start < count; start += 50) {
    const wave = Array.from({ length: 50 }, (_, j) =>
      apps[(start + j) % apps.length]!.request('/v1/coupons/validate', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ code: `${prefix}-${start + j}`, subtotal: '50.00', currency: 'GBP' }),
      }),
    );
    for (const response of await Promise.all(wave)) statuses.push(response.status);
  }
  expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
  return statuses.filter((s) => s === 200).length;
}

describe('coupon rate limits on D1', () => {
  it('400 concurrent guesses over two app instances get the one-instance figure', async () => {
    const one = await guesses(1, 400);
    const two = await guesses(2, 400);
    expect(one).toBe(120);
    expect(two).toBe(one);
  });

  it('the shared buckets give the same leases as core on a sequence of takes', async () => {
    const prefix = uniquePrefix();
    const names = ['a', 'b', 'c'].map((n) => `${prefix}:${n}`);
    const configs: BucketConfig[] = [
      { capacity: 3, refillPerSecond: 1 },
      { capacity: 1, refillPerSecond: 1 / 3 },
      { capacity: 120, refillPerSecond: 0.7 },
    ];
    let clock = now;
    const oracle = new Map<string, Bucket>();
    const store = testStore();
    for (let step = 0; step < 120; step++) {
      // A fixed, irregular walk: bursts, pauses, and a clock that steps back.
      clock += [0, 0, 150, 900, 0, 2500, -300, 40][step % 8]!;
      const wants = names
        .map((key, i) => ({ key, config: configs[i]!, wanted: 1 + ((step + i) % 4) }))
        .filter((_, i) => (step + i) % 3 !== 0);
      const expected = new Map(
        wants.map(({ key, config, wanted }) => {
          const { granted, bucket } = leaseTokens(oracle.get(key), config, clock, wanted);
          oracle.set(key, bucket);
          return [key, { granted, tokens: bucket.tokens }];
        }),
      );
      expect(await leaseSharedTokens(store, wants, clock), `step ${step}`).toEqual(expected);
    }
  });
});
