// What a coupon takes off a subtotal, in integer minor units. Never touches
// floating point with money: percentages are applied in exact integer math.
import type { Offer } from '../campaigns/types.ts';

/** The part of an offer a stored coupon keeps: percent for percent_off, minor units for amount_off. */
export type CouponTerms =
  | { kind: 'percent_off'; value: number }
  | { kind: 'amount_off'; value: number }
  | { kind: 'free_shipping'; value: 0 };

export function termsOf(offer: Offer): CouponTerms {
  if (offer.kind === 'percent_off') return { kind: 'percent_off', value: offer.percent };
  if (offer.kind === 'amount_off') return { kind: 'amount_off', value: offer.amountMinor };
  return { kind: 'free_shipping', value: 0 };
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
  // Percent in hundredths (12.5% -> 1250), then exact BigInt arithmetic, so no
  // subtotal is large enough to lose a cent.
  const hundredths = BigInt(Math.round(terms.value * 100));
  const scaled = BigInt(subtotalMinor) * hundredths;
  const discount = Number((scaled + 5000n) / 10000n);
  return Math.min(discount, subtotalMinor);
}
