// Coupons at the shop's checkout (src/core/delivery/checkout-codes.ts): what
// each configured platform has said about each issued code, so a code is
// created there once and a message never goes out with a code the checkout
// would refuse; and the one platform discount each campaign offer's codes
// are added to (Shopify), remembered so it is created once and reused.
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const checkoutCodeStates = ['created', 'existed', 'waiting', 'failed'] as const;

export const checkoutCodes = sqliteTable(
  'checkout_codes',
  {
    /** coupons.code. */
    code: text('code').notNull(),
    /** shopify, woocommerce. */
    platform: text('platform').notNull(),
    /** created and existed: the checkout holds the code; waiting: to be tried again; failed: never. */
    state: text('state', { enum: checkoutCodeStates }).notNull(),
    /** Calls that did not make the code exist, for the backoff; 0 once it exists. */
    tries: integer('tries').notNull().default(0),
    /** When the platform confirmed the code exists. */
    syncedAt: integer('synced_at'),
    /** What the platform last said when it did not (no personal data). */
    error: text('error'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.code, t.platform] })],
);

export const checkoutDiscounts = sqliteTable(
  'checkout_discounts',
  {
    platform: text('platform').notNull(),
    campaignId: text('campaign_id').notNull(),
    step: integer('step').notNull(),
    currency: text('currency').notNull(),
    /** The terms fingerprint (core discountKey): kind, value, minimum, uses, bound or not. */
    terms: text('terms').notNull(),
    /** The platform's id for it (Shopify: gid://shopify/DiscountCodeNode/...). */
    discountId: text('discount_id').notNull(),
    /** The discount's end date at the platform, epoch ms; moved later as later codes join. */
    endsAt: integer('ends_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.platform, t.campaignId, t.step, t.currency, t.terms] }),
    index('checkout_discounts_discount_idx').on(t.platform, t.discountId),
  ],
);
