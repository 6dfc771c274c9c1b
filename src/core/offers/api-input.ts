// Request bodies of POST /v1/coupons/validate and POST /v1/redemptions, with
// amounts turned into minor units of the request's currency. Input checking
// only: whether the code applies is evaluate.ts's business. Amounts are held
// to the bounds of money-bounds.ts (minorUnits does it).
import { z } from 'zod';
import { currency, decimal, externalId, minorUnits, text } from '../ingest/fields.ts';
import { amountProblem } from '../money-bounds.ts';

const code = text({ error: 'expected the coupon code as a string' }).trim().min(1).max(64);

export const validateCouponInput = z
  .strictObject({ code, customer_id: externalId.nullish(), subtotal: decimal, currency })
  .transform((v, ctx) => ({
    code: v.code,
    customerId: v.customer_id ?? null,
    currency: v.currency,
    subtotalMinor: minorUnits(v.subtotal, v.currency, ctx, ['subtotal']),
  }));

export const redeemCouponInput = z
  .strictObject({
    code,
    order_id: externalId,
    customer_id: externalId.nullish(),
    currency,
    order_total: decimal,
    /** What the platform actually took off; computed from the offer when left out. */
    discount: decimal.optional(),
  })
  .transform((v, ctx) => {
    const orderTotalMinor = minorUnits(v.order_total, v.currency, ctx, ['order_total']);
    const discountMinor =
      v.discount === undefined ? null : minorUnits(v.discount, v.currency, ctx, ['discount']);
    // The order total is after the discount, so total + discount is the subtotal
    // the discount came from: held to the same bound as any amount.
    const subtotalProblem =
      discountMinor === null ? null : amountProblem(orderTotalMinor + discountMinor, v.currency);
    if (subtotalProblem) {
      ctx.addIssue({
        code: 'custom',
        message: `order_total + discount ${subtotalProblem}`,
        path: ['discount'],
      });
    }
    return {
      code: v.code,
      orderId: v.order_id,
      customerId: v.customer_id ?? null,
      currency: v.currency,
      orderTotalMinor,
      discountMinor,
    };
  });
