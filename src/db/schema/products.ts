// Products with stock, the restock events derived from stock changes, and the
// waitlist of shoppers asking to hear when a product is back.
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const products = sqliteTable(
  'products',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    url: text('url'),
    imageUrl: text('image_url'),
    category: text('category'),
    currency: text('currency').notNull(),
    priceMinor: integer('price_minor').notNull(),
    /** Null when the platform only says in or out of stock. */
    stockQuantity: integer('stock_quantity'),
    inStock: integer('in_stock', { mode: 'boolean' }).notNull(),
    updatedAt: integer('updated_at').notNull(),
    /** Days after a purchase a customer typically buys it again (a consumable); null when not given. */
    replenishDays: integer('replenish_days'),
    /**
     * When the product arrived: the record's created_at when the first write
     * gives it (a catalogue imported whole keeps its age, and a product sold
     * out then is no new arrival when it comes back), else the first write
     * that found it in stock; null until then. The new-arrivals trigger reads it.
     */
    firstInStockAt: integer('first_in_stock_at'),
  },
  (t) => [
    index('products_category_idx').on(t.category),
    index('products_first_in_stock_idx').on(t.firstInStockAt),
  ],
);

/**
 * One row each time a product's price falls (same currency, lower price), in
 * the same batch as the price change: the price-drop trigger's events.
 */
export const priceDrops = sqliteTable(
  'price_drops',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    productId: text('product_id').notNull(),
    currency: text('currency').notNull(),
    fromMinor: integer('from_minor').notNull(),
    toMinor: integer('to_minor').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('price_drops_at_idx').on(t.at), index('price_drops_product_idx').on(t.productId, t.at)],
);

/** One row each time a product goes from out of stock to in stock. */
export const restocks = sqliteTable(
  'restocks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    productId: text('product_id').notNull(),
    quantity: integer('quantity'),
    at: integer('at').notNull(),
  },
  (t) => [index('restocks_product_idx').on(t.productId, t.at)],
);

export const waitlistEntries = sqliteTable(
  'waitlist_entries',
  {
    id: text('id').primaryKey(),
    productId: text('product_id').notNull(),
    customerId: text('customer_id'),
    email: text('email').notNull(),
    createdAt: integer('created_at').notNull(),
    /** Set when a back-in-stock message was scheduled for this entry. */
    notifiedAt: integer('notified_at'),
  },
  (t) => [
    index('waitlist_pending_by_product_idx').on(t.productId, t.createdAt).where(sql`${t.notifiedAt} is null`),
  ],
);
