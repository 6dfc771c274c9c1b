// The BG/NBD model of repeat purchasing and dropout (Fader, Hardie & Lee 2005,
// "Counting Your Customers the Easy Way", Marketing Science 24(2)): while
// alive a customer buys at a Poisson rate λ ~ Gamma(r, α); after each
// purchase they drop out with probability p ~ Beta(a, b). Its log-likelihood
// (the paper's eq. 6), the maximum-likelihood fit, P(alive) (eq. 11 form),
// the expected purchases of a customer in the next t (eq. 10) and of a new
// customer in their first t (eq. 9). Times are in the unit the summaries
// were made in (summaries.ts); α carries that unit. Pure.
import { hyp2f1, hyp2f1Reduced } from './hypergeometric.ts';
import { type Evaluation, maximizeLikelihood } from './minimize.ts';
import { digamma, logGamma } from './special-functions.ts';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** A customer as the model sees them: x repeat purchases, the last at tx, observed for T since the first. */
export interface RecencyFrequency {
  x: number;
  tx: number;
  T: number;
}

export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  customers: number;
  /** Customers with at least one repeat purchase: the only ones that tell a and b apart. */
  repeatCustomers: number;
}

export interface FitOptions {
  maxIterations?: number;
}

interface Group extends RecencyFrequency {
  count: number;
}

/** The log-likelihood of the customers under the parameters (eq. 6, summed). */
export function bgNbdLogLikelihood(params: BgNbdParams, customers: readonly RecencyFrequency[]): number {
  return evaluate(params, group(customers)).value;
}

/**
 * The maximum-likelihood parameters, by BFGS over (ln r, ln α, ln a, ln b)
 * with the exact gradient, from r = a = b = 1 and α set so that r/α is the
 * customers' mean repeat rate. Converged means every component of the
 * per-customer log-likelihood's gradient is within 1e-9.
 */
export function fitBgNbd(customers: readonly RecencyFrequency[], options: FitOptions = {}): BgNbdFit {
  const groups = group(customers);
  const n = customers.length;
  if (n === 0) throw new RangeError('fitBgNbd needs at least one customer');
  let repeats = 0;
  let totalX = 0;
  let totalT = 0;
  for (const { x, T, count } of groups) {
    if (x > 0) repeats += count;
    totalX += x * count;
    totalT += T * count;
  }
  const found = maximizeLikelihood(
    ([r, alpha, a, b]) => evaluate({ r: r!, alpha: alpha!, a: a!, b: b! }, groups),
    [1, totalX > 0 ? Math.max(totalT, 1e-9) / totalX : totalT + 1, 1, 1],
    n,
    options.maxIterations,
  );
  const [r, alpha, a, b] = found.params as [number, number, number, number];
  return {
    params: { r, alpha, a, b },
    logLikelihood: found.logLikelihood,
    converged: found.converged,
    iterations: found.iterations,
    customers: n,
    repeatCustomers: repeats,
  };
}

/**
 * P(alive | x, tx, T) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+tx))^(r+x)).
 * A customer without a repeat purchase is alive: the model only lets a
 * customer drop out right after a purchase.
 */
export function probabilityAlive(params: BgNbdParams, customer: RecencyFrequency): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = customer;
  if (x === 0) return 1;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * Math.log1p((T - tx) / (alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[Y(t) | x, tx, T]: the expected purchases in the next t (eq. 10),
 *   (a+b+x−1)/(a−1) · [1 − (1−z)^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)] · P(alive),
 * z = t/(α+T+t), so 1 − z = (α+T)/(α+T+t). The ₂F₁ as printed grows like
 * (1−z)^(a−1−r−x) towards z = 1 when a − 1 < r + x (overflowing for thousands
 * of purchases); Euler's transformation (A&S 15.3.3) makes the bracket
 * 1 − (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z), whose ₂F₁ grows like
 * (1−z)^(r+x+1−a) instead. Whichever exponent is positive is the one used,
 * so the ₂F₁ summed is bounded on [0, 1) by Gauss's value at 1 and nothing
 * overflows for any x at horizons of years (the two factors still
 * overflow and underflow when a and b are in the thousands and t is decades:
 * a RangeError, never a wrong number). On the Euler side, with ε = a − 1,
 * L = ln(1−z) and ₂F₁ = 1 + ε·g (hyp2f1Reduced), the bracket over ε is
 * −expm1(εL)/ε − e^(εL)·g, which has no 0/0 at a = 1 (it is −L − g there).
 */
export function expectedPurchases(params: BgNbdParams, customer: RecencyFrequency, t: number): number {
  if (!(t >= 0)) throw new RangeError(`expectedPurchases needs t ≥ 0, got ${t}`);
  if (t === 0) return 0;
  const { r, alpha, a, b } = params;
  const { x, T } = customer;
  const epsilon = a - 1;
  const c = a + b + x - 1;
  const z = t / (alpha + T + t);
  // 1 − z from its own ratio: near z = 1 it keeps digits that 1 − z would round away.
  const oneMinusZ = (alpha + T) / (alpha + T + t);
  const logOneMinusZ = z < 0.5 ? Math.log1p(-z) : Math.log(oneMinusZ);
  let bracket: number;
  if (epsilon > r + x) {
    const f = hyp2f1(r + x, b + x, c, z, oneMinusZ);
    bracket = -Math.expm1((r + x) * logOneMinusZ + Math.log(f)) / epsilon;
  } else {
    const g = hyp2f1Reduced(a + b - 1 - r, epsilon, c, z, oneMinusZ);
    const first = epsilon === 0 ? -logOneMinusZ : -Math.expm1(epsilon * logOneMinusZ) / epsilon;
    bracket = first - Math.exp(epsilon * logOneMinusZ) * g;
  }
  const alive = probabilityAlive(params, customer);
  const expected = c * bracket * alive;
  // Never more than an immortal customer's t(r+x)/(α+T): past that (or not finite) the sums have
  // overflowed, which happens only for a and b in the thousands at horizons of decades.
  if (!(expected >= 0 && expected <= alive * ((t * (r + x)) / (alpha + T)) * (1 + 1e-9))) {
    throw new RangeError(`expectedPurchases cannot be evaluated at a = ${a}, b = ${b}, x = ${x}, t = ${t}`);
  }
  return expected;
}

/** E[X(t)]: a new customer's expected repeat purchases in their first t (eq. 9; eq. 10 at x = tx = T = 0). */
export function expectedPurchasesNewCustomer(params: BgNbdParams, t: number): number {
  return expectedPurchases(params, { x: 0, tx: 0, T: 0 }, t);
}

/** Customers with the same (x, tx, T) contribute the same term: each is evaluated once and weighted. */
function group(customers: readonly RecencyFrequency[]): Group[] {
  const groups = new Map<string, Group>();
  for (const { x, tx, T } of customers) {
    if (!Number.isInteger(x) || x < 0 || !(tx >= 0) || !(T >= tx) || (x === 0 && tx !== 0)) {
      throw new RangeError(`not a customer summary: x = ${x}, tx = ${tx}, T = ${T}`);
    }
    const key = `${x} ${tx} ${T}`;
    const found = groups.get(key);
    if (found) found.count += 1;
    else groups.set(key, { x, tx, T, count: 1 });
  }
  return [...groups.values()];
}

/**
 * The log-likelihood and its gradient in (r, α, a, b). Per customer
 * ln L = A₁ + A₂ + ln(e^A₃ + δ(x>0) e^A₄) with
 *   A₁ = ln Γ(r+x) − ln Γ(r) + r ln α,
 *   A₂ = ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x),
 *   A₃ = −(r+x) ln(α+T),
 *   A₄ = ln a − ln(b+x−1) − (r+x) ln(α+tx);
 * A₁ and A₂ depend on x alone, so they are worked out once per distinct x.
 */
function evaluate(params: BgNbdParams, groups: readonly Group[]): Evaluation {
  const { r, alpha, a, b } = params;
  const byX = new Map<number, { value: number; dr: number; da: number; db: number }>();
  const logAlpha = Math.log(alpha);
  const base = { gr: digamma(r), gab: digamma(a + b), gb: digamma(b), lr: logGamma(r), lab: logGamma(a + b) };
  const lb = logGamma(b);
  let total = 0;
  const gradient = [0, 0, 0, 0];
  for (const { x, tx, T, count } of groups) {
    let perX = byX.get(x);
    if (!perX) {
      const gabx = digamma(a + b + x);
      perX = {
        value:
          logGamma(r + x) - base.lr + r * logAlpha + base.lab + logGamma(b + x) - lb - logGamma(a + b + x),
        dr: digamma(r + x) - base.gr + logAlpha,
        da: base.gab - gabx,
        db: base.gab + digamma(b + x) - base.gb - gabx,
      };
      byX.set(x, perX);
    }
    const rx = r + x;
    const a3 = -rx * Math.log(alpha + T);
    // mix = ln(e^A₃ + e^A₄); alive and died are the two terms' shares of it, P(alive) and 1 − P(alive),
    // each from its own exponent so neither is 1 minus a number near 1.
    let mix = a3;
    let died = 0;
    if (x > 0) {
      const a4 = Math.log(a) - Math.log(b + x - 1) - rx * Math.log(alpha + tx);
      const high = Math.max(a3, a4);
      mix = high + Math.log(Math.exp(a3 - high) + Math.exp(a4 - high));
      died = Math.exp(a4 - mix);
    }
    const alive = Math.exp(a3 - mix);
    total += count * (perX.value + mix);
    gradient[0]! += count * (perX.dr - alive * Math.log(alpha + T) - died * Math.log(alpha + tx));
    gradient[1]! += count * (r / alpha - alive * (rx / (alpha + T)) - died * (rx / (alpha + tx)));
    gradient[2]! += count * (perX.da + died / a);
    gradient[3]! += count * (perX.db - (x > 0 ? died / (b + x - 1) : 0));
  }
  return { value: total, gradient };
}
