// Whether a fitted customer-base model may be used for predictions, with a
// message that says why not. A verdict, never a throw: too little history is
// an expected state of a young shop. Pure.
//
// The thresholds: a and b, the dropout half of BG/NBD, are learnt only from
// the customers who bought again (their recency against their age). On
// CDNOW's own data cut into slices (every 24th customer; six slices of 98 or
// 99 customers, 33 to 47 of whom bought again), two of six fits ran a and b
// to the edge of the space (both → 0, or both → 10⁸ and more) without
// converging; in slices of every 12th customer (196 or 197, 72 to 86 who
// bought again) all six converged inside it, though a still ranged from 0.11
// to 1.5. So 200 customers is the floor at which a fit means something, not
// a promise of precision, and 50 who bought again keeps a shop whose
// customers rarely return (fewer repeat buyers than those slices had) out.
// A parameter outside 1e-6..1e6 (per the time unit, days or weeks) means the
// maximum lies on the edge of the space (for example no visible dropout at
// all, b → ∞), where the model says nothing the data support.
import type { BgNbdFit } from './bg-nbd.ts';
import type { GammaGammaFit } from './gamma-gamma.ts';

export const minimumHistory = {
  /** Customers with a purchase by the calibration end. */
  customers: 200,
  /** Of them, customers with at least one repeat purchase (a second purchase day). */
  repeatCustomers: 50,
} as const;

const parameterBounds = { low: 1e-6, high: 1e6 } as const;

export type FitVerdict = { usable: true } | { usable: false; reason: string };

export function checkBgNbdFit(fit: BgNbdFit): FitVerdict {
  if (fit.customers < minimumHistory.customers || fit.repeatCustomers < minimumHistory.repeatCustomers) {
    return refuse(
      `too little history for a stable fit: ${fit.customers} customers (need ${minimumHistory.customers}), ` +
        `${fit.repeatCustomers} of them with a repeat purchase (need ${minimumHistory.repeatCustomers})`,
    );
  }
  return checkFit(fit, { ...fit.params });
}

export function checkGammaGammaFit(fit: GammaGammaFit): FitVerdict {
  if (fit.customers < minimumHistory.repeatCustomers) {
    return refuse(
      `too little history for a stable spend fit: ${fit.customers} customers with a repeat purchase of some ` +
        `value (need ${minimumHistory.repeatCustomers})`,
    );
  }
  const checked = checkFit(fit, { ...fit.params });
  if (!checked.usable) return checked;
  if (fit.params.q <= 1) {
    return refuse(
      `the spend fit has q = ${fit.params.q.toPrecision(3)} ≤ 1, so its mean spend per purchase is unbounded`,
    );
  }
  return checked;
}

function checkFit(
  fit: { converged: boolean; iterations: number },
  params: Record<string, number>,
): FitVerdict {
  if (!fit.converged) return refuse(`the fit did not converge in ${fit.iterations} iterations`);
  for (const [name, value] of Object.entries(params)) {
    if (!(value >= parameterBounds.low && value <= parameterBounds.high)) {
      return refuse(
        `${name} = ${value.toPrecision(3)} ran to the edge of the parameter space: the history does not pin the model down`,
      );
    }
  }
  return { usable: true };
}

/** A verdict that the model is not used, for `reason`. */
export function refuse(reason: string): FitVerdict {
  return { usable: false, reason: `${reason}; the model is not used` };
}
