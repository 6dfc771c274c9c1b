// The Gaussian hypergeometric function ₂F₁(a, b; c; z) for real parameters and
// real z < 1, which the BG/NBD model's expectations need (bg-nbd.ts). Pure
// arithmetic; throws a RangeError outside its domain or where it cannot keep
// its digits, never returns a number it has not got.
//
// Method, by where z lies:
// - 0 ≤ z ≤ 1/2: the defining series Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ (A&S 15.1.1),
//   whose terms shrink at least like 2⁻ⁿ once n passes the parameters.
// - z < 0: Pfaff's transformation (A&S 15.3.4),
//   ₂F₁(a, b; c; z) = (1 − z)⁻ᵃ ₂F₁(a, c − b; c; z / (z − 1)), which maps z
//   into (0, 1).
// - 1/2 < z < 1: the series is tried for 500 terms (enough when c − a − b is
//   large, as it often is in bg-nbd.ts). Otherwise it converges slowly (like
//   zⁿ n^(a+b−c−1): thousands to millions of terms near z = 1), and the usual
//   cure, the connection formula in 1 − z (A&S 15.3.6), divides by
//   Γ(c − a − b) and needs separate limit formulas whenever c − a − b is an
//   integer, which a fitted model's parameters can land arbitrarily close to.
//   Instead the function is continued analytically along the real axis: from
//   z₀ = 1/2 (value and derivative from the series) the Taylor series about
//   each point zₖ is built from the hypergeometric differential equation
//   z(1 − z)w″ + (c − (a + b + 1)z)w′ − ab·w = 0, whose coefficients obey a
//   three-term recurrence, and summed over a step of at most half the
//   distance to the singular point z = 1 (its radius of convergence), less
//   for large parameters, so each step's terms shrink geometrically; z =
//   1 − 10⁻¹² takes about 100 steps at CDNOW's parameters. No gamma function
//   is involved, so integer c − a − b needs no special case.
// hyp2f1Reduced, (₂F₁ − 1)/b, takes the same paths with its own series and
// the same equation with a constant right-hand side.

const maxTerms = 20_000;
/** Terms the series may take above z = 1/2 before the continuation is used instead. */
const seriesBudget = 500;
/** Steps the continuation may take (many only for parameters in the thousands). */
const maxSteps = 100_000;
const tiny = 1e-17;
/** A sum whose largest term is this much larger than the sum has lost too many digits to cancellation. */
const cancellation = 1e6;

/**
 * ₂F₁(a, b; c; z) for real a, b, c (c not 0, −1, −2, …) and real z < 1.
 * oneMinusZ, when the caller has 1 − z more exactly than z's rounding gives
 * it (a ratio such as (α+T)/(α+T+t)), keeps the digits near z = 1 where the
 * function depends on ln(1 − z).
 */
export function hyp2f1(a: number, b: number, c: number, z: number, oneMinusZ = 1 - z): number {
  if (![a, b, c, z].every(Number.isFinite)) throw new RangeError('hyp2f1 needs finite arguments');
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`hyp2f1 is undefined for c = ${c}`);
  if (!(z < 1)) throw new RangeError(`hyp2f1 is implemented for z < 1, got ${z}`);
  // 1 − z/(z − 1) = 1/(1 − z), handed on whole for the reason above.
  if (z < 0) return (1 - z) ** -a * hyp2f1(a, c - b, c, z / (z - 1), 1 / (1 - z));
  const direct = series(1, a, b, c, z, z <= 0.5 ? maxTerms : seriesBudget);
  if (direct !== null) return direct;
  // d/dz ₂F₁(a, b; c; z) = (ab / c) ₂F₁(a + 1, b + 1; c + 1; z).
  const start = [seriesAt(1, a, b, c, 0.5), ((a * b) / c) * seriesAt(1, a + 1, b + 1, c + 1, 0.5)] as const;
  return continued({ a, b, c, forcing: 0 }, oneMinusZ, start);
}

/**
 * (₂F₁(a, b; c; z) − 1) / b for 0 ≤ z < 1, which stays well defined as b → 0
 * (it is Σₙ≥₁ (a)ₙ(b+1)ₙ₋₁ / ((c)ₙ n!) zⁿ): the BG/NBD expectation divides
 * ₂F₁(…, a−1; …) − 1 by a − 1, and a fitted a can sit at 1. Same paths as
 * hyp2f1: the series, then the continuation of its own equation,
 * z(1 − z)g″ + (c − (a + b + 1)z)g′ − ab·g = a (from f = 1 + b·g).
 */
export function hyp2f1Reduced(a: number, b: number, c: number, z: number, oneMinusZ = 1 - z): number {
  if (![a, b, c, z].every(Number.isFinite)) throw new RangeError('hyp2f1Reduced needs finite arguments');
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`hyp2f1Reduced is undefined for c = ${c}`);
  if (!(z >= 0 && z < 1)) throw new RangeError(`hyp2f1Reduced is implemented for 0 ≤ z < 1, got ${z}`);
  // Its series is ₂F₁'s without the leading 1, over b: it starts at az/c.
  const direct = series((a * z) / c, a, b, c, z, z <= 0.5 ? maxTerms : seriesBudget, 1);
  if (direct !== null) return direct;
  // g′ = f′ / b = (a / c) ₂F₁(a + 1, b + 1; c + 1; z): no division by b.
  const start = [
    seriesAt((a * 0.5) / c, a, b, c, 0.5, 1),
    (a / c) * seriesAt(1, a + 1, b + 1, c + 1, 0.5),
  ] as const;
  return continued({ a, b, c, forcing: a }, oneMinusZ, start);
}

/**
 * Σ tₙ from tₙ₀ = first with tₙ₊₁/tₙ = (a+n)(b+n)z / ((c+n)(n+1)); null when
 * it has not converged within budget terms. A polynomial when a or b is a
 * non-positive integer.
 */
function series(
  first: number,
  a: number,
  b: number,
  c: number,
  z: number,
  budget: number,
  from = 0,
): number | null {
  let term = first;
  let sum = first;
  let largest = Math.abs(first);
  let small = 0;
  for (let n = from; n < from + budget; n += 1) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    largest = Math.max(largest, Math.abs(term));
    // Two small terms in a row: a single one can be a near-zero factor (a + n ≈ 0).
    small = Math.abs(term) <= tiny * Math.abs(sum) ? small + 1 : 0;
    if (small === 2 || term === 0) {
      if (largest > cancellation * Math.abs(sum)) {
        throw new RangeError(`hyp2f1 series lost its digits to cancellation for (${a}, ${b}; ${c}; ${z})`);
      }
      return sum;
    }
  }
  return null;
}

function seriesAt(first: number, a: number, b: number, c: number, z: number, from = 0): number {
  const sum = series(first, a, b, c, z, maxTerms, from);
  if (sum === null) throw new RangeError(`hyp2f1 series did not converge for (${a}, ${b}; ${c}; ${z})`);
  return sum;
}

interface Equation {
  a: number;
  b: number;
  c: number;
  /** The right-hand side: 0 for ₂F₁ itself. */
  forcing: number;
}

/**
 * Analytic continuation from z = 1/2 (value and slope given) to 1 − distance
 * by re-centred Taylor series of z(1 − z)w″ + (c − (a + b + 1)z)w′ − ab·w = forcing.
 * A step is at most half the distance to z = 1, and shorter in proportion
 * when the parameters are large (the solutions then vary on a scale of
 * about (1 − z)/(|a| + |b| + |c|), and a longer step's terms would cancel).
 * The points are held as their distance d = 1 − z: a z held itself would
 * round d to 1e-16 absolute, a relative error of 1e-4 at d = 1e-12.
 */
function continued(equation: Equation, distance: number, start: readonly [number, number]): number {
  const scale = 2 + (Math.abs(equation.a) + Math.abs(equation.b) + Math.abs(equation.c)) / 2;
  let d = 0.5;
  let [value, slope] = start;
  for (let steps = 0; d > distance; steps += 1) {
    if (steps === maxSteps) throw new RangeError('hyp2f1 continuation took too many steps');
    const next = Math.max(distance, d - d / scale);
    [value, slope] = taylorStep(equation, d, value, slope, d - next);
    d = next;
  }
  return value;
}

/**
 * The solution's value and slope at z₀ + h from those at z₀ = 1 − d, h within
 * the radius d. With u = z − z₀ the equation is P(u)w″ + Q(u)w′ + R·w = F,
 * P = p₀ + p₁u − u², Q = q₀ + q₁u, R = −ab, so for w = Σ cₙuⁿ
 * cₙ₊₂ = −[(p₁n(n+1) + q₀(n+1))cₙ₊₁ + (−n(n−1) + q₁n + R)cₙ − F·[n = 0]] / (p₀(n+1)(n+2)).
 */
function taylorStep(
  equation: Equation,
  d: number,
  value: number,
  slope: number,
  h: number,
): [number, number] {
  const { a, b, c, forcing } = equation;
  const p0 = (1 - d) * d;
  const p1 = 2 * d - 1;
  const q0 = c - (a + b + 1) * (1 - d);
  const q1 = -(a + b + 1);
  const r = -a * b;
  // Scaled coefficients dₙ = cₙhⁿ keep the recurrence's numbers near the terms' size.
  let previous = value;
  let current = slope * h;
  let sum = previous + current;
  let derivative = slope;
  let largest = Math.max(Math.abs(previous), Math.abs(current));
  let small = 0;
  for (let n = 0; n < maxTerms; n += 1) {
    const driven = n === 0 ? forcing * h * h : 0;
    const next =
      -(
        (p1 * n * (n + 1) + q0 * (n + 1)) * current * h +
        (-n * (n - 1) + q1 * n + r) * previous * h * h -
        driven
      ) /
      (p0 * (n + 1) * (n + 2));
    sum += next;
    derivative += ((n + 2) * next) / h;
    largest = Math.max(largest, Math.abs(next));
    // One scale for both sums, so a slope near zero does not hold the loop open.
    small = Math.abs(next) * (n + 3) <= tiny * (Math.abs(sum) + h * Math.abs(derivative)) ? small + 1 : 0;
    if (small === 2 || (next === 0 && current === 0)) {
      if (largest > cancellation * (Math.abs(sum) + h * Math.abs(derivative))) {
        throw new RangeError(`hyp2f1 continuation lost its digits to cancellation for (${a}, ${b}; ${c})`);
      }
      return [sum, derivative];
    }
    previous = current;
    current = next;
  }
  throw new RangeError(`hyp2f1 continuation did not converge for (${a}, ${b}; ${c}) at ${1 - d + h}`);
}
