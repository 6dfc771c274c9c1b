// The numerical pieces under the customer-base models: log-gamma and digamma
// against known values, ₂F₁ against its closed forms (on each of its three
// paths: the series, Pfaff's transformation for z < 0, the continuation near
// z = 1) and identities, its reduced form (₂F₁ − 1)/b through b = 0, and the
// BFGS minimizer on Rosenbrock's valley.
import { describe, expect, it } from 'vitest';
import { hyp2f1, hyp2f1Reduced } from '../../src/core/prediction/hypergeometric.ts';
import { minimizeBfgs } from '../../src/core/prediction/minimize.ts';
import { digamma, logGamma } from '../../src/core/prediction/special-functions.ts';

const eulerGamma = 0.5772156649015329;

function relative(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('logGamma', () => {
  it('matches factorials, Γ(1/2) = √π and a large argument', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(2)).toBeCloseTo(0, 14);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(relative(logGamma(10), Math.log(362_880))).toBeLessThan(1e-14);
    expect(relative(logGamma(100), 359.1342053695754)).toBeLessThan(1e-14);
    // Γ(0.1) = 9.513507698668732; the reflection formula's side.
    expect(relative(logGamma(0.1), Math.log(9.513507698668732))).toBeLessThan(1e-14);
  });

  it('keeps the recurrence ln Γ(x + 1) = ln Γ(x) + ln x', () => {
    for (const x of [0.003, 0.243, 0.793, 1.7, 6.25, 42.5, 1234.5]) {
      const scale = Math.max(1, Math.abs(logGamma(x + 1)));
      expect(Math.abs(logGamma(x + 1) - logGamma(x) - Math.log(x)) / scale).toBeLessThan(1e-14);
    }
  });

  it('refuses arguments outside x > 0', () => {
    expect(() => logGamma(0)).toThrow(RangeError);
    expect(() => logGamma(-1.5)).toThrow(RangeError);
  });
});

describe('digamma', () => {
  it('matches ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2 and the recurrence', () => {
    expect(digamma(1)).toBeCloseTo(-eulerGamma, 14);
    expect(digamma(0.5)).toBeCloseTo(-eulerGamma - 2 * Math.LN2, 14);
    for (const x of [0.01, 0.243, 3.3, 9.99, 10, 250]) {
      expect(digamma(x + 1) - digamma(x)).toBeCloseTo(1 / x, 12);
    }
  });

  it('is the derivative of logGamma', () => {
    for (const x of [0.3, 2.426, 15.44, 400]) {
      const h = 1e-5 * x;
      expect(relative(digamma(x), (logGamma(x + h) - logGamma(x - h)) / (2 * h))).toBeLessThan(1e-7);
    }
  });
});

describe('hyp2f1', () => {
  it('is −ln(1 − z)/z at (1, 1; 2) on every path, the log case c − a − b = 0 included', () => {
    for (const z of [0.1, 0.5, 0.5000001, 0.7, 0.9, 0.99, 0.999999, 1 - 1e-12, -0.3, -3, -1e6]) {
      expect(relative(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(1e-13);
    }
    // Handed 1 − z whole (here exactly 1e-9, which 1 − z would give only to 3e-8 of itself).
    expect(relative(hyp2f1(1, 1, 2, 1 - 1e-9, 1e-9), -Math.log(1e-9) / (1 - 1e-9))).toBeLessThan(1e-13);
  });

  it('is (1 − z)^−a when b = c', () => {
    for (const z of [0.25, 0.8, 0.9999, -5]) {
      expect(relative(hyp2f1(0.37, 2.2, 2.2, z), (1 - z) ** -0.37)).toBeLessThan(1e-13);
    }
  });

  it('gives arcsin and arctan', () => {
    // ₂F₁(1/2, 1/2; 3/2; x²) = arcsin(x)/x and ₂F₁(1/2, 1; 3/2; −x²) = arctan(x)/x.
    for (const x of [0.3, 0.9, 0.999]) {
      expect(relative(hyp2f1(0.5, 0.5, 1.5, x * x), Math.asin(x) / x)).toBeLessThan(1e-12);
    }
    for (const x of [0.5, 2, 40]) {
      expect(relative(hyp2f1(0.5, 1, 1.5, -x * x), Math.atan(x) / x)).toBeLessThan(1e-13);
    }
  });

  it('tends to Gauss’s value Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) at z → 1 when c > a + b', () => {
    const [a, b, c] = [0.3, 0.4, 2.5];
    const gauss = Math.exp(logGamma(c) + logGamma(c - a - b) - logGamma(c - a) - logGamma(c - b));
    // Near 1, ₂F₁ = Gauss's value · (1 + ab/(a+b−c+1) · (1 − z) + …) + O((1 − z)^(c−a−b)).
    expect(relative(hyp2f1(a, b, c, 1 - 1e-12), gauss)).toBeLessThan(1e-12);
    // And a value worked to 40 digits (mpmath): 1.0722887396038611428…
    expect(relative(hyp2f1(a, b, c, 0.99), 1.0722887396038612)).toBeLessThan(1e-15);
  });

  it('keeps Euler’s identity ₂F₁(a, b; c; z) = (1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z)', () => {
    const cases: [number, number, number][] = [
      [0.243, 2.426, 2.219],
      [12.24, 14.43, 15.2],
      [-0.45, -0.21, 2.22],
      [1.5, 1.5, 3], // c − a − b = 0
      [1, 2, 5], // c − a − b = 2
    ];
    for (const [a, b, c] of cases) {
      for (const z of [0.2, 0.6, 0.95, 0.9995]) {
        const euler = (1 - z) ** (c - a - b) * hyp2f1(c - a, c - b, c, z);
        expect(relative(hyp2f1(a, b, c, z), euler)).toBeLessThan(1e-11);
      }
    }
  });

  it('is a polynomial when a is a non-positive integer', () => {
    // ₂F₁(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1)).
    const [b, c, z] = [1.5, 2.5, 0.8];
    expect(hyp2f1(-2, b, c, z)).toBeCloseTo(1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1)), 13);
  });

  it('refuses z ≥ 1 and c a non-positive integer', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(RangeError);
  });
});

describe('hyp2f1Reduced', () => {
  it('is (₂F₁ − 1)/b', () => {
    for (const z of [0.3, 0.5, 0.8, 0.9999]) {
      const f = hyp2f1(1.976, -0.207, 2.219, z);
      expect(relative(hyp2f1Reduced(1.976, -0.207, 2.219, z), (f - 1) / -0.207)).toBeLessThan(1e-13);
    }
  });

  it('has its limit at b = 0: Σ zⁿ/(n(n+1)) = 1 + (1 − z) ln(1 − z)/z for (1, 0; 2)', () => {
    for (const z of [0.3, 0.5, 0.9, 1 - 1e-9]) {
      expect(relative(hyp2f1Reduced(1, 0, 2, z), 1 + ((1 - z) * Math.log1p(-z)) / z)).toBeLessThan(1e-13);
    }
  });

  it('refuses z outside [0, 1)', () => {
    expect(() => hyp2f1Reduced(1, 0, 2, -0.1)).toThrow(RangeError);
    expect(() => hyp2f1Reduced(1, 0, 2, 1)).toThrow(RangeError);
  });
});

describe('minimizeBfgs', () => {
  it('finds the bottom of Rosenbrock’s valley', () => {
    const rosenbrock = ([x, y]: readonly number[]) => ({
      value: (1 - x!) ** 2 + 100 * (y! - x! * x!) ** 2,
      gradient: [-2 * (1 - x!) - 400 * x! * (y! - x! * x!), 200 * (y! - x! * x!)],
    });
    const minimum = minimizeBfgs(rosenbrock, [-1.2, 1]);
    expect(minimum.converged).toBe(true);
    expect(minimum.point[0]).toBeCloseTo(1, 8);
    expect(minimum.point[1]).toBeCloseTo(1, 8);
  });

  it('says when it ran out of iterations', () => {
    const bowl = (p: readonly number[]) => ({ value: p[0]! ** 4, gradient: [4 * p[0]! ** 3] });
    const minimum = minimizeBfgs(bowl, [3], { maxIterations: 2 });
    expect(minimum.converged).toBe(false);
    expect(minimum.iterations).toBe(2);
  });
});
