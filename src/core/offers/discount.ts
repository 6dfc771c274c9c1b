// What a coupon takes off a subtotal, in integer minor units. Never touches
// floating point with money: percentages are applied in exact integer math.
import type { Offer } from '../campaigns/types.ts';
import { maxAmountMinor } from '../money-bounds.ts';
import { amountIn, moneyGap } from '../money-by-currency.ts';

/** The part of an offer a stored coupon keeps: percent for percent_off, minor units for amount_off. */
export type CouponTerms =
  | { kind: 'percent_off'; value: number }
  | { kind: 'amount_off'; value: number }
  | { kind: 'free_shipping'; value: 0 };

/** An offer's coupon as written for one customer: its terms and minimum in their currency. */
export interface CouponTermsIn {
  terms: CouponTerms;
  currency: string;
  minSubtotalMinor: number | null;
}

/**
 * The coupon an offer gives a customer who buys in `currency`, or why it
 * cannot give one: an amount the campaign file names no figure for in that
 * currency (src/core/money-by-currency.ts; nothing is converted).
 */
export function termsIn(offer: Offer, currency: string): Readonly<CouponTermsIn | { gap: string }> {
  // A sweep asks once per hit and a send once per coupon, for a handful of
  // offers and currencies: each answer is worked out once per offer object.
  let byCurrency = written.get(offer);
  if (!byCurrency) {
    byCurrency = new Map();
    written.set(offer, byCurrency);
  }
  let answer = byCurrency.get(currency);
  if (!answer) {
    answer = Object.freeze(workOutTerms(offer, currency));
    byCurrency.set(currency, answer);
  }
  return answer;
}

const written = new WeakMap<Offer, Map<string, Readonly<CouponTermsIn | { gap: string }>>>();

function workOutTerms(offer: Offer, currency: string): CouponTermsIn | { gap: string } {
  const gap =
    moneyGap('offer.min_subtotal', offer.minSubtotal, currency) ??
    (offer.kind === 'amount_off' ? moneyGap('offer.value', offer.amount, currency) : undefined);
  if (gap) return { gap };
  const terms: CouponTerms =
    offer.kind === 'percent_off'
      ? { kind: 'percent_off', value: offer.percent }
      : offer.kind === 'amount_off'
        ? { kind: 'amount_off', value: amountIn(offer.amount, currency)! }
        : { kind: 'free_shipping', value: 0 };
  const minSubtotalMinor = offer.minSubtotal === null ? null : amountIn(offer.minSubtotal, currency)!;
  return { terms, currency, minSubtotalMinor };
}

/** A percentage in hundredths of a percent (12.5% -> 1250): the only form money math uses. */
export function percentHundredths(percent: number): number {
  return Math.round(percent * 100);
}

/**
 * percent_off: the percentage of the subtotal, half a minor unit rounding up
 * (15% of 19.99 is 3.00). amount_off: the amount, never more than the subtotal.
 * free_shipping: nothing off the subtotal; the platform waives shipping.
 */
export function discountMinor(terms: CouponTerms, subtotalMinor: number): number {
  if (!Number.isSafeInteger(subtotalMinor) || subtotalMinor < 0) {
    throw new Error(`subtotal must be a non-negative integer of minor units, got ${subtotalMinor}`);
  }
  if (terms.kind === 'amount_off') return Math.min(terms.value, subtotalMinor);
  if (terms.kind === 'free_shipping') return 0;
  // Exact BigInt arithmetic, so no subtotal is large enough to lose a cent.
  const hundredths = BigInt(percentHundredths(terms.value));
  const scaled = BigInt(subtotalMinor) * hundredths;
  const discount = Number((scaled + 5000n) / 10000n);
  return Math.min(discount, subtotalMinor);
}

/** What an order tells about the amount a coupon was taken from. */
export interface RedeemedOrder {
  /** Sum of quantity x unit price over its lines; null when it has none. */
  itemsSubtotalMinor: number | null;
  /** The order total, after the discount. */
  totalMinor: number;
}

/**
 * What a redemption is worth, the one valuation for orders ingested with a
 * code and for POST /v1/redemptions without a discount (the SQL in
 * src/db/repositories/coupon-rule-sql.ts computes the same, held equal by a
 * property test). With line items, the discount of their subtotal (a negative
 * subtotal of returned lines gives nothing). Without them the total is after
 * the discount, so a percentage is worked back from it with one rounding:
 * total x p / (100 - p), half up; 100% off leaves nothing to work back from.
 * An amount is taken as given. Never past maxAmountMinor.
 */
export function redemptionDiscountMinor(terms: CouponTerms, order: RedeemedOrder): number {
  if (order.itemsSubtotalMinor !== null) {
    return Math.min(discountMinor(terms, Math.max(0, order.itemsSubtotalMinor)), maxAmountMinor);
  }
  if (terms.kind === 'amount_off') return Math.min(terms.value, maxAmountMinor);
  if (terms.kind === 'free_shipping') return 0;
  const hundredths = BigInt(percentHundredths(terms.value));
  const rest = 10000n - hundredths;
  if (rest <= 0n || order.totalMinor <= 0) return 0;
  const worked = (2n * BigInt(order.totalMinor) * hundredths + rest) / (2n * rest);
  return Math.min(Number(worked), maxAmountMinor);
}
