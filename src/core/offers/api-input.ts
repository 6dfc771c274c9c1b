// Request bodies of POST /v1/coupons/validate and POST /v1/redemptions, with
// amounts turned into minor units of the request's currency. Input checking
// only: whether the code applies is evaluate.ts's business.
import { z } from 'zod';
import { currency, decimal, externalId, minorUnits } from '../ingest/fields.ts';

const code = z.string({ error: 'expected the coupon code as a string' }).trim().min(1).max(64);

function amount(value: string | number, currencyCode: string, ctx: z.RefinementCtx, field: string): number {
  const minor = minorUnits(value, currencyCode, ctx, [field]);
  if (minor < 0) ctx.addIssue({ code: 'custom', message: 'must not be negative', path: [field] });
  return minor;
}

export const validateCouponInput = z
  .strictObject({ code, customer_id: externalId.nullish(), subtotal: decimal, currency })
  .transform((v, ctx) => ({
    code: v.code,
    customerId: v.customer_id ?? null,
    currency: v.currency,
    subtotalMinor: amount(v.subtotal, v.currency, ctx, 'subtotal'),
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
  .transform((v, ctx) => ({
    code: v.code,
    orderId: v.order_id,
    customerId: v.customer_id ?? null,
    currency: v.currency,
    orderTotalMinor: amount(v.order_total, v.currency, ctx, 'order_total'),
    discountMinor: v.discount === undefined ? null : amount(v.discount, v.currency, ctx, 'discount'),
  }));
