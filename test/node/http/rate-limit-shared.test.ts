// Coupon rate limits hold across processes on one database (issue 9, finding
// 6): the shared buckets' SQL agrees with core's token-bucket arithmetic (the
// oracle) on random sequences of leases; five app instances, each with its own
// in-memory gate and its own connection to one libSQL file, let through no
// more guesses together than one does alone; idle buckets are deleted.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSharedLimiter } from '../../../src/core/request-limits/shared-buckets.ts';
import {
  type Bucket,
  type BucketConfig,
  idleUntil,
  leaseTokens,
} from '../../../src/core/request-limits/token-bucket.ts';
import { openLibsqlStore } from '../../../src/db/libsql.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import { leaseSharedTokens } from '../../../src/db/repositories/rate-buckets.ts';
import type { Store } from '../../../src/db/store.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { pruneEveryMs } from '../../../src/http/rate-limit.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
const extra: Store[] = [];
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  for (const store of extra.splice(0)) await store.close();
  await temp.cleanup();
});

/** A small seeded generator, so a failing sequence can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Row = { key: string; tokens: number; updated_at: number; idle_until: number };
const rows = (store: Store) => store.db.all<Row>(sql`select * from rate_buckets order by key`);

describe('the shared buckets agree with core', () => {
  it.each([1, 2, 3, 4, 5, 6])('on a random sequence of leases (seed %i)', async (seed) => {
    const next = random(seed);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
    const names = ['client:a', 'client:b', 'code:x', 'code:y', 'code:z'];
    const configs = new Map<string, BucketConfig>(
      names.map((name) => [
        name,
        { capacity: pick([1, 2, 3, 5, 8, 20, 120]), refillPerSecond: pick([0.05, 1 / 3, 0.7, 1, 2.5]) },
      ]),
    );
    let now = 1_790_000_000_000 + Math.floor(next() * 1000);
    const oracle = new Map<string, Bucket>();
    for (let step = 0; step < 250; step++) {
      // Mostly small steps, some long idles, now and then a clock that steps back.
      const roll = next();
      now +=
        roll < 0.05
          ? -Math.floor(next() * 500)
          : roll < 0.15
            ? Math.floor(next() * 60_000)
            : Math.floor(next() * 800);
      const keys = names.filter(() => next() < 0.4);
      const wants = keys.map((key) => ({
        key,
        config: configs.get(key)!,
        wanted: 1 + Math.floor(next() * 4),
      }));
      const expected = new Map(
        wants.map(({ key, config, wanted }) => {
          const { granted, bucket } = leaseTokens(oracle.get(key), config, now, wanted);
          oracle.set(key, bucket);
          return [key, { granted, tokens: bucket.tokens }];
        }),
      );
      const got = await leaseSharedTokens(temp.store, wants, now);
      expect(got, `seed ${seed} step ${step}`).toEqual(expected);
    }
    for (const row of await rows(temp.store)) {
      const bucket = oracle.get(row.key)!;
      expect({ tokens: row.tokens, updatedAt: row.updated_at }).toEqual(bucket);
      expect(row.idle_until).toBe(idleUntil(bucket, configs.get(row.key)!));
    }
  });

  it('takes from every bucket or none: a request refused by one limit drains no other', async () => {
    const limiter = createSharedLimiter({
      lease: (wants, at) => leaseSharedTokens(temp.store, wants, at),
      now: () => 0,
      maxKeysPerCall: 24,
    });
    const client = { key: 'client:k', config: { capacity: 5, refillPerSecond: 1 } };
    const code = { key: 'code:A', config: { capacity: 1, refillPerSecond: 0.1 } };
    expect(await limiter.take([client, code])).toEqual({ allowed: true });
    expect(await limiter.take([client, code])).toEqual({
      allowed: false,
      retryAfterMs: 10_000,
      key: 'code:A',
    });
    // The refused request's client token stays with this limiter, for the next request.
    expect(await limiter.take([client])).toEqual({ allowed: true });
    expect((await rows(temp.store)).map((r) => [r.key, r.tokens])).toEqual([
      ['client:k', 3],
      ['code:A', 0],
    ]);
  });
});

describe('several app instances on one libSQL file', () => {
  const limits = {
    perClient: { capacity: 120, refillPerSecond: 2 },
    perCode: { capacity: 20, refillPerSecond: 20 / 60 },
  };

  /** `instances` apps, each with its own connection (as separate processes have) and its own memory gate. */
  async function apps(instances: number, clock: { now: number }) {
    const result = [];
    for (let i = 0; i < instances; i++) {
      const store = i === 0 ? temp.store : await openLibsqlStore({ url: temp.url });
      if (i > 0) extra.push(store);
      result.push(createApp({ store, now: () => clock.now, couponRateLimits: limits }));
    }
    return result;
  }

  async function guesses(instances: number, count: number, options: { tick: number; parallel: number }) {
    const clock = { now: Date.parse('2026-11-01T12:00:00Z') };
    const key = (await createApiKey(temp.store, { name: 'shop', scopes: ['coupons'], now: clock.now }))
      .secret;
    const servers = await apps(instances, clock);
    const statuses: number[] = [];
    for (let start = 0; start < count; start += options.parallel) {
      const wave = Array.from({ length: Math.min(options.parallel, count - start) }, (_, j) => {
        const i = start + j;
        clock.now += options.tick;
        return servers[i % servers.length]!.request('/v1/coupons/validate', {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ code: `BACK-GUESS-${i}`, subtotal: '50.00', currency: 'GBP' }),
        });
      });
      for (const response of await Promise.all(wave)) statuses.push(response.status);
    }
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    return statuses.filter((s) => s === 200).length;
  }

  it('1,000 concurrent guesses over 5 instances get the one-instance figure (a burst of 120)', async () => {
    const one = await guesses(1, 1000, { tick: 0, parallel: 50 });
    await temp.store.db.run(sql`delete from rate_buckets`);
    const five = await guesses(5, 1000, { tick: 0, parallel: 50 });
    expect(one).toBe(120);
    expect(five).toBe(one);
  });

  it('with the clock moving, 5 instances together refill at one bucket’s rate', async () => {
    // 1,000 guesses 10 ms apart: the burst of 120 plus about 2 a second for 10 s.
    const one = await guesses(1, 1000, { tick: 10, parallel: 1 });
    await temp.store.db.run(sql`delete from rate_buckets`);
    const five = await guesses(5, 1000, { tick: 10, parallel: 1 });
    expect(one).toBeGreaterThan(130);
    expect(one).toBeLessThanOrEqual(140);
    expect(five).toBe(one);
  });

  it('a request the local gate refuses takes nothing from the shared bucket', async () => {
    const clock = { now: Date.parse('2026-11-01T12:00:00Z') };
    const stored = await createApiKey(temp.store, { name: 'shop', scopes: ['coupons'], now: clock.now });
    const [app] = await apps(1, clock);
    const validate = (code: string) =>
      app!.request('/v1/coupons/validate', {
        method: 'POST',
        headers: { authorization: `Bearer ${stored.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ code, subtotal: '50.00', currency: 'GBP' }),
      });
    for (let i = 0; i < 20; i++) expect((await validate('BACK-SAME')).status).toBe(200);
    // Another process left the shared bucket full; this instance's gate is empty.
    await temp.store.db.run(sql`update rate_buckets set tokens = 20 where key = 'code:BACK-SAME'`);
    const before = await rows(temp.store);
    const refused = await validate('BACK-SAME');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect(await rows(temp.store)).toEqual(before);
    expect(before.find((r) => r.key === `client:${stored.id}`)).toBeDefined();
  });

  it('deletes buckets that have refilled, so the table stays small', async () => {
    const clock = { now: Date.parse('2026-11-01T12:00:00Z') };
    const key = (await createApiKey(temp.store, { name: 'shop', scopes: ['coupons'], now: clock.now }))
      .secret;
    const [app] = await apps(1, clock);
    const validate = (code: string) =>
      app!.request('/v1/coupons/validate', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ code, subtotal: '50.00', currency: 'GBP' }),
      });
    for (let i = 0; i < 100; i++) expect((await validate(`BACK-G${i}`)).status).toBe(200);
    expect(await rows(temp.store)).toHaveLength(101);
    clock.now += pruneEveryMs;
    expect((await validate('BACK-LATE')).status).toBe(200);
    // Every code bucket refilled within a minute; the client's took 50 s; the new take stays.
    expect((await rows(temp.store)).map((r) => r.key.split(':')[0])).toEqual(['client', 'code']);
  });
});
