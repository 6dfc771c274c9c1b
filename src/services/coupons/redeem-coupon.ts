// Redeeming a code for an order (POST /v1/redemptions). The redemption rule
// of src/core/offers/evaluate.ts decides, without the minimum (the checkout
// enforced it; an order total after discounts and with shipping is not the
// subtotal). The rule is applied twice on purpose: first in core, to answer
// with a reason without writing, then inside the conditional INSERT
// (writeRedemption), which is what holds under concurrency; when the INSERT
// writes nothing, a second read tells which way the request lost the race.
import { normalizeCode } from '../../core/offers/code.ts';
import { redemptionDiscountMinor } from '../../core/offers/discount.ts';
import { evaluateCoupon, type InvalidReason } from '../../core/offers/evaluate.ts';
import {
  findCouponWithMessageStatus,
  findRedemptionByOrder,
  type Redemption,
  writeRedemption,
} from '../../db/repositories/coupons.ts';
import type { Store } from '../../db/store.ts';

export interface RedeemPorts {
  store: Store;
}

export interface RedeemInput {
  /** As the platform sent it. */
  code: string;
  orderId: string;
  customerId: string | null;
  currency: string;
  orderTotalMinor: number;
  /** What the platform took off; valued from the offer when null. */
  discountMinor: number | null;
  now: number;
}

export type RedeemResult =
  /** Written now. */
  | { outcome: 'redeemed'; redemption: Redemption }
  /** The order had already redeemed this code: the first redemption, unchanged. */
  | { outcome: 'already_redeemed'; redemption: Redemption }
  /** The order had already redeemed a different code. */
  | { outcome: 'order_redeemed_other_code'; redemption: Redemption }
  | { outcome: 'refused'; reason: InvalidReason };

export async function redeemCoupon(ports: RedeemPorts, input: RedeemInput): Promise<RedeemResult> {
  const { store } = ports;
  const code = normalizeCode(input.code);
  const earlier = await findRedemptionByOrder(store, input.orderId);
  if (earlier) return sameOrder(earlier, code);

  const coupon = code === null ? undefined : await findCouponWithMessageStatus(store, code);
  const basket = {
    customerId: input.customerId,
    currency: input.currency,
    subtotalMinor: input.orderTotalMinor,
    enforceMinimum: false,
  };
  const verdict = evaluateCoupon(coupon, basket, input.now);
  if (!verdict.valid) return { outcome: 'refused', reason: verdict.reason };

  const redemption = await writeRedemption(store, {
    code: verdict.coupon.code,
    orderId: input.orderId,
    customerId: input.customerId,
    currency: input.currency,
    orderTotalMinor: input.orderTotalMinor,
    discountMinor:
      input.discountMinor ??
      redemptionDiscountMinor(verdict.coupon.terms, {
        itemsSubtotalMinor: null,
        totalMinor: input.orderTotalMinor,
      }),
    now: input.now,
  });
  if (redemption) return { outcome: 'redeemed', redemption };

  // Nothing written: another request (or an ingested order) got there first.
  const raced = await findRedemptionByOrder(store, input.orderId);
  if (raced) return sameOrder(raced, code);
  const again = evaluateCoupon(
    await findCouponWithMessageStatus(store, verdict.coupon.code),
    basket,
    input.now,
  );
  return { outcome: 'refused', reason: again.valid ? 'used' : again.reason };
}

function sameOrder(redemption: Redemption, code: string | null): RedeemResult {
  return redemption.couponCode === code
    ? { outcome: 'already_redeemed', redemption }
    : { outcome: 'order_redeemed_other_code', redemption };
}
