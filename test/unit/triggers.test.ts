import { describe, expect, it } from 'vitest';
import { matchAbandonedCart } from '../../src/core/triggers/abandoned-cart.ts';
import { restockAllowance } from '../../src/core/triggers/back-in-stock.ts';
import { matchDormant, typicalGap } from '../../src/core/triggers/dormant.ts';

const day = 86_400_000;
const hour = 3_600_000;
const now = Date.parse('2026-11-23T12:00:00Z');

describe('dormant', () => {
  const trigger = { type: 'dormant' as const, days: 90, minOrders: 1, maxDays: null, cadenceFactor: null };
  const bought = (daysAgo: number, purchases = 1, firstDaysAgo = daysAgo) => ({
    purchases,
    firstPurchaseAt: now - firstDaysAgo * day,
    lastPurchaseAt: now - daysAgo * day,
  });

  it('does not fire at exactly `days` since the last purchase', () => {
    expect(matchDormant(trigger, bought(90), now).match).toBe(false);
  });

  it('fires one millisecond later, naming the episode by the last purchase', () => {
    const facts = { ...bought(90), lastPurchaseAt: now - 90 * day - 1 };
    expect(matchDormant(trigger, facts, now)).toEqual({ match: true, instance: `lp${now - 90 * day - 1}` });
  });

  it('respects max_days', () => {
    expect(matchDormant({ ...trigger, maxDays: 365 }, bought(365), now).match).toBe(true);
    expect(matchDormant({ ...trigger, maxDays: 365 }, bought(366), now).match).toBe(false);
  });

  it('needs min_orders real purchases (cancelled orders are not in the facts)', () => {
    const outcome = matchDormant({ ...trigger, minOrders: 2 }, bought(120), now);
    expect(outcome).toEqual({ match: false, reason: '1 purchase(s), fewer than min_orders 2' });
  });

  it('a customer who never bought is not dormant', () => {
    expect(
      matchDormant(trigger, { purchases: 0, firstPurchaseAt: null, lastPurchaseAt: null }, now).match,
    ).toBe(false);
  });

  it('buying again ends the episode: a new last purchase is a new instance', () => {
    const first = matchDormant(trigger, bought(100), now);
    const later = matchDormant(trigger, bought(95, 2, 200), now + 200 * day);
    expect(first.match && later.match && first.instance !== later.instance).toBe(true);
  });

  describe('overdue by cadence', () => {
    const overdue = { ...trigger, days: 14, minOrders: 2, cadenceFactor: 2 };
    it('with one order there is no cadence', () => {
      expect(matchDormant({ ...overdue, minOrders: 1 }, bought(100), now)).toMatchObject({
        match: false,
        reason: expect.stringContaining('no cadence'),
      });
    });
    it('with two orders the gap is the distance between them', () => {
      // Orders 30 days apart; idle 60 days is exactly 2x: not yet; 61 is.
      expect(matchDormant(overdue, bought(60, 2, 90), now).match).toBe(false);
      expect(matchDormant(overdue, bought(61, 2, 91), now).match).toBe(true);
    });
    it('with many orders the mean gap is used', () => {
      const facts = bought(50, 11, 250); // 10 gaps over 200 days: 20 days typical
      expect(typicalGap(facts)).toBe(20 * day);
      expect(matchDormant(overdue, facts, now).match).toBe(true);
      expect(matchDormant({ ...overdue, cadenceFactor: 3 }, facts, now).match).toBe(false);
    });
    it('still needs `days` of idleness', () => {
      expect(matchDormant(overdue, bought(10, 5, 14), now).match).toBe(false);
    });
  });
});

describe('abandoned cart', () => {
  const steps = [{ delayHours: 1 }, { delayHours: 24 }, { delayHours: 72 }];
  const cart = (idleHours: number, extra: Partial<Parameters<typeof matchAbandonedCart>[2]> = {}) => ({
    status: 'open' as const,
    lastActivityAt: now - idleHours * hour,
    itemCount: 2,
    hasEmail: true,
    valueMinor: 5000,
    currency: 'GBP',
    orderedSince: false,
    ...extra,
  });

  it('waits for the first delay', () => {
    expect(matchAbandonedCart(steps, 'k', cart(0.99), now).match).toBe(false);
    expect(matchAbandonedCart(steps, 'k', cart(1), now)).toMatchObject({ match: true, step: 0, dueAt: now });
  });

  it('schedules the latest due step, not the ones a late sweep missed', () => {
    expect(matchAbandonedCart(steps, 'k', cart(30), now)).toMatchObject({ match: true, step: 1 });
    expect(matchAbandonedCart(steps, 'k', cart(100), now)).toMatchObject({ match: true, step: 2 });
  });

  it('a cart converted a second before its reminder is due gets nothing', () => {
    expect(matchAbandonedCart(steps, 'k', cart(1 - 1 / 3600, { status: 'converted' }), now + 1000)).toEqual({
      match: false,
      reason: 'cart is converted',
    });
  });

  it('stops when the customer ordered after the cart, or the cart is empty or has no email', () => {
    expect(matchAbandonedCart(steps, 'k', cart(5, { orderedSince: true }), now).match).toBe(false);
    expect(matchAbandonedCart(steps, 'k', cart(5, { itemCount: 0 }), now).match).toBe(false);
    expect(matchAbandonedCart(steps, 'k', cart(5, { hasEmail: false }), now).match).toBe(false);
  });

  it('honours a minimum cart value', () => {
    expect(matchAbandonedCart(steps, 'k', cart(5), now, { GBP: 5001 }).match).toBe(false);
    expect(matchAbandonedCart(steps, 'k', cart(5), now, { GBP: 5000 }).match).toBe(true);
    // Read in the cart's own currency, never another's figure.
    expect(
      matchAbandonedCart(steps, 'k', cart(5, { currency: 'EUR' }), now, { GBP: 1, EUR: 5001 }).match,
    ).toBe(false);
    expect(matchAbandonedCart(steps, 'k', cart(5, { currency: 'EUR' }), now, { GBP: 1 })).toEqual({
      match: false,
      reason: 'cart is in EUR; min_cart_value has no figure in EUR (it gives GBP)',
    });
  });

  it('a cart touched again is a new abandonment', () => {
    const before = matchAbandonedCart(steps, 'k', cart(2), now);
    const after = matchAbandonedCart(steps, 'k', cart(1), now + hour);
    expect(before.match && after.match && before.instance !== after.instance).toBe(true);
  });
});

describe('back-in-stock allocation', () => {
  it('mails everyone when the campaign says all, or the quantity is unknown', () => {
    expect(restockAllowance({ mode: 'all' }, 3, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(restockAllowance({ mode: 'per_unit', factor: 1 }, null, 0)).toBe(Number.POSITIVE_INFINITY);
  });
  it('mails units x factor, rounded up, less what was already mailed', () => {
    expect(restockAllowance({ mode: 'per_unit', factor: 1.5 }, 3, 0)).toBe(5);
    expect(restockAllowance({ mode: 'per_unit', factor: 1.5 }, 3, 4)).toBe(1);
    expect(restockAllowance({ mode: 'per_unit', factor: 1 }, 3, 7)).toBe(0);
  });
});
