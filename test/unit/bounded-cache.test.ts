// The bounded cache (src/core/bounded-cache.ts) against its contract: the
// `keep` most recently used keys always there, never more than 2 x keep held,
// an entry with a TTL not served once it has run out by the clock handed in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedCache } from '../../src/core/bounded-cache.ts';

describe('boundedCache', () => {
  it('keeps the most recently used keys and holds at most twice as many, on any sequence', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        // Few keys, so keys come back while they are in either generation.
        fc.array(fc.tuple(fc.constantFrom('get', 'set'), fc.integer({ min: 0, max: 7 })), { maxLength: 200 }),
        (keep, operations) => {
          const cache = boundedCache<number>({ keep });
          // The model: every key with its value, most recently used last.
          const model = new Map<string, number>();
          for (const [i, [operation, n]] of operations.entries()) {
            const key = `k${n}`;
            if (operation === 'set') {
              cache.set(key, i);
              model.delete(key);
              model.set(key, i);
            } else {
              const got = cache.get(key);
              const known = model.get(key);
              // A hit is always the last value stored; a miss is allowed only
              // for a key outside the `keep` most recently used.
              if (got !== undefined) expect(got).toBe(known);
              if (known !== undefined) {
                const recent = [...model.keys()].slice(-keep);
                if (recent.includes(key)) expect(got).toBe(known);
                if (got === undefined) model.delete(key);
                else {
                  model.delete(key);
                  model.set(key, known);
                }
              }
            }
            expect(cache.size).toBeLessThanOrEqual(2 * keep);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('forgets keys beyond the bound when many distinct ones arrive', () => {
    const cache = boundedCache<number>({ keep: 100 });
    for (let i = 0; i < 10_000; i++) cache.set(`k${i}`, i);
    expect(cache.size).toBeLessThanOrEqual(200);
    expect(cache.get('k0')).toBeUndefined();
    expect(cache.get('k9999')).toBe(9999);
  });

  it('serves an entry until its TTL has passed since it was stored, then never again', () => {
    const clock = { now: 1_000 };
    const cache = boundedCache<string>({ keep: 10, ttlMs: 30_000, now: () => clock.now });
    cache.set('a', 'first');
    clock.now += 29_999;
    expect(cache.get('a')).toBe('first');
    clock.now += 1;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
    // Storing again starts a new lifetime; a get does not extend it.
    cache.set('a', 'second');
    clock.now += 20_000;
    expect(cache.get('a')).toBe('second');
    clock.now += 10_000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('does not serve an expired entry that moved to the old generation', () => {
    const clock = { now: 0 };
    const cache = boundedCache<number>({ keep: 2, ttlMs: 100, now: () => clock.now });
    cache.set('a', 1);
    cache.set('b', 2);
    clock.now = 100;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeUndefined();
  });

  it('deletes on request', () => {
    const cache = boundedCache<number>({ keep: 4 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    cache.set('d', 4);
    cache.delete('a');
    cache.delete('d');
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.get('d')]).toEqual([
      undefined,
      2,
      3,
      undefined,
    ]);
  });

  it('refuses a bound or TTL it cannot keep', () => {
    expect(() => boundedCache({ keep: 0 })).toThrow(/keep/);
    expect(() => boundedCache({ keep: 1.5 })).toThrow(/keep/);
    expect(() => boundedCache({ keep: 2, ttlMs: 10 })).toThrow(/clock/);
    expect(() => boundedCache({ keep: 2, ttlMs: 0, now: () => 0 })).toThrow(/positive/);
  });
});
