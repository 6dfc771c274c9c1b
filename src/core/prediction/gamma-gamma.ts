// The Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005, "RFM
// and CLV: Using Iso-Value Curves for Customer Base Analysis", Journal of
// Marketing Research 42(4); Fader & Hardie, "The Gamma-Gamma Model of
// Monetary Value", 2013): a customer's purchase values are Gamma(p, ν), their
// ν ~ Gamma(q, γ) across customers. Fitted by maximum likelihood on the
// customers with at least one repeat purchase, from the mean m̄ of their x
// repeat purchases' values (the first purchase left out, as the papers do);
// the conditional expected spend per purchase follows. γ carries the money
// unit of the amounts. Pure.
import { type Evaluation, maximizeLikelihood } from './minimize.ts';
import { digamma, logGamma } from './special-functions.ts';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** A customer as the spend model sees them: x repeat purchases whose values average m̄. */
export interface RepeatSpend {
  x: number;
  meanAmount: number;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  /** The customers the fit used: x ≥ 1 and m̄ > 0 (a repeat average of nothing has no Gamma density). */
  customers: number;
}

/**
 * The log-likelihood of the mean spends (the density of m̄ given x), summed:
 *   ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m̄ + px ln x − (px+q) ln(γ + x m̄).
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, customers: readonly RepeatSpend[]): number {
  return evaluate(params, usable(customers)).value;
}

/** The maximum-likelihood (p, q, γ), by BFGS over their logarithms from p = q = 1, γ = the mean m̄. */
export function fitGammaGamma(
  customers: readonly RepeatSpend[],
  options: { maxIterations?: number } = {},
): GammaGammaFit {
  const used = usable(customers);
  const n = used.length;
  if (n === 0) throw new RangeError('fitGammaGamma needs a customer with a repeat purchase of some value');
  const meanSpend = used.reduce((sum, c) => sum + c.meanAmount, 0) / n;
  const found = maximizeLikelihood(
    ([p, q, gamma]) => evaluate({ p: p!, q: q!, gamma: gamma! }, used),
    [1, 1, meanSpend],
    n,
    options.maxIterations,
  );
  const [p, q, gamma] = found.params as [number, number, number];
  return {
    params: { p, q, gamma },
    logLikelihood: found.logLikelihood,
    converged: found.converged,
    iterations: found.iterations,
    customers: n,
  };
}

/**
 * E[M | m̄, x] = p(γ + x m̄) / (px + q − 1): the population mean pγ/(q−1)
 * moved towards the customer's own m̄ the more purchases they made. Without a
 * repeat purchase (x = 0) it is the population mean. Needs q > 1 (otherwise
 * the mean spend is unbounded; fit-check.ts refuses such a fit).
 */
export function expectedAverageSpend(
  params: GammaGammaParams,
  customer: { x: number; meanAmount: number | null },
): number {
  const { p, q, gamma } = params;
  const { x } = customer;
  const m = x > 0 ? (customer.meanAmount ?? 0) : 0;
  return (p * (gamma + x * m)) / (p * x + q - 1);
}

function usable(customers: readonly RepeatSpend[]): RepeatSpend[] {
  return customers.filter((c) => c.x >= 1 && c.meanAmount > 0);
}

function evaluate(params: GammaGammaParams, customers: readonly RepeatSpend[]): Evaluation {
  const { p, q, gamma } = params;
  const logGammaQ = logGamma(q);
  const digammaQ = digamma(q);
  const logScale = Math.log(gamma);
  let total = 0;
  const gradient = [0, 0, 0];
  for (const { x, meanAmount: m } of customers) {
    const px = p * x;
    const spread = gamma + x * m;
    const logSpread = Math.log(spread);
    const logM = Math.log(m);
    const logX = Math.log(x);
    total +=
      logGamma(px + q) -
      logGamma(px) -
      logGammaQ +
      q * logScale +
      (px - 1) * logM +
      px * logX -
      (px + q) * logSpread;
    const both = digamma(px + q);
    gradient[0]! += x * (both - digamma(px) + logM + logX - logSpread);
    gradient[1]! += both - digammaQ + logScale - logSpread;
    gradient[2]! += q / gamma - (px + q) / spread;
  }
  return { value: total, gradient };
}
