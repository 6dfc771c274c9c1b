// The customer-base models without the CDNOW file: summaries per distinct
// purchase day, P(alive) and the expectations at values worked by hand (the
// paper's equations as printed, to 30 digits with mpmath, at the published
// CDNOW parameters) and at their closed-form limits, fits recovering the
// parameters of simulated customers, and the guard rails' verdicts.
import { describe, expect, it } from 'vitest';
import {
  type BgNbdParams,
  bgNbdLogLikelihood,
  expectedPurchases,
  expectedPurchasesNewCustomer,
  fitBgNbd,
  probabilityAlive,
  type RecencyFrequency,
} from '../../src/core/prediction/bg-nbd.ts';
import { checkBgNbdFit, checkGammaGammaFit, minimumHistory } from '../../src/core/prediction/fit-check.ts';
import {
  expectedAverageSpend,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  type RepeatSpend,
} from '../../src/core/prediction/gamma-gamma.ts';
import { summarizePurchases } from '../../src/core/prediction/summaries.ts';
import { Rng } from '../../src/demo/random.ts';

const published: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
/** CDNOW's customer 1: bought 1997-01-01, -01-18 and -08-02; calibration to 1997-09-30. */
const customerOne: RecencyFrequency = { x: 2, tx: 213 / 7, T: 272 / 7 };

function relative(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('summarizePurchases', () => {
  const day = 86_400_000;
  const start = Date.UTC(2026, 0, 1);
  const purchases = [
    { customerId: 'ann', at: start + 9 * 3_600_000, amount: 10 },
    { customerId: 'ann', at: start + 20 * 3_600_000, amount: 5 }, // the same day: one purchase of 15
    { customerId: 'ann', at: start + 14 * day, amount: 30 },
    { customerId: 'ann', at: start + 28 * day + 1, amount: 20 },
    { customerId: 'ann', at: start + 60 * day, amount: 99 }, // after the end
    { customerId: 'bob', at: start + 7 * day, amount: 12 },
    { customerId: 'cat', at: start + 35 * day, amount: 8 }, // first bought on the end's day
  ];
  const end = start + 35 * day + 12 * 3_600_000;

  it('counts distinct purchase days after the first, in weeks', () => {
    expect(summarizePurchases(purchases, { end, unit: 'weeks' })).toEqual([
      { customerId: 'ann', x: 2, tx: 4, T: 5, firstAmount: 15, repeatMeanAmount: 25 },
      { customerId: 'bob', x: 0, tx: 0, T: 4, firstAmount: 12, repeatMeanAmount: null },
      { customerId: 'cat', x: 0, tx: 0, T: 0, firstAmount: 8, repeatMeanAmount: null },
    ]);
  });

  it('measures in days, and in a day the caller defines', () => {
    const [ann] = summarizePurchases(purchases, { end, unit: 'days' });
    expect(ann).toMatchObject({ x: 2, tx: 28, T: 35 });
    // Days that start at 18:00 UTC: 20:00 on the first day is the next day's purchase.
    const shifted = summarizePurchases(purchases, {
      end,
      unit: 'days',
      dayOf: (at) => Math.floor((at + 6 * 3_600_000) / day),
    });
    expect(shifted[0]).toMatchObject({ x: 3, tx: 28, T: 35, firstAmount: 10, repeatMeanAmount: 55 / 3 });
  });
});

describe('probabilityAlive', () => {
  it('is 1 without a repeat purchase, whatever the age', () => {
    expect(probabilityAlive(published, { x: 0, tx: 0, T: 0 })).toBe(1);
    expect(probabilityAlive(published, { x: 0, tx: 0, T: 500 })).toBe(1);
  });

  it('is (b+x−1)/(a+b+x−1) right after a purchase and falls with the time since', () => {
    const justBought = probabilityAlive(published, { x: 3, tx: 20, T: 20 });
    expect(justBought).toBeCloseTo((published.b + 2) / (published.a + published.b + 2), 15);
    const later = [25, 40, 80, 400].map((T) => probabilityAlive(published, { x: 3, tx: 20, T }));
    for (let i = 1; i < later.length; i += 1) expect(later[i]!).toBeLessThan(later[i - 1]!);
    expect(later[3]!).toBeLessThan(1e-3);
  });

  it('matches eq. 11 worked by hand for CDNOW customer 1', () => {
    // a/(b+x−1) · ((α+T)/(α+tx))^(r+x) = 0.376292521003218, so P = 1/1.376292521003218.
    expect(relative(probabilityAlive(published, customerOne), 0.7265897218354948)).toBeLessThan(1e-13);
  });
});

describe('expected purchases', () => {
  it('match eq. 10 and eq. 9 worked by hand (mpmath, 30 digits)', () => {
    expect(relative(expectedPurchases(published, customerOne, 39), 1.2261158061493218)).toBeLessThan(1e-12);
    expect(relative(expectedPurchasesNewCustomer(published, 39), 1.196723193320817)).toBeLessThan(1e-12);
    expect(relative(expectedPurchasesNewCustomer(published, 78), 1.8605190579427684)).toBeLessThan(1e-12);
    // z = 1 − 4.4e-6: the continuation's side of ₂F₁.
    expect(relative(expectedPurchasesNewCustomer(published, 1e6), 53.54047825301458)).toBeLessThan(1e-11);
  });

  it('match the integral form at parameters on both sides of the ₂F₁ branch, and far out', () => {
    // E[Y(t)] = P(alive) · E[(1 − (1 + pτ)^−(r+x)) / p], p ~ Beta(a, b+x), τ = t/(α+T): the model's own
    // story (an alive customer's λ ~ Gamma(r+x, α+T), dying at rate λp), integrated with mpmath in logit space.
    const cases: [BgNbdParams, RecencyFrequency, number, number][] = [
      [published, { x: 0, tx: 0, T: 0 }, 1e7, 92.38398065691518],
      [{ r: 0.5, alpha: 2, a: 2.5, b: 3 }, { x: 0, tx: 0, T: 39 }, 104, 0.7282171949785541],
      [{ r: 0.3, alpha: 6, a: 15, b: 40 }, { x: 26, tx: 30.86, T: 31 }, 104, 4.552459922089924],
      [{ r: 0.3, alpha: 6, a: 15, b: 40 }, { x: 2, tx: 30.43, T: 38.86 }, 1e4, 2.5146278825543487],
      [{ r: 0.3, alpha: 6, a: 1000, b: 3000 }, { x: 300, tx: 299, T: 300 }, 104, 2.3774291992817997],
      [published, { x: 3000, tx: 299, T: 300 }, 104, 148.54841803754067],
      [{ r: 0.05, alpha: 1, a: 0.05, b: 0.3 }, { x: 26, tx: 30.86, T: 31 }, 39, 30.95992892475333],
      [{ r: 0.24, alpha: 4.4, a: 1, b: 2.4 }, { x: 2, tx: 30.43, T: 38.86 }, 1e4, 13.867574317689034],
    ];
    for (const [params, customer, t, expected] of cases) {
      expect(relative(expectedPurchases(params, customer, t), expected)).toBeLessThan(1e-9);
    }
  });

  it('refuse, rather than return a wrong number, where the sums overflow (a in the thousands, t in centuries)', () => {
    expect(() =>
      expectedPurchases({ r: 0.3, alpha: 6, a: 1e4, b: 3e4 }, { x: 1000, tx: 701, T: 705 }, 1e4),
    ).toThrow(RangeError);
  });

  it('are nothing in no time, and start at P(alive) · E[λ | x, T] = P(alive)(r+x)/(α+T) per unit', () => {
    expect(expectedPurchases(published, customerOne, 0)).toBe(0);
    const slope =
      (probabilityAlive(published, customerOne) * (published.r + 2)) / (published.alpha + 272 / 7);
    expect(relative(expectedPurchases(published, customerOne, 1e-6) / 1e-6, slope)).toBeLessThan(1e-5);
    expect(
      relative(expectedPurchasesNewCustomer(published, 1e-6) / 1e-6, published.r / published.alpha),
    ).toBeLessThan(1e-5);
  });

  it('tend to P(alive)(a+b+x−1)/(a−1), the purchases before dropping out, when a > 1', () => {
    const params = { r: 0.5, alpha: 2, a: 2.5, b: 3 };
    expect(relative(expectedPurchasesNewCustomer(params, 1e12), 4.5 / 1.5)).toBeLessThan(1e-4);
    const customer = { x: 4, tx: 10, T: 12 };
    const limit = (probabilityAlive(params, customer) * (2.5 + 3 + 3)) / 1.5;
    expect(relative(expectedPurchases(params, customer, 1e12), limit)).toBeLessThan(1e-4);
  });

  it('are smooth through a = 1, where eq. 10 reads 0/0', () => {
    const at = (a: number) => expectedPurchases({ ...published, a }, customerOne, 39);
    const mean = (at(1 - 1e-5) + at(1 + 1e-5)) / 2;
    // The two sides' mean is off by the curvature, O(1e-10); a lost-digits 0/0 would be far worse.
    expect(relative(at(1), mean)).toBeLessThan(1e-9);
    expect(relative(at(1 + 1e-13), at(1))).toBeLessThan(1e-12);
  });

  it('stay finite for a customer with thousands of purchases', () => {
    const heavy = { x: 3000, tx: 299, T: 300 };
    const next = expectedPurchases(published, heavy, 10);
    // About ten weeks at their rate (r+x)/(α+T) ≈ 9.86 a week if alive; dropping out
    // after one of those ~99 purchases (p ~ Beta(a, b+x), mean 0.00026) takes off ~1%.
    const ifAlive = 10 * ((published.r + 3000) / (published.alpha + 300));
    expect(relative(next, ifAlive * probabilityAlive(published, heavy))).toBeLessThan(0.03);
  });
});

/** A seeded generator (the demo shop's mulberry32), so the simulated shop is the same every run. */
function seeded(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

/** Gamma(shape, rate) by Marsaglia and Tsang, boosted below shape 1. */
function gammaSample(random: () => number, shape: number, rate: number): number {
  if (shape < 1) return gammaSample(random, shape + 1, rate) * random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const v = (1 + c * normal) ** 3;
    if (v > 0 && Math.log(1 - random()) < 0.5 * normal * normal + d - d * v + d * Math.log(v))
      return (d * v) / rate;
  }
}

/** Customers drawn from the BG/NBD story itself, observed for 26 to 52 weeks. */
function simulateShop(params: BgNbdParams, customers: number, seed: number): RecencyFrequency[] {
  const random = seeded(seed);
  return Array.from({ length: customers }, () => {
    const T = 26 + Math.floor(random() * 27);
    const rate = gammaSample(random, params.r, params.alpha);
    const pa = gammaSample(random, params.a, 1);
    const dropout = pa / (pa + gammaSample(random, params.b, 1));
    let x = 0;
    let tx = 0;
    let t = 0;
    for (;;) {
      t += -Math.log(1 - random()) / rate;
      if (t > T) break;
      x += 1;
      tx = t;
      if (random() < dropout) break;
    }
    return { x, tx, T };
  });
}

describe('fitBgNbd', () => {
  const truth: BgNbdParams = { r: 0.8, alpha: 4, a: 0.8, b: 2.5 };
  const shop = simulateShop(truth, 4000, 15);

  it('recovers the parameters of a simulated shop and stops at the likelihood’s maximum', () => {
    const fit = fitBgNbd(shop);
    expect(fit.converged).toBe(true);
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      expect(relative(fit.params[name], truth[name])).toBeLessThan(0.25);
    }
    expect(checkBgNbdFit(fit)).toEqual({ usable: true });
    // Any small move in any parameter lowers the log-likelihood.
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      for (const factor of [0.999, 1.001]) {
        const moved = { ...fit.params, [name]: fit.params[name] * factor };
        expect(bgNbdLogLikelihood(moved, shop)).toBeLessThan(fit.logLikelihood);
      }
    }
  });

  it('refuses a summary that cannot be', () => {
    expect(() => fitBgNbd([{ x: 1, tx: 5, T: 4 }])).toThrow(RangeError);
    expect(() => fitBgNbd([{ x: 0, tx: 2, T: 4 }])).toThrow(RangeError);
    expect(() => fitBgNbd([{ x: 1.5, tx: 2, T: 4 }])).toThrow(RangeError);
  });

  it('is not used on too little history, nor when the optimizer stopped short', () => {
    const young = fitBgNbd(shop.slice(0, 150));
    const verdict = checkBgNbdFit(young);
    expect(verdict.usable).toBe(false);
    expect(verdict).toMatchObject({
      reason: expect.stringMatching(
        new RegExp(
          `^too little history for a stable fit: 150 customers \\(need ${minimumHistory.customers}\\)`,
        ),
      ),
    });
    expect(verdict).toMatchObject({ reason: expect.stringMatching(/; the model is not used$/) });
    const stopped = fitBgNbd(shop, { maxIterations: 2 });
    expect(checkBgNbdFit(stopped)).toEqual({
      usable: false,
      reason: 'the fit did not converge in 2 iterations; the model is not used',
    });
    const unbounded = { ...fitBgNbd(shop), params: { ...truth, b: 3.2e7 } };
    expect(checkBgNbdFit(unbounded)).toEqual({
      usable: false,
      reason:
        'b = 3.20e+7 ran to the edge of the parameter space: the history does not pin the model down; ' +
        'the model is not used',
    });
  });
});

describe('Gamma-Gamma', () => {
  const params = { p: 6, q: 4, gamma: 15 };

  it('moves the population mean pγ/(q−1) towards the customer’s own mean with each purchase', () => {
    expect(expectedAverageSpend(params, { x: 0, meanAmount: null })).toBeCloseTo(30, 12);
    // Weight px/(px+q−1) on m̄: 18/21 for three purchases.
    const three = expectedAverageSpend(params, { x: 3, meanAmount: 60 });
    expect(three).toBeCloseTo((3 / 21) * 30 + (18 / 21) * 60, 12);
  });

  it('recovers the parameters of simulated spend and refuses an unbounded mean', () => {
    const random = seeded(42);
    const customers: RepeatSpend[] = Array.from({ length: 3000 }, () => {
      const x = 1 + Math.floor(random() * 6);
      const nu = gammaSample(random, params.q, params.gamma);
      let total = 0;
      for (let i = 0; i < x; i += 1) total += gammaSample(random, params.p, nu);
      return { x, meanAmount: total / x };
    });
    const fit = fitGammaGamma([...customers, { x: 0, meanAmount: 0 }, { x: 2, meanAmount: 0 }]);
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(3000);
    // p and γ trade off against each other at this size (each drifts ±25% between
    // seeds); the mean spend pγ/(q−1) and q are what the data pin down.
    const { p, q, gamma } = fit.params;
    expect(relative((p * gamma) / (q - 1), 30)).toBeLessThan(0.03);
    expect(relative(q, params.q)).toBeLessThan(0.1);
    expect(checkGammaGammaFit(fit)).toEqual({ usable: true });
    for (const name of ['p', 'q', 'gamma'] as const) {
      const moved = { ...fit.params, [name]: fit.params[name] * 1.001 };
      expect(gammaGammaLogLikelihood(moved, customers)).toBeLessThan(fit.logLikelihood);
    }
    expect(checkGammaGammaFit({ ...fit, params: { ...fit.params, q: 0.9 } })).toEqual({
      usable: false,
      reason:
        'the spend fit has q = 0.900 ≤ 1, so its mean spend per purchase is unbounded; the model is not used',
    });
    expect(checkGammaGammaFit(fitGammaGamma(customers.slice(0, 40)))).toMatchObject({
      usable: false,
      reason: expect.stringMatching(/^too little history for a stable spend fit: 40 customers/),
    });
  });
});
