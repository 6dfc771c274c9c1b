// What the fitted customer-base models say about one customer at the
// calibration end: P(alive), the expected purchases over a horizon, when the
// next order is due, and the expected value of a year. Pure; times in the
// unit the models were fitted in, money in the unit of the spend model's
// amounts (one currency's minor units).
//
// The next order: while alive, a customer's purchases are Poisson at their λ,
// and given what they did (x purchases, the last at tx, observed for T) and
// that they are alive, λ ~ Gamma(r + x, α + T); they can only drop out just
// after a purchase, so the chance of at least one more purchase within t is
//   P(alive) · (1 − ((α + T) / (α + T + t))^(r + x)).
// The predicted next order is the median of that time, the t½ at which the
// chance is one half:
//   t½ = (α + T) · ((1 − 1 / (2 P(alive)))^(−1/(r + x)) − 1),
// in closed form. It does not exist when P(alive) ≤ ½ (the customer is more
// likely gone than not, so no date is more likely than not), and a t½ past
// two years is not a prediction anyone should act on: both are null. The
// median rather than "when E[Y(t)] reaches 1" because E[Y(t)] is a count, not
// a time: a frequent buyer who is probably gone reaches 1 within weeks on
// the strength of the few worlds in which they are alive, though most likely
// they never order again.
import { type BgNbdParams, expectedPurchases, probabilityAlive, type RecencyFrequency } from './bg-nbd.ts';
import { expectedAverageSpend, type GammaGammaParams } from './gamma-gamma.ts';

/** The chance of at least one purchase in the next t (see the header). */
export function probabilityPurchaseWithin(
  params: BgNbdParams,
  customer: RecencyFrequency,
  t: number,
): number {
  const { r, alpha } = params;
  const { x, T } = customer;
  const none = Math.exp((r + x) * -Math.log1p(t / (alpha + T)));
  return probabilityAlive(params, customer) * (1 - none);
}

/** t½, the median time to the next purchase, or null when P(alive) ≤ ½ or t½ > `within`. */
export function medianTimeToNextPurchase(
  params: BgNbdParams,
  customer: RecencyFrequency,
  within: number,
): number | null {
  const alive = probabilityAlive(params, customer);
  if (!(alive > 0.5)) return null;
  const { r, alpha } = params;
  const { x, T } = customer;
  // (1 − 1/(2p))^(−1/(r+x)) − 1, through expm1 so a t½ near 0 keeps its digits.
  const t = (alpha + T) * Math.expm1(-Math.log1p(-1 / (2 * alive)) / (r + x));
  return t <= within ? t : null;
}

export interface ForecastHorizons {
  /** The horizon of the expected purchases (e.g. 90 days in the unit). */
  purchases: number;
  /** The horizon of the expected value (a year in the unit). */
  value: number;
  /** How far ahead a next order is still predicted. */
  nextOrderWithin: number;
}

export interface CustomerForecast {
  probabilityAlive: number;
  expectedPurchases: number;
  /** t½ from the calibration end, in the unit; null when none (see the header). */
  nextOrderIn: number | null;
  /** E[Y(value horizon)] × E[M | m̄, x], in the spend model's money unit; null without a usable spend model. */
  expectedValue: number | null;
}

export function forecastCustomer(
  purchases: BgNbdParams,
  spend: GammaGammaParams | null,
  customer: RecencyFrequency & { repeatMeanAmount: number | null },
  horizons: ForecastHorizons,
): CustomerForecast {
  return {
    probabilityAlive: probabilityAlive(purchases, customer),
    expectedPurchases: expectedPurchases(purchases, customer, horizons.purchases),
    nextOrderIn: medianTimeToNextPurchase(purchases, customer, horizons.nextOrderWithin),
    expectedValue:
      spend === null
        ? null
        : expectedPurchases(purchases, customer, horizons.value) *
          expectedAverageSpend(spend, { x: customer.x, meanAmount: customer.repeatMeanAmount }),
  };
}
