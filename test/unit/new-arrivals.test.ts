// The new-arrivals rule at its boundaries: the age window, the customer's
// categories, what was already told, min/max products and the order of the
// list, idle_days; its ref format; and the trigger block's checks.
import { describe, expect, it } from 'vitest';
import { campaignSchema } from '../../src/core/campaigns/campaign.ts';
import {
  type Arrival,
  matchNewArrivals,
  type NewArrivalsFacts,
} from '../../src/core/triggers/new-arrivals.ts';
import {
  describeInstance,
  newArrivalsInstance,
  newArrivalsRef,
  parseNewArrivalsRef,
} from '../../src/core/triggers/trigger-ref.ts';

const day = 86_400_000;
const now = Date.parse('2026-12-07T12:00:00Z');
const trigger = { days: 14, minProducts: 1, maxProducts: 3, idleDays: { min: null, max: null } };
const arrival = (productId: string, category: string, age: number): Arrival => ({
  productId,
  category,
  firstInStockAt: now - age,
});
const facts = (arrivals: Arrival[], overrides: Partial<NewArrivalsFacts> = {}): NewArrivalsFacts => ({
  arrivals,
  categories: new Set(['tea']),
  toldUpTo: null,
  lastPurchaseAt: now - 100 * day,
  ...overrides,
});

describe('matchNewArrivals', () => {
  it('counts products first in stock from exactly days ago up to now, not a millisecond outside', () => {
    const outcome = matchNewArrivals(
      trigger,
      facts([
        arrival('edge', 'tea', 14 * day),
        arrival('stale', 'tea', 14 * day + 1),
        arrival('future', 'tea', -1),
        arrival('now', 'tea', 0),
      ]),
      now,
    );
    expect(outcome).toEqual({
      match: true,
      instance: newArrivalsInstance(now),
      ref: newArrivalsRef(now, ['now', 'edge']),
      products: ['now', 'edge'],
    });
  });

  it('only in the customer categories; none at all is said so', () => {
    const arrivals = [arrival('pot', 'kitchen', day), arrival('oolong', 'tea', 2 * day)];
    expect(matchNewArrivals(trigger, facts(arrivals), now)).toMatchObject({ products: ['oolong'] });
    expect(matchNewArrivals(trigger, facts(arrivals, { categories: new Set() }), now)).toEqual({
      match: false,
      reason: 'bought and browsed no category',
    });
    expect(
      matchNewArrivals(trigger, facts(arrivals, { categories: new Set(['garden']) }), now),
    ).toMatchObject({
      match: false,
      reason: expect.stringContaining('0 product(s) new in the last 14 days'),
    });
  });

  it('lists at most max_products, newest first, ties by product id; fewer than min_products is no message', () => {
    const arrivals = [
      arrival('b', 'tea', day),
      arrival('a', 'tea', day),
      arrival('c', 'tea', 3 * day),
      arrival('d', 'tea', 2 * day),
    ];
    expect(matchNewArrivals(trigger, facts(arrivals), now)).toMatchObject({ products: ['a', 'b', 'd'] });
    expect(
      matchNewArrivals({ ...trigger, minProducts: 5, maxProducts: 6 }, facts(arrivals), now),
    ).toMatchObject({
      match: false,
      reason: expect.stringContaining('the trigger wants 5'),
    });
    expect(
      matchNewArrivals({ ...trigger, minProducts: 4, maxProducts: 4 }, facts(arrivals), now),
    ).toMatchObject({
      match: true,
      products: ['a', 'b', 'd', 'c'],
    });
  });

  it('never tells an arrival twice: only those newer than the last batch, and that batch itself is already messaged', () => {
    const arrivals = [arrival('old', 'tea', 5 * day), arrival('new', 'tea', day)];
    expect(matchNewArrivals(trigger, facts(arrivals, { toldUpTo: now - 5 * day }), now)).toMatchObject({
      match: true,
      instance: newArrivalsInstance(now - day),
      products: ['new'],
    });
    expect(matchNewArrivals(trigger, facts(arrivals, { toldUpTo: now - day }), now)).toEqual({
      match: false,
      reason: 'already told about the newest of these arrivals',
      alreadyMessaged: true,
    });
    // Told about something newer than anything here (a product since sold out): nothing to tell, not a rerun.
    expect(matchNewArrivals(trigger, facts(arrivals, { toldUpTo: now - 1 }), now)).toMatchObject({
      match: false,
      reason: expect.stringContaining('after those told on'),
    });
  });

  it('idle_days bounds the days since the last purchase, inclusive, as an audience send does', () => {
    const idle = { ...trigger, idleDays: { min: 30, max: 365 } };
    const arrivals = [arrival('oolong', 'tea', day)];
    const at = (days: number, extra = 0) =>
      matchNewArrivals(idle, facts(arrivals, { lastPurchaseAt: now - days * day - extra }), now).match;
    expect([at(30), at(30, -1), at(365), at(365, 1)]).toEqual([true, false, true, false]);
    expect(matchNewArrivals(idle, facts(arrivals, { lastPurchaseAt: null }), now)).toEqual({
      match: false,
      reason: 'no paid order before now',
    });
  });
});

describe('new-arrivals refs', () => {
  it('round-trips the batch, ids with any characters included, and says it in words', () => {
    const ids = ['a"b', 'x]y', '12345678901234567890'];
    expect(parseNewArrivalsRef(newArrivalsRef(now, ids))).toEqual({ newestAt: now, productIds: ids });
    expect(parseNewArrivalsRef(newArrivalsInstance(now))).toEqual({ newestAt: now, productIds: [] });
    for (const bad of ['new', 'newx', `new${now}[1]`, `new${now}[`, `send${now}`])
      expect(parseNewArrivalsRef(bad)).toBeNull();
    expect(describeInstance(newArrivalsInstance(now), now)).toBe('new arrivals up to 2026-12-07 12:00 UTC');
  });
});

describe('the new_arrivals trigger block', () => {
  const file = (trigger: Record<string, unknown>) => ({
    name: 'New in',
    trigger: { type: 'new_arrivals', ...trigger },
    email: { template: 'new-arrivals.mjml', subject: 'New in' },
  });
  const parse = (trigger: Record<string, unknown>) => campaignSchema('GBP').safeParse(file(trigger));

  it('has defaults and reads idle_days', () => {
    const parsed = parse({ days: 14, idle_days: { min: 30 } });
    expect(parsed.success).toBe(true);
    if (parsed.success)
      expect(parsed.data.trigger).toEqual({
        type: 'new_arrivals',
        days: 14,
        minProducts: 1,
        maxProducts: 4,
        idleDays: { min: 30, max: null },
      });
  });

  it('names the field that is wrong', () => {
    const issues = (trigger: Record<string, unknown>) => {
      const parsed = parse(trigger);
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({})).toEqual([expect.stringMatching(/^trigger\.days: /)]);
    expect(issues({ days: 91 })).toEqual([expect.stringMatching(/^trigger\.days: .*1 to 90/)]);
    expect(issues({ days: 7, min_products: 3, max_products: 2 })).toEqual([
      'trigger.max_products: must be at least min_products (3), got 2',
    ]);
    expect(issues({ days: 7, idle_days: { min: 30, max: 10 } })).toEqual([
      'trigger.idle_days.max: must be more than min (30), got 10',
    ]);
  });
});
