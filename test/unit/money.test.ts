import { describe, expect, it } from 'vitest';
import { currencyExponent, fromMinorUnits, toMinorUnits } from '../../src/core/money.ts';

describe('toMinorUnits', () => {
  it.each([
    ['19.99', 'GBP', 1999],
    [19.99, 'GBP', 1999],
    [0.1 + 0.2, 'EUR', undefined],
    ['12.3', 'usd', 1230],
    ['12', 'EUR', 1200],
    ['-5.50', 'EUR', -550],
    ['1500', 'JPY', 1500],
    ['1.234', 'KWD', 1234],
    ['7.10', 'EUR', 710],
    ['3.000', 'GBP', 300],
  ])('%s %s -> %s', (amount, currency, minor) => {
    if (minor === undefined) {
      // 0.1 + 0.2 is 0.30000000000000004: refused rather than silently rounded.
      expect(toMinorUnits(amount, currency).ok).toBe(false);
    } else {
      expect(toMinorUnits(amount, currency)).toEqual({ ok: true, value: minor });
    }
  });

  it.each([
    ['19.999', 'GBP', 'GBP has 2 decimal places'],
    ['1.5', 'JPY', 'JPY has 0 decimal places'],
    ['abc', 'GBP', 'expected a decimal amount'],
    ['1e3', 'GBP', 'expected a decimal amount'],
    ['', 'GBP', 'expected a decimal amount'],
    [Number.NaN, 'GBP', 'expected a decimal amount'],
    ['99999999999999999999', 'GBP', 'too large'],
  ])('refuses %s %s', (amount, currency, reason) => {
    const result = toMinorUnits(amount, currency);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });
});

describe('fromMinorUnits', () => {
  it.each([
    [1999, 'GBP', '19.99'],
    [5, 'EUR', '0.05'],
    [-550, 'EUR', '-5.50'],
    [1500, 'JPY', '1500'],
    [1234, 'KWD', '1.234'],
  ])('%d %s -> %s', (minor, currency, text) => {
    expect(fromMinorUnits(minor, currency)).toBe(text);
  });

  it('round-trips through toMinorUnits', () => {
    for (const minor of [0, 1, 99, 100, 123456, -42]) {
      expect(toMinorUnits(fromMinorUnits(minor, 'EUR'), 'EUR')).toEqual({ ok: true, value: minor });
    }
  });

  it('knows zero- and three-decimal currencies', () => {
    expect([currencyExponent('jpy'), currencyExponent('BHD'), currencyExponent('CHF')]).toEqual([0, 3, 2]);
  });
});
