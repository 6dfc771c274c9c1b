import { describe, expect, it } from 'vitest';
import { fromMinorUnits } from '../../src/core/money.ts';
import {
  amountProblem,
  lineValueProblem,
  maxAmountMinor,
  maxLineQuantity,
} from '../../src/core/money-bounds.ts';
import { sumMoney } from '../../src/core/reports/revenue.ts';

describe('money bounds', () => {
  it.each([
    [0, 'GBP', null],
    [maxAmountMinor, 'GBP', null],
    [maxAmountMinor + 1, 'GBP', 'must be at most 10000000000.00 GBP'],
    [maxAmountMinor + 1, 'JPY', 'must be at most 1000000000000 JPY'],
    [maxAmountMinor + 1, 'KWD', 'must be at most 1000000000.000 KWD'],
    [-1, 'GBP', 'must not be negative'],
    [0.5, 'GBP', 'must be a whole number of minor units'],
  ])('amount %s %s -> %s', (minor, currency, problem) => {
    expect(amountProblem(minor, currency)).toBe(problem);
  });

  it('bounds a line by its value, returned lines included', () => {
    expect(lineValueProblem(maxLineQuantity, maxAmountMinor / maxLineQuantity, 'GBP')).toBeNull();
    expect(lineValueProblem(-maxLineQuantity, maxAmountMinor / maxLineQuantity, 'GBP')).toBeNull();
    expect(lineValueProblem(maxLineQuantity, maxAmountMinor / maxLineQuantity + 1, 'GBP')).toMatch(/at most/);
    expect(lineValueProblem(-2, maxAmountMinor, 'GBP')).toMatch(/at most/);
  });

  it('the per-row bound keeps 9,007 amounts at the bound inside 2^53', () => {
    expect(9007 * maxAmountMinor).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    expect(9008 * maxAmountMinor).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
  });
});

describe('sumMoney', () => {
  it('adds more amounts at the bound than a number holds exactly, and shows the sum exactly', () => {
    const near = maxAmountMinor - 1;
    const rows = Array.from({ length: 9_100 }, () => ({ currency: 'GBP', totalMinor: near }));
    const exact = BigInt(near) * 9_100n;
    expect(exact > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const [sum] = sumMoney(rows);
    expect(sum?.amount).toBe(fromMinorUnits(exact, 'GBP'));
    expect(sum?.amount).toBe('90999999999909.00');
  });

  it('keeps currencies apart', () => {
    expect(
      sumMoney([
        { currency: 'JPY', totalMinor: maxAmountMinor },
        { currency: 'GBP', totalMinor: 1 },
        { currency: 'JPY', totalMinor: 1 },
      ]),
    ).toEqual([
      { currency: 'GBP', minor: 1, amount: '0.01' },
      { currency: 'JPY', minor: maxAmountMinor + 1, amount: '1000000000001' },
    ]);
  });
});
