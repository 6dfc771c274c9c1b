// Orders and their line items. Status decides whether an order is a purchase:
// only `paid` counts; cancelled, refunded and test orders are kept but ignored
// by the sweeps.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const orderStatuses = ['paid', 'cancelled', 'refunded', 'test'] as const;

export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    placedAt: integer('placed_at').notNull(),
    status: text('status', { enum: orderStatuses }).notNull(),
    currency: text('currency').notNull(),
    totalMinor: integer('total_minor').notNull(),
    /** JSON array of the discount codes the order used. */
    discountCodes: text('discount_codes').notNull().default('[]'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    // Covers "last purchase per customer": the dormant sweep's aggregate reads
    // only this index, never the table.
    // No other index: each one roughly halves import speed, and nothing reads
    // orders by time alone or items by product without the order first.
    index('orders_purchases_by_customer_idx').on(t.customerId, t.placedAt).where(sql`${t.status} = 'paid'`),
  ],
);

export const orderItems = sqliteTable(
  'order_items',
  {
    orderId: text('order_id').notNull(),
    lineNo: integer('line_no').notNull(),
    productId: text('product_id'),
    title: text('title'),
    /** Negative for a returned line. */
    quantity: integer('quantity').notNull(),
    unitPriceMinor: integer('unit_price_minor').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.lineNo] })],
);
