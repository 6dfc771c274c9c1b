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

/**
 * The rule itself: one check per reason, each true when the coupon fails it.
 * evaluateCoupon applies them in `invalidReasons` order (the first failing one
 * is the answer); src/db/repositories/coupon-rule-sql.ts writes each as a SQL
 * condition under the same keys, so a conditional INSERT decides exactly as
 * this does (test/node/coupons/coupon-rule-sql.test.ts holds them equal).
 */
export const couponChecks: {
  readonly [R in Exclude<InvalidReason, 'unknown'>]: (
    coupon: StoredCoupon,
    basket: Basket,
    now: number,
  ) => boolean;
} = {
  // Held-out, suppressed, failed, still-scheduled: the shopper was never given this code.
  not_sent: (coupon) => coupon.messageStatus !== 'sent',
  wrong_customer: (coupon, basket) => coupon.customerId !== null && coupon.customerId !== basket.customerId,
  expired: (coupon, _basket, now) => coupon.expiresAt !== null && now >= coupon.expiresAt,
  used: (coupon) => coupon.uses >= coupon.usesAllowed,
  wrong_currency: (coupon, basket) =>
    (coupon.terms.kind === 'amount_off' || coupon.minSubtotalMinor !== null) &&
    coupon.currency !== null &&
    coupon.currency !== basket.currency.toUpperCase(),
  below_minimum: (coupon, basket) =>
    basket.enforceMinimum !== false &&
    coupon.minSubtotalMinor !== null &&
    basket.subtotalMinor < coupon.minSubtotalMinor,
};

/** The checks after `unknown`, in the order that decides which reason is given. */
export const checkedReasons = invalidReasons.filter(
  (reason): reason is Exclude<InvalidReason, 'unknown'> => reason !== 'unknown',
);

/** The first reason the coupon fails for this basket, or null when it applies. */
export function couponProblem(
  coupon: StoredCoupon | undefined,
  basket: Basket,
  now: number,
): InvalidReason | null {
  if (!coupon) return 'unknown';
  return checkedReasons.find((reason) => couponChecks[reason](coupon, basket, now)) ?? null;
}

export function evaluateCoupon(coupon: StoredCoupon | undefined, basket: Basket, now: number): Verdict {
  const reason = couponProblem(coupon, basket, now);
  if (reason !== null || !coupon) return { valid: false, reason: reason ?? 'unknown' };
  return { valid: true, coupon, discountMinor: discountMinor(coupon.terms, basket.subtotalMinor) };
}
