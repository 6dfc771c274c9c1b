// The replenishment rule at its boundaries, the one median rule and the
// intervals it learns, the purchase a sweep picks, the refs, and the trigger
// block's checks.
import { describe, expect, it } from 'vitest';
import { campaignSchema } from '../../src/core/campaigns/campaign.ts';
import type { ReplenishmentTrigger } from '../../src/core/campaigns/types.ts';
import {
  describeInterval,
  earliestDue,
  latestPurchases,
  learnIntervals,
  matchReplenishment,
  medianReplenishDays,
  type ReplenishmentFacts,
  type ReplenishmentMatch,
  rebuyGaps,
  replenishDelays,
  replenishInterval,
  replenishmentFacts,
} from '../../src/core/triggers/replenishment.ts';
import { describeInstance, parseReplenishRef, replenishRef } from '../../src/core/triggers/trigger-ref.ts';

const day = 86_400_000;
const now = Date.parse('2026-12-07T12:00:00Z');
const trigger: ReplenishmentTrigger = {
  type: 'replenishment',
  daysBefore: 3,
  maxDaysLate: 14,
  learn: { minIntervals: 5 },
  categories: null,
};
const coffee = (boughtAt: number, overrides: Partial<ReplenishmentFacts> = {}): ReplenishmentFacts => ({
  productId: 'beans',
  boughtAt,
  category: 'Coffee',
  productInStock: true,
  replenishDays: 30,
  learned: null,
  ...overrides,
});
const reason = (outcome: ReturnType<typeof matchReplenishment>) => (outcome.match ? 'fired' : outcome.reason);

describe('matchReplenishment', () => {
  it('is due at exactly N - days_before days after the purchase, not a millisecond sooner', () => {
    const boughtAt = now - 27 * day;
    expect(matchReplenishment(trigger, coffee(boughtAt), now)).toEqual({
      match: true,
      dueAt: now,
      lastAt: boughtAt + 44 * day,
      instance: replenishRef('beans', boughtAt),
      productId: 'beans',
      boughtAt,
      interval: { days: 30, source: 'product' },
    });
    expect(reason(matchReplenishment(trigger, coffee(now - 27 * day + 1), now))).toBe(
      'product beans bought 2026-11-10, every 30 days (replenish_days 30 from the product): due 2026-12-07',
    );
  });

  it('still fires on the last instant of max_days_late, and not after it', () => {
    const boughtAt = now - 44 * day;
    expect(matchReplenishment(trigger, coffee(boughtAt), now)).toMatchObject({
      match: true,
      dueAt: boughtAt + 27 * day,
      lastAt: now,
    });
    expect(reason(matchReplenishment(trigger, coffee(boughtAt - 1), now))).toBe(
      'product beans bought 2026-10-24, every 30 days (replenish_days 30 from the product): past max_days_late 14 since 2026-12-07',
    );
  });

  it('is never due sooner than a day after the purchase, however large days_before is', () => {
    const early = { ...trigger, daysBefore: 60 };
    expect(replenishDelays(early, 30)).toEqual({ dueDays: 1, lastDays: 44 });
    expect(matchReplenishment(early, coffee(now - day), now)).toMatchObject({ match: true, dueAt: now });
    expect(matchReplenishment(early, coffee(now - day + 1), now).match).toBe(false);
  });

  it('takes replenish_days over a learned interval, a learned one only with enough intervals, none with learning off', () => {
    const learned = { medianDays: 20, intervals: 41 };
    expect(replenishInterval({ replenishDays: 30 }, learned, trigger.learn)).toEqual({
      days: 30,
      source: 'product',
    });
    expect(replenishInterval({ replenishDays: null }, learned, trigger.learn)).toEqual({
      days: 20,
      source: 'learned',
      intervals: 41,
    });
    expect(
      replenishInterval({ replenishDays: null }, { medianDays: 20, intervals: 5 }, trigger.learn),
    ).toMatchObject({ days: 20 });
    expect(
      replenishInterval({ replenishDays: null }, { medianDays: 20, intervals: 4 }, trigger.learn),
    ).toBeNull();
    expect(replenishInterval({ replenishDays: null }, null, trigger.learn)).toBeNull();
    expect(replenishInterval({ replenishDays: null }, learned, null)).toBeNull();
    expect(replenishInterval({ replenishDays: 30 }, null, null)).toMatchObject({ source: 'product' });

    const boughtAt = now - 17 * day;
    expect(
      matchReplenishment(trigger, coffee(boughtAt, { replenishDays: null, learned }), now),
    ).toMatchObject({
      match: true,
      dueAt: now,
      interval: { days: 20, source: 'learned', intervals: 41 },
    });
    const few = coffee(boughtAt, { replenishDays: null, learned: { medianDays: 20, intervals: 4 } });
    expect(reason(matchReplenishment(trigger, few, now))).toBe(
      'product beans bought 2026-11-20: no replenish_days and 4 re-buy interval(s) seen, learn.min_intervals is 5',
    );
    expect(
      reason(
        matchReplenishment(
          { ...trigger, learn: null },
          coffee(boughtAt, { replenishDays: null, learned }),
          now,
        ),
      ),
    ).toBe('product beans bought 2026-11-20: no replenish_days and learning is off (learn: false)');
  });

  it('counts only products in categories, in the catalog and in stock', () => {
    const boughtAt = now - 28 * day;
    const only = { ...trigger, categories: ['Coffee', 'Tea'] };
    expect(matchReplenishment(only, coffee(boughtAt), now).match).toBe(true);
    expect(
      [
        matchReplenishment(only, coffee(boughtAt, { category: 'Mugs' }), now),
        matchReplenishment(only, coffee(boughtAt, { category: null }), now),
        matchReplenishment(trigger, coffee(boughtAt, { productInStock: null, category: null }), now),
        matchReplenishment(trigger, coffee(boughtAt, { productInStock: false }), now),
      ].map(reason),
    ).toEqual([
      'product beans bought 2026-11-09: not in categories Coffee, Tea',
      'product beans bought 2026-11-09: not in categories Coffee, Tea',
      'product beans bought 2026-11-09: not in the catalog',
      'product beans bought 2026-11-09: out of stock',
    ]);
  });
});

describe('medianReplenishDays', () => {
  it('takes the middle of an odd count and the lower middle of an even one', () => {
    expect(medianReplenishDays([])).toBeNull();
    expect(medianReplenishDays([9])).toBe(9);
    expect(medianReplenishDays([30, 10, 20])).toBe(20);
    expect(medianReplenishDays([40, 10, 30, 20])).toBe(20);
    expect(medianReplenishDays([28, 28, 35, 35])).toBe(28);
    expect(medianReplenishDays([7, 7, 7, 100, 100])).toBe(7);
  });
});

describe('the intervals the re-buys teach', () => {
  it('counts distinct UTC days: a same-day re-buy is no gap, across midnight is one day', () => {
    const midnight = Date.parse('2026-11-02T00:00:00Z');
    expect(rebuyGaps([midnight + 60_000, midnight - 60_000, midnight + 3_600_000])).toEqual([1]);
    expect(rebuyGaps([midnight + 30 * day, midnight, midnight + 10 * day])).toEqual([10, 20]);
    expect(rebuyGaps([midnight])).toEqual([]);
    // Before 1970 the days floor too: -1 ms is 31 December 1969.
    expect(rebuyGaps([-1, 0])).toEqual([1]);
  });

  it('pools every customer’s gaps of a product, and leaves out products nobody re-bought', () => {
    const at = (d: number) => Date.parse('2026-01-01T10:00:00Z') + d * day;
    const learned = learnIntervals([
      { customerId: 'a', productId: 'beans', at: at(0) },
      { customerId: 'a', productId: 'beans', at: at(30) },
      { customerId: 'a', productId: 'beans', at: at(58) },
      { customerId: 'b', productId: 'beans', at: at(5) },
      { customerId: 'b', productId: 'beans', at: at(45) },
      { customerId: 'b', productId: 'tea', at: at(1) },
      { customerId: 'c', productId: 'tea', at: at(9) },
    ]);
    // Gaps 30, 28 (a) and 40 (b): the median is 30.
    expect([...learned]).toEqual([['beans', { medianDays: 30, intervals: 3 }]]);
    expect(describeInterval({ days: 30, source: 'learned', intervals: 3 })).toBe(
      'learned: median 30 days from 3 re-buy intervals',
    );
  });
});

describe('what a sweep picks', () => {
  const due = (productId: string, dueAt: number) =>
    ({ match: true, productId, dueAt }) as unknown as ReplenishmentMatch;

  it('the latest purchase of each product, then of the due ones the earliest, the smaller id on a tie', () => {
    expect([
      ...latestPurchases([
        { productId: 'a', at: 5 },
        { productId: 'b', at: 2 },
        { productId: 'a', at: 9 },
        { productId: 'a', at: 7 },
      ]),
    ]).toEqual([
      ['a', 9],
      ['b', 2],
    ]);
    expect(earliestDue([])).toBeNull();
    expect(earliestDue([due('b', 5), due('c', 3), due('a', 5)])?.productId).toBe('c');
    expect(earliestDue([due('b', 5), due('a', 5)])?.productId).toBe('a');
  });

  it('says in words what a match rests on', () => {
    const match = matchReplenishment(trigger, coffee(now - 28 * day), now);
    if (!match.match) throw new Error('expected a match');
    expect(replenishmentFacts(trigger, match)).toEqual([
      'product beans bought 2026-11-09',
      'interval 30 days (replenish_days 30 from the product)',
      'due 2026-12-06 (days_before 3), mailed until 2026-12-23 (max_days_late 14)',
    ]);
  });
});

describe('replenishment refs', () => {
  it('round-trip product ids holding the separator, and read in words', () => {
    const ref = replenishRef('sku@2', 1765000000000);
    expect(ref).toBe('refillsku@2@1765000000000');
    expect(parseReplenishRef(ref)).toEqual({ productId: 'sku@2', boughtAt: 1765000000000 });
    expect(parseReplenishRef('refill@123')).toBeNull();
    expect(parseReplenishRef('viewmug@123')).toBeNull();
    expect(parseReplenishRef('refillmug@12x')).toBeNull();
    expect(describeInstance(ref, now)).toBe('product sku@2 bought 2025-12-06 05:46 UTC, 366 days ago');
  });
});

describe('the replenishment trigger block', () => {
  const file = (trigger: Record<string, unknown>) => ({
    name: 'Refill',
    trigger: { type: 'replenishment', ...trigger },
    email: { template: 'replenishment.mjml', subject: 'Time for more?' },
  });
  const problems = (trigger: Record<string, unknown>) => {
    const parsed = campaignSchema('GBP').safeParse(file(trigger));
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('fills the defaults and normalizes learn and categories', () => {
    expect(campaignSchema('GBP').parse(file({})).trigger).toEqual({
      type: 'replenishment',
      daysBefore: 0,
      maxDaysLate: 14,
      learn: { minIntervals: 5 },
      categories: null,
    });
    expect(
      campaignSchema('GBP').parse(
        file({
          days_before: 3,
          max_days_late: 30,
          learn: { min_intervals: 8 },
          categories: ['Coffee', 'Tea'],
        }),
      ).trigger,
    ).toEqual({
      type: 'replenishment',
      daysBefore: 3,
      maxDaysLate: 30,
      learn: { minIntervals: 8 },
      categories: ['Coffee', 'Tea'],
    });
    expect(campaignSchema('GBP').parse(file({ learn: false })).trigger).toMatchObject({ learn: null });
    expect(campaignSchema('GBP').parse(file({ learn: {} })).trigger).toMatchObject({
      learn: { minIntervals: 5 },
    });
  });

  it('names the field that is out of range or of the wrong kind', () => {
    expect(problems({ days_before: 61 })).toEqual([
      expect.stringMatching(/^trigger\.days_before: .*0 to 60/),
    ]);
    expect(problems({ max_days_late: 0 })).toEqual([
      expect.stringMatching(/^trigger\.max_days_late: .*1 to 180/),
    ]);
    expect(problems({ learn: true })).toEqual([
      'trigger.learn: must be a mapping with min_intervals, or false, got true',
    ]);
    expect(problems({ learn: { min_intervals: 0 } })).toEqual([
      expect.stringMatching(/^trigger\.learn\.min_intervals: /),
    ]);
    expect(problems({ categories: [] })).toEqual([expect.stringMatching(/^trigger\.categories: /)]);
    expect(problems({ days: 30 })).toEqual([
      'trigger: is not a known field (allowed here: type, days_before, max_days_late, learn, categories)',
    ]);
  });

  it('needs an email', () => {
    const parsed = campaignSchema('GBP').safeParse({ ...file({}), email: undefined });
    expect(parsed.error?.issues.map((i) => i.message)).toEqual([
      'is required for replenishment campaigns: a mapping with template and subject',
    ]);
  });
});
