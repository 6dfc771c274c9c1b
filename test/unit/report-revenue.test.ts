import { describe, expect, it } from 'vitest';
import { roundedMoney } from '../../src/core/reports/revenue.ts';
import { meanAndVariance, revenueDifference, t95, welchInterval, z95 } from '../../src/core/reports/stats.ts';

describe('t95: the two-sided 95% quantile of Student t', () => {
  // Exact values from the t distribution (tables, or any statistics package).
  it.each([
    [10, 2.228139],
    [30, 2.042272],
    [60, 2.000298],
    [120, 1.97993],
  ])('at %i degrees of freedom is %f', (df, exact) => {
    expect(t95(df)).toBeCloseTo(exact, 4);
  });

  it('tends to the normal quantile', () => {
    expect(t95(1e9)).toBeCloseTo(z95, 8);
  });
});

describe('Welch interval for a difference of mean revenue, worked by hand', () => {
  // Mailed: 8 of 40 spent 100, the rest 0: mean 20, variance 64000/39.
  // Held out: 3 of 30 spent 100: mean 10, variance 27000/29.
  // se = sqrt(1641.026/40 + 931.034/30) = 8.48882; Welch-Satterthwaite df = 67.995;
  // t(0.975, 67.995) = 1.99547, so 10 -/+ 16.93921.
  const mailed = { size: 40, values: Array(8).fill(100) };
  const heldOut = { size: 30, values: Array(3).fill(100) };

  it('takes members without a value as 0', () => {
    expect(meanAndVariance(mailed)).toEqual({ mean: 20, variance: 64000 / 39 });
    expect(meanAndVariance({ size: 0, values: [] })).toBeNull();
  });

  it('gives the interval', () => {
    const interval = welchInterval(mailed, heldOut);
    expect(interval.difference).toBe(10);
    expect(interval.low).toBeCloseTo(-6.93921, 3);
    expect(interval.high).toBeCloseTo(26.93921, 3);
  });

  it('reports the difference once both groups are big enough, with whether it excludes zero', () => {
    const result = revenueDifference(mailed, heldOut);
    expect(result).toMatchObject({
      enough: true,
      mailedMean: 20,
      holdoutMean: 10,
      difference: 10,
      significant: false,
    });
  });

  it('has no interval when every member spent the same', () => {
    expect(welchInterval({ size: 30, values: [] }, { size: 30, values: [] })).toEqual({
      difference: 0,
      low: 0,
      high: 0,
    });
  });
});

describe('when there is no incremental revenue to give', () => {
  it('says there is no control group when no one was held out', () => {
    expect(revenueDifference({ size: 500, values: [100, 200] }, { size: 0, values: [] })).toMatchObject({
      enough: false,
      noControlGroup: true,
      mailedMean: 300 / 500,
      holdoutMean: null,
    });
  });

  it('needs 30 per group and 5 buyers across both', () => {
    const small = revenueDifference({ size: 29, values: [1, 2, 3] }, { size: 30, values: [1, 2] });
    expect(small).toMatchObject({ enough: false, noControlGroup: false });
    expect(!small.enough && small.reason).toMatch(
      /needs at least 30 mailed and 30 held out \(has 29 and 30\)/,
    );
    const few = revenueDifference({ size: 30, values: [1, 2] }, { size: 30, values: [1, 2] });
    expect(!few.enough && few.reason).toMatch(/needs at least 5 buyers across both groups \(has 4\)/);
  });
});

describe('roundedMoney', () => {
  it('rounds a mean half away from zero to a whole minor unit', () => {
    expect(roundedMoney('GBP', 66.5)).toEqual({ currency: 'GBP', minor: 67, amount: '0.67' });
    expect(roundedMoney('GBP', -66.5)).toEqual({ currency: 'GBP', minor: -67, amount: '-0.67' });
    expect(roundedMoney('GBP', -0.4)).toEqual({ currency: 'GBP', minor: 0, amount: '0.00' });
    expect(roundedMoney('JPY', 1234.5)).toEqual({ currency: 'JPY', minor: 1235, amount: '1235' });
  });
});
