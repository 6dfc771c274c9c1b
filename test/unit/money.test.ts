import { describe, expect, it } from 'vitest';
import {
  currencyExponent,
  type ExactLine,
  exactLinesValue,
  excessDecimals,
  fromMinorUnits,
  isDecimal,
  toMinorUnits,
  toRoundedMinorUnits,
} from '../../src/core/money.ts';

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
    ['19.999', 'GBP', '19.999 has 3 decimals, GBP has 2'],
    ['1.5', 'JPY', '1.5 has 1 decimal, JPY has 0'],
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

describe('toRoundedMinorUnits (line prices)', () => {
  it.each([
    ['19.99', 'GBP', 1999, false],
    ['0.001', 'GBP', 0, true],
    ['0.005', 'GBP', 0, true],
    ['0.015', 'GBP', 2, true],
    ['2.555', 'GBP', 256, true],
    ['2.545', 'GBP', 254, true],
    ['2.5451', 'GBP', 255, true],
    ['1.5', 'JPY', 2, true],
    ['2.5', 'JPY', 2, true],
    ['1.2345', 'KWD', 1234, true],
    ['3.000', 'GBP', 300, false],
    [0.1 + 0.2, 'EUR', 30, true],
    [1e-7, 'GBP', 0, true],
  ])('%s %s -> %d (finer: %s), half to even', (amount, currency, minor, finer) => {
    const result = toRoundedMinorUnits(amount, currency);
    expect(result.ok && result.value.minor).toBe(minor);
    expect(result.ok && result.value.fine !== undefined).toBe(finer);
    expect(excessDecimals(amount, currency) > 0).toBe(finer);
  });

  it('refuses only what is not a decimal or too large, and keeps the exact digits', () => {
    expect(toRoundedMinorUnits('abc', 'GBP')).toEqual({
      ok: false,
      reason: "expected a decimal amount like 12.34, got 'abc'",
    });
    expect(toRoundedMinorUnits('99999999999999999999.001', 'GBP').ok).toBe(false);
    expect(toRoundedMinorUnits('0.0010', 'GBP')).toEqual({
      ok: true,
      value: { minor: 0, fine: { units: 1n, scale: 3 } },
    });
    expect([isDecimal('0.001'), isDecimal(1e-7), isDecimal('1e3'), isDecimal(true)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('exactLinesValue', () => {
  const line = (quantity: number, price: string, currency = 'GBP'): ExactLine => {
    const parsed = toRoundedMinorUnits(price, currency);
    if (!parsed.ok) throw new Error(parsed.reason);
    return { quantity, price: parsed.value };
  };

  it('adds exact line values and rounds the sum once, half to even', () => {
    // Rounded first, 12 x 0.00 + 2.10 would be 2.10.
    expect(exactLinesValue([line(12, '0.001'), line(1, '2.10')], 'GBP')).toBe(211);
    expect(exactLinesValue([line(5, '0.001'), line(1, '1.00')], 'GBP')).toBe(100);
    expect(exactLinesValue([line(15, '0.001')], 'GBP')).toBe(2);
    expect(exactLinesValue([line(1, '2.555'), line(10, '0.0025')], 'GBP')).toBe(258);
    expect(exactLinesValue([line(3, '0.5', 'JPY')], 'JPY')).toBe(2);
  });

  it('is the plain sum when every price fits, returns included', () => {
    expect(exactLinesValue([line(2, '19.99'), line(-1, '5.00')], 'GBP')).toBe(3498);
    expect(exactLinesValue([line(-2, '2.55')], 'GBP')).toBe(-510);
    expect(exactLinesValue([line(-3, '0.005'), line(1, '0.01')], 'GBP')).toBe(0);
    expect(exactLinesValue([], 'GBP')).toBe(0);
  });
});
