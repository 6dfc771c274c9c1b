import { describe, expect, it } from 'vitest';
import { liftText } from '../../src/core/reports/format.ts';
import {
  computeLift,
  minimumSample,
  newcombeInterval,
  wilsonInterval,
} from '../../src/core/reports/stats.ts';

describe('lift on a small example worked by hand', () => {
  // Mailed: 40 of 200 bought (20%). Held out: 5 of 100 bought (5%).
  // Wilson 95%: 40/200 -> [0.15046, 0.26086]; 5/100 -> [0.02154, 0.11175].
  // Newcombe: 0.15 -/+ sqrt((0.2-0.15046)^2 + (0.11175-0.05)^2) and
  //           sqrt((0.26086-0.2)^2 + (0.05-0.02154)^2) -> [0.0708, 0.2172].
  const lift = computeLift({ size: 200, converted: 40 }, { size: 100, converted: 5 });

  it('gives rates, absolute and relative lift', () => {
    expect(lift.enough).toBe(true);
    if (!lift.enough) return;
    expect(lift.mailedRate).toBe(0.2);
    expect(lift.holdoutRate).toBe(0.05);
    expect(lift.absolute).toBeCloseTo(0.15, 12);
    expect(lift.relative).toBeCloseTo(3, 12);
  });

  it('gives the Newcombe 95% interval', () => {
    if (!lift.enough) throw new Error('expected a lift');
    expect(lift.ci95.low).toBeCloseTo(0.0708, 4);
    expect(lift.ci95.high).toBeCloseTo(0.2172, 4);
    expect(lift.significant).toBe(true);
  });

  it('matches the Wilson intervals computed by hand', () => {
    const a = wilsonInterval(40, 200);
    const b = wilsonInterval(5, 100);
    expect(a.low).toBeCloseTo(0.15046, 4);
    expect(a.high).toBeCloseTo(0.26086, 4);
    expect(b.low).toBeCloseTo(0.02154, 4);
    expect(b.high).toBeCloseTo(0.11175, 4);
  });
});

describe('Newcombe (1998) method 10, published examples', () => {
  const cases: [number, number, number, number, number, number][] = [
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
  ];
  it.each(cases)('%i/%i - %i/%i', (x1, n1, x2, n2, low, high) => {
    const ci = newcombeInterval({ converted: x1, size: n1 }, { converted: x2, size: n2 });
    expect(ci.low).toBeCloseTo(low, 4);
    expect(ci.high).toBeCloseTo(high, 4);
  });
});

describe('no control group', () => {
  it('claims no lift when no one was held out, however many were mailed', () => {
    const lift = computeLift({ size: 5000, converted: 400 }, { size: 0, converted: 0 });
    expect(lift).toMatchObject({
      enough: false,
      noControlGroup: true,
      reason: 'no control group: no one was held out, so the campaign cannot show lift',
    });
    expect(liftText(lift)).toBe('no control group');
    const small = computeLift({ size: 500, converted: 50 }, { size: 3, converted: 0 });
    expect(small).toMatchObject({ enough: false, noControlGroup: false });
    expect(liftText(small)).toBe('not enough data');
  });
});

describe('not enough data', () => {
  it(`says so below ${minimumSample.perGroup} per group`, () => {
    const lift = computeLift(
      { size: 500, converted: 50 },
      { size: minimumSample.perGroup - 1, converted: 2 },
    );
    expect(lift.enough).toBe(false);
    if (lift.enough) return;
    expect(lift.reason).toMatch(
      /not enough data: needs at least 30 mailed and 30 held out \(has 500 and 29\)/,
    );
    expect(lift.mailedRate).toBe(0.1);
  });

  it(`says so below ${minimumSample.conversions} conversions in both groups`, () => {
    const lift = computeLift({ size: 100, converted: 3 }, { size: 30, converted: 1 });
    expect(lift).toMatchObject({ enough: false, reason: expect.stringMatching(/at least 5 conversions/) });
    expect(computeLift({ size: 100, converted: 4 }, { size: 30, converted: 1 }).enough).toBe(true);
  });

  it('gives no relative lift when the holdout converted nobody, and a non-significant interval around 0', () => {
    const none = computeLift({ size: 100, converted: 5 }, { size: 30, converted: 0 });
    expect(none).toMatchObject({ enough: true, relative: null });
    const flat = computeLift({ size: 100, converted: 10 }, { size: 100, converted: 10 });
    expect(flat).toMatchObject({ enough: true, absolute: 0, significant: false });
  });

  it('handles empty groups without dividing by zero', () => {
    expect(computeLift({ size: 0, converted: 0 }, { size: 0, converted: 0 })).toMatchObject({
      enough: false,
      mailedRate: null,
      holdoutRate: null,
    });
  });
});
