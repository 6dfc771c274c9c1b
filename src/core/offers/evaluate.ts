// Decides whether a stored coupon applies to a basket: a value, valid with the
// discount or invalid with one reason. The order of the checks is deliberate:
// whether a code exists and was sent comes first, and a stranger holding
// someone else's bound code learns "wrong_customer" before anything about its
// expiry or uses. Never looks at other codes: "unknown" says nothing about
// similar ones.
import { type CouponTerms, discountMinor } from './discount.ts';

export const invalidReasons = [
  'unknown',
  'not_sent',
  'wrong_customer',
  'expired',
  'used',
  'wrong_currency',
  'below_minimum',
] as const;
export type InvalidReason = (typeof invalidReasons)[number];

/** A coupon row as the repository reads it, with the status of the message that carried it. */
export interface StoredCoupon {
  code: string;
  campaignId: string;
  /** Null when anyone holding the code may use it. */
  customerId: string | null;
  terms: CouponTerms;
  /** The shop currency amounts (amount_off, minimum) are in. */
  currency: string | null;
  minSubtotalMinor: number | null;
  expiresAt: number | null;
  usesAllowed: number;
  uses: number;
  /** Null when the coupon has no message (never the case for issued coupons). */
  messageStatus: string | null;
}

export interface Basket {
  customerId: string | null;
  currency: string;
  subtotalMinor: number;
  /** False at redemption: the minimum was the checkout's to enforce, the order is a fact. */
  enforceMinimum?: boolean;
}

export type Verdict =
  | { valid: true; coupon: StoredCoupon; discountMinor: number }
  | { valid: false; reason: InvalidReason };

export function evaluateCoupon(coupon: StoredCoupon | undefined, basket: Basket, now: number): Verdict {
  const invalid = (reason: InvalidReason): Verdict => ({ valid: false, reason });
  if (!coupon) return invalid('unknown');
  // Held-out, suppressed, failed, still-scheduled: the shopper was never given this code.
  if (coupon.messageStatus !== 'sent') return invalid('not_sent');
  if (coupon.customerId !== null && coupon.customerId !== basket.customerId) return invalid('wrong_customer');
  if (coupon.expiresAt !== null && now >= coupon.expiresAt) return invalid('expired');
  if (coupon.uses >= coupon.usesAllowed) return invalid('used');
  const amountsMatter = coupon.terms.kind === 'amount_off' || coupon.minSubtotalMinor !== null;
  if (amountsMatter && coupon.currency !== null && coupon.currency !== basket.currency.toUpperCase()) {
    return invalid('wrong_currency');
  }
  if (
    basket.enforceMinimum !== false &&
    coupon.minSubtotalMinor !== null &&
    basket.subtotalMinor < coupon.minSubtotalMinor
  ) {
    return invalid('below_minimum');
  }
  return { valid: true, coupon, discountMinor: discountMinor(coupon.terms, basket.subtotalMinor) };
}
