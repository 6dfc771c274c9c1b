// The log-gamma and digamma functions the customer-base models' likelihoods
// and their gradients are made of. Pure arithmetic on positive reals; never
// reads a clock or a database. Accurate to about 1e-15 (relative for digamma,
// absolute for log-gamma near its zeros at 1 and 2), which is far below what
// a maximum-likelihood fit can resolve.

const halfLogTwoPi = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for x > 0: Stirling's series through x⁻¹³ once x ≥ 10 (its next term
 * is below 1e-16 there), reached from smaller x by ln Γ(x) = ln Γ(x + n) −
 * ln(x(x+1)…(x+n−1)), the product taken whole so it costs one logarithm.
 */
export function logGamma(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`logGamma needs a finite x > 0, got ${x}`);
  let product = 1;
  let y = x;
  while (y < 10) {
    product *= y;
    y += 1;
  }
  const f = 1 / (y * y);
  // Bernoulli terms B₂ₖ / (2k(2k−1) y²ᵏ⁻¹), k = 1..7, in Horner form.
  const tail =
    (1 / 12 -
      f * (1 / 360 - f * (1 / 1260 - f * (1 / 1680 - f * (1 / 1188 - f * (691 / 360360 - f / 156)))))) /
    y;
  return (y - 0.5) * Math.log(y) - y + halfLogTwoPi + tail - Math.log(product);
}

/**
 * ψ(x) = d/dx ln Γ(x) for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to
 * x ≥ 10, then the asymptotic series through x⁻¹⁴ (its next term is below
 * 1e-16 there).
 */
export function digamma(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`digamma needs a finite x > 0, got ${x}`);
  let result = 0;
  let y = x;
  while (y < 10) {
    result -= 1 / y;
    y += 1;
  }
  const f = 1 / (y * y);
  // Bernoulli terms B₂ₖ / (2k y²ᵏ), k = 1..7, in Horner form.
  const tail =
    f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132 - f * (691 / 32760 - f / 12))))));
  return result + Math.log(y) - 0.5 / y - tail;
}
