// Coupons issued by campaigns and their redemptions. A redemption is unique per
// order, so a platform retrying the same order redeems once.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const offerKinds = ['percent_off', 'amount_off', 'free_shipping'] as const;

export const coupons = sqliteTable(
  'coupons',
  {
    code: text('code').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    messageId: text('message_id'),
    /** Null when the code may be used by anyone. */
    customerId: text('customer_id'),
    kind: text('kind', { enum: offerKinds }).notNull(),
    /** Percent for percent_off, minor units for amount_off. */
    value: integer('value').notNull(),
    currency: text('currency'),
    minSubtotalMinor: integer('min_subtotal_minor'),
    expiresAt: integer('expires_at'),
    usesAllowed: integer('uses_allowed').notNull().default(1),
    uses: integer('uses').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('coupons_campaign_idx').on(t.campaignId),
    // One coupon per message: issuing is keyed by the message, so a retried or
    // ambiguous send carries the code its first attempt was given.
    uniqueIndex('coupons_message_uq').on(t.messageId),
  ],
);

export const redemptions = sqliteTable(
  'redemptions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    couponCode: text('coupon_code').notNull(),
    orderId: text('order_id').notNull(),
    currency: text('currency').notNull(),
    orderTotalMinor: integer('order_total_minor').notNull(),
    discountMinor: integer('discount_minor').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [
    uniqueIndex('redemptions_order_uq').on(t.orderId),
    index('redemptions_coupon_idx').on(t.couponCode),
  ],
);

/**
 * A coupon code an ingested order carried that the redemption rule refused
 * (src/core/offers/evaluate.ts): the order is stored in full, the code is not
 * counted as a use, and the reason is kept so the campaign report can show
 * that the shop's checkout accepted a code Rekindle holds invalid. One row per
 * order and code, so a re-sent order adds nothing. campaign_id is null for a
 * code-shaped code no coupon has.
 */
export const couponRejections = sqliteTable(
  'coupon_rejections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: text('order_id').notNull(),
    code: text('code').notNull(),
    reason: text('reason').notNull(),
    campaignId: text('campaign_id'),
    /** When the order was placed: the moment the code was used. */
    at: integer('at').notNull(),
  },
  (t) => [
    uniqueIndex('coupon_rejections_order_code_uq').on(t.orderId, t.code),
    index('coupon_rejections_campaign_idx').on(t.campaignId),
  ],
);
