// Carts as the platform reports them; a cart's items are replaced wholesale on
// every upsert, because platforms send the cart as it is now.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const cartStatuses = ['open', 'converted', 'deleted'] as const;

export const carts = sqliteTable(
  'carts',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id'),
    email: text('email'),
    status: text('status', { enum: cartStatuses }).notNull(),
    currency: text('currency').notNull(),
    valueMinor: integer('value_minor').notNull(),
    recoveryUrl: text('recovery_url'),
    lastActivityAt: integer('last_activity_at').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    // The cart sweep asks "open carts idle since before X".
    index('carts_open_by_activity_idx').on(t.lastActivityAt).where(sql`${t.status} = 'open'`),
    index('carts_customer_idx').on(t.customerId),
  ],
);

export const cartItems = sqliteTable(
  'cart_items',
  {
    cartId: text('cart_id').notNull(),
    lineNo: integer('line_no').notNull(),
    productId: text('product_id'),
    title: text('title'),
    quantity: integer('quantity').notNull(),
    unitPriceMinor: integer('unit_price_minor').notNull(),
  },
  (t) => [primaryKey({ columns: [t.cartId, t.lineNo] }), index('cart_items_product_idx').on(t.productId)],
);
