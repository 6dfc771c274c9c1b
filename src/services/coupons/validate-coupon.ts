// Validating a code at checkout (POST /v1/coupons/validate): reads the coupon
// and applies the redemption rule of src/core/offers/evaluate.ts, minimum
// included. "unknown" is the same answer for a code that never existed and
// for text that cannot be a code.
import { normalizeCode } from '../../core/offers/code.ts';
import { evaluateCoupon, type Verdict } from '../../core/offers/evaluate.ts';
import { findCouponWithMessageStatus } from '../../db/repositories/coupons.ts';
import type { Store } from '../../db/store.ts';

export interface ValidatePorts {
  store: Store;
}

export interface ValidateInput {
  /** As the shopper typed it. */
  code: string;
  customerId: string | null;
  currency: string;
  subtotalMinor: number;
  now: number;
}

export async function validateCoupon(ports: ValidatePorts, input: ValidateInput): Promise<Verdict> {
  const code = normalizeCode(input.code);
  const coupon = code === null ? undefined : await findCouponWithMessageStatus(ports.store, code);
  return evaluateCoupon(coupon, input, input.now);
}
