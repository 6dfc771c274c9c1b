// The reads behind an email's view: the customer, the coupon, the cart with
// its items, a product, recommendations. One small query each, written once
// for libSQL and D1. Reads only; returns rows, never view objects.
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { browseKinds } from '../../core/tracking/browse-events.ts';
import { cartItems, carts, coupons, customers, orders, products, restocks } from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Store } from '../store.ts';

export type CustomerRow = typeof customers.$inferSelect;
export type CouponRow = typeof coupons.$inferSelect;
export type ProductRow = typeof products.$inferSelect;

export async function findCustomer(store: Store, id: string): Promise<CustomerRow | null> {
  const rows = await store.db.select().from(customers).where(eq(customers.id, id)).limit(1);
  return rows[0] ?? null;
}

export async function findCouponRow(store: Store, code: string): Promise<CouponRow | null> {
  const rows = await store.db.select().from(coupons).where(eq(coupons.code, code)).limit(1);
  return rows[0] ?? null;
}

export async function findProduct(store: Store, id: string): Promise<ProductRow | null> {
  const rows = await store.db.select().from(products).where(eq(products.id, id)).limit(1);
  return rows[0] ?? null;
}

/** The products with these ids that are in stock, in the order given. */
export async function findInStockProducts(store: Store, ids: readonly string[]): Promise<ProductRow[]> {
  if (ids.length === 0) return [];
  const rows = await store.db
    .select()
    .from(products)
    .where(and(inArray(products.id, [...ids]), eq(products.inStock, true)));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The customer's latest paid purchase of a product (in one of `categories`, when given), for previews. */
export async function findLastBoughtProduct(
  store: Store,
  customerId: string,
  categories: readonly string[] | null,
): Promise<{ productId: string; at: number } | null> {
  const inCategories =
    categories === null
      ? sql``
      : sql`AND i.product_id IN (SELECT id FROM products WHERE category IN (SELECT value FROM json_each(${sqlJson(categories)})))`;
  const rows = await store.db.all<{ product_id: string; at: number }>(sql`
    SELECT i.product_id, o.placed_at AS at FROM orders o JOIN order_items i ON i.order_id = o.id
    WHERE o.customer_id = ${customerId} AND o.status = 'paid' AND i.quantity > 0
      AND i.product_id IS NOT NULL ${inCategories}
    ORDER BY o.placed_at DESC, i.product_id LIMIT 1`);
  const row = rows[0];
  return row ? { productId: row.product_id, at: row.at } : null;
}

/** The product a restock row (trigger_ref `restock<id>`) brought back. */
export async function findRestockedProduct(store: Store, restockId: number): Promise<ProductRow | null> {
  const rows = await store.db
    .select({ product: products })
    .from(restocks)
    .innerJoin(products, eq(products.id, restocks.productId))
    .where(eq(restocks.id, restockId))
    .limit(1);
  return rows[0]?.product ?? null;
}

export interface CartWithItems {
  cart: typeof carts.$inferSelect;
  items: { line: typeof cartItems.$inferSelect; product: ProductRow | null }[];
}

export async function findCart(store: Store, id: string): Promise<CartWithItems | null> {
  const cartRows = await store.db.select().from(carts).where(eq(carts.id, id)).limit(1);
  const cart = cartRows[0];
  if (!cart) return null;
  const items = await store.db
    .select({ line: cartItems, product: products })
    .from(cartItems)
    .leftJoin(products, eq(products.id, cartItems.productId))
    .where(eq(cartItems.cartId, id))
    .orderBy(asc(cartItems.lineNo));
  return { cart, items };
}

/** The customer's most recently touched open cart, for previews. */
/** The currency of the customer's last paid order, or null when they never bought. */
export async function findLastOrderCurrency(store: Store, customerId: string): Promise<string | null> {
  const [row] = await store.db
    .select({ currency: orders.currency })
    .from(orders)
    .where(and(eq(orders.customerId, customerId), eq(orders.status, 'paid')))
    .orderBy(desc(orders.placedAt))
    .limit(1);
  return row?.currency ?? null;
}

export async function findLatestOpenCartId(store: Store, customerId: string): Promise<string | null> {
  const rows = await store.db
    .select({ id: carts.id })
    .from(carts)
    .where(and(eq(carts.customerId, customerId), eq(carts.status, 'open')))
    .orderBy(sql`${carts.lastActivityAt} desc`)
    .limit(1);
  return rows[0]?.id ?? null;
}

/** A product the customer waits for (pending first), for previews. */
/** Whether the recipient joined the product's waitlist (by customer id, or by address for a guest). */
export async function joinedWaitlist(
  store: Store,
  productId: string,
  recipient: { customerId: string | null; email: string | null },
): Promise<boolean> {
  const rows = await store.db.all<{ one: number }>(sql`
    SELECT 1 AS one FROM waitlist_entries
    WHERE product_id = ${productId}
      AND (customer_id = ${recipient.customerId} OR (customer_id IS NULL AND email = ${recipient.email}))
    LIMIT 1`);
  return rows.length > 0;
}

/** The product of the customer's latest product view (the smaller id of two in one millisecond). */
export async function findLastViewedProductId(store: Store, customerId: string): Promise<string | null> {
  const rows = await store.db.all<{ ref: string }>(sql`
    SELECT ref FROM browse_events WHERE customer_id = ${customerId} AND kind = ${browseKinds.product_viewed}
    ORDER BY at DESC, ref LIMIT 1`);
  return rows[0]?.ref ?? null;
}

export async function findWaitedProductId(store: Store, customerId: string): Promise<string | null> {
  const rows = await store.db.all<{ product_id: string }>(sql`
    SELECT product_id FROM waitlist_entries WHERE customer_id = ${customerId}
    ORDER BY notified_at IS NOT NULL, created_at DESC LIMIT 1`);
  return rows[0]?.product_id ?? null;
}

export interface PriceDropRow {
  productId: string;
  currency: string;
  fromMinor: number;
  toMinor: number;
  at: number;
}

/** A recorded price drop (trigger_ref `drop<id>`). */
export async function findPriceDrop(store: Store, id: number): Promise<PriceDropRow | null> {
  const rows = await store.db.all<{
    product_id: string;
    currency: string;
    from_minor: number;
    to_minor: number;
    at: number;
  }>(sql`SELECT product_id, currency, from_minor, to_minor, at FROM price_drops WHERE id = ${id}`);
  const row = rows[0];
  return row
    ? {
        productId: row.product_id,
        currency: row.currency,
        fromMinor: row.from_minor,
        toMinor: row.to_minor,
        at: row.at,
      }
    : null;
}

/** For previews: the latest drop of a product the customer viewed, had in a cart or waited for. */
export async function findInterestingDropId(store: Store, customerId: string): Promise<number | null> {
  const rows = await store.db.all<{ id: number }>(sql`
    SELECT d.id FROM price_drops d WHERE d.product_id IN (
      SELECT ref FROM browse_events WHERE customer_id = ${customerId} AND kind = ${browseKinds.product_viewed}
      UNION SELECT i.product_id FROM cart_items i JOIN carts c ON c.id = i.cart_id WHERE c.customer_id = ${customerId}
      UNION SELECT product_id FROM waitlist_entries WHERE customer_id = ${customerId}
    )
    ORDER BY d.at DESC, d.id DESC LIMIT 1`);
  return rows[0]?.id ?? null;
}

/**
 * Up to `limit` in-stock products for the customer, never one they bought
 * (paid orders) or one in `exclude`: first the products they looked at
 * (browse events), most recently viewed first; then products from the
 * categories they care about most, where each product bought counts 2 and
 * each product or category viewed counts 1 (without browse history: the
 * categories they bought most).
 */
export async function findRecommendations(
  store: Store,
  customerId: string,
  exclude: readonly string[],
  limit = 3,
): Promise<ProductRow[]> {
  // Bound as one JSON parameter, so any number of exclusions stays within D1's parameter limit.
  const excluded = sqlJson(exclude);
  // A viewed product ranks by -(view time), far below any category's -(score): min() keeps its own rank.
  const rows = await store.db.all<{ id: string }>(sql`
    WITH bought AS (
      SELECT DISTINCT i.product_id FROM orders o JOIN order_items i ON i.order_id = o.id
      WHERE o.customer_id = ${customerId} AND o.status = 'paid' AND i.product_id IS NOT NULL
    ), viewed AS (
      SELECT ref AS product_id, max(at) AS at FROM browse_events
      WHERE customer_id = ${customerId} AND kind = 'product' GROUP BY ref
    ), interest AS (
      SELECT p.category, 2 AS w FROM bought b JOIN products p ON p.id = b.product_id
      WHERE p.category IS NOT NULL
      UNION ALL
      SELECT p.category, 1 FROM viewed v JOIN products p ON p.id = v.product_id WHERE p.category IS NOT NULL
      UNION ALL
      SELECT ref, 1 FROM browse_events WHERE customer_id = ${customerId} AND kind = 'category'
    ), liked AS (
      SELECT category, sum(w) AS n FROM interest GROUP BY category
    ), candidates AS (
      SELECT v.product_id AS id, 0 AS tier, -v.at AS rank FROM viewed v
      UNION ALL
      SELECT p.id, 1, -l.n FROM products p JOIN liked l ON l.category = p.category
    )
    SELECT c.id FROM candidates c JOIN products p ON p.id = c.id
    WHERE p.in_stock = 1
      AND c.id NOT IN (SELECT product_id FROM bought)
      AND c.id NOT IN (SELECT value FROM json_each(${excluded}))
    GROUP BY c.id
    ORDER BY min(c.tier), min(c.rank), c.id
    LIMIT ${Math.trunc(limit)}`);
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const found = await store.db.select().from(products).where(inArray(products.id, ids));
  const byId = new Map(found.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id)).filter((row): row is ProductRow => row !== undefined);
}

/** Some product page of the shop, whose origin stands in for the shop's home page. */
export async function findAnyProductUrl(store: Store): Promise<string | null> {
  const rows = await store.db
    .select({ url: products.url })
    .from(products)
    .where(isNotNull(products.url))
    .limit(1);
  return rows[0]?.url ?? null;
}
