// One customer's forecast from fitted models: the chance of a next purchase
// within t and its median (the predicted next order), checked against the
// paper's E[Y(t)] (its slope at t = 0 is the same rate, and it bounds the
// chance from above, a purchase being at least one), the refusals (more
// likely gone than not, or not within the horizon), and the year's value as
// E[Y] × E[M].
import { describe, expect, it } from 'vitest';
import {
  type BgNbdParams,
  expectedPurchases,
  probabilityAlive,
  type RecencyFrequency,
} from '../../src/core/prediction/bg-nbd.ts';
import {
  forecastCustomer,
  medianTimeToNextPurchase,
  probabilityPurchaseWithin,
} from '../../src/core/prediction/customer-forecast.ts';
import { expectedAverageSpend } from '../../src/core/prediction/gamma-gamma.ts';

const published: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const customers: RecencyFrequency[] = [
  { x: 0, tx: 0, T: 38.86 },
  { x: 2, tx: 213 / 7, T: 272 / 7 },
  { x: 18, tx: 35.14, T: 35.86 },
  { x: 4, tx: 10, T: 38 },
  { x: 1, tx: 1, T: 2 },
];

describe('the chance of a next purchase within t', () => {
  it('starts at the rate E[Y(t)] starts at, and never exceeds E[Y(t)]', () => {
    for (const c of customers) {
      const t = 1e-6;
      expect(probabilityPurchaseWithin(published, c, t) / t).toBeCloseTo(
        expectedPurchases(published, c, t) / t,
        4,
      );
      for (const later of [0.5, 4, 13, 52, 520]) {
        expect(probabilityPurchaseWithin(published, c, later)).toBeLessThanOrEqual(
          expectedPurchases(published, c, later) * (1 + 1e-12),
        );
      }
      // Forever, it is the chance they are alive (an alive customer buys again eventually).
      expect(probabilityPurchaseWithin(published, c, 1e30)).toBeCloseTo(probabilityAlive(published, c), 3);
    }
  });
});

describe('the next order', () => {
  it('is the median time: even odds of a purchase by then', () => {
    for (const c of customers) {
      const t = medianTimeToNextPurchase(published, c, Number.POSITIVE_INFINITY);
      if (probabilityAlive(published, c) > 0.5) {
        expect(t).not.toBeNull();
        expect(probabilityPurchaseWithin(published, c, t!)).toBeCloseTo(0.5, 12);
      } else {
        expect(t).toBeNull();
      }
    }
  });

  it('is none for a customer more likely gone than not, or when it lies past the horizon', () => {
    const gone = { x: 4, tx: 10, T: 38 };
    expect(probabilityAlive(published, gone)).toBeLessThan(0.5);
    expect(medianTimeToNextPurchase(published, gone, 1e9)).toBeNull();
    const slow = { x: 0, tx: 0, T: 38.86 };
    const t = medianTimeToNextPurchase(published, slow, Number.POSITIVE_INFINITY)!;
    expect(t).toBeGreaterThan(10);
    expect(medianTimeToNextPurchase(published, slow, t * 0.999)).toBeNull();
    expect(medianTimeToNextPurchase(published, slow, t)).toBe(t);
  });
});

describe('forecastCustomer', () => {
  it('puts the figures together: the year’s value is E[Y(year)] × E[M]', () => {
    const spend = { p: 6.25, q: 3.74, gamma: 1544 };
    const c = { x: 2, tx: 213 / 7, T: 272 / 7, repeatMeanAmount: 2234.5 };
    const horizons = { purchases: 90 / 7, value: 52, nextOrderWithin: 104 };
    const forecast = forecastCustomer(published, spend, c, horizons);
    expect(forecast).toEqual({
      probabilityAlive: probabilityAlive(published, c),
      expectedPurchases: expectedPurchases(published, c, 90 / 7),
      nextOrderIn: medianTimeToNextPurchase(published, c, 104),
      expectedValue:
        expectedPurchases(published, c, 52) * expectedAverageSpend(spend, { x: 2, meanAmount: 2234.5 }),
    });
    expect(forecastCustomer(published, null, c, horizons).expectedValue).toBeNull();
  });
});
