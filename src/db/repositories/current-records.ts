// Stored customers, carts, orders and products read back as the ingest
// records they were written from (core/ingest/records.ts), for a platform
// adapter that must change one fact (a cart converted, a stock level, a
// consent, an order deleted) and write the record again through the ingest
// verb, or keep the fields its platform does not know. Reads only.
import { and, asc, eq, gt, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { CartRecord, CustomerRecord, OrderRecord, ProductRecord } from '../../core/ingest/records.ts';
import { cartItems, carts, customers, orderItems, orders, products } from '../schema/index.ts';
import type { Store } from '../store.ts';

export async function currentCustomers(
  store: Store,
  ids: readonly string[],
): Promise<Map<string, CustomerRecord>> {
  if (ids.length === 0) return new Map();
  const rows = await store.db
    .select()
    .from(customers)
    .where(inArray(customers.id, [...ids]));
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        email: row.email,
        firstName: row.firstName,
        lastName: row.lastName,
        locale: row.locale,
        timezone: row.timezone,
        country: row.country,
        tags: parseTags(row.tags),
        marketingConsent: row.marketingConsent,
        createdAt: row.createdAt,
      },
    ]),
  );
}

export async function currentCarts(store: Store, ids: readonly string[]): Promise<CartRecord[]> {
  if (ids.length === 0) return [];
  const rows = await store.db
    .select()
    .from(carts)
    .where(inArray(carts.id, [...ids]))
    .orderBy(asc(carts.id));
  const items = await store.db
    .select()
    .from(cartItems)
    .where(inArray(cartItems.cartId, [...ids]))
    .orderBy(asc(cartItems.cartId), asc(cartItems.lineNo));
  return rows.map((row) => ({
    id: row.id,
    customerId: row.customerId,
    email: row.email,
    status: row.status,
    currency: row.currency,
    valueMinor: row.valueMinor,
    recoveryUrl: row.recoveryUrl,
    lastActivityAt: row.lastActivityAt,
    createdAt: row.createdAt,
    items: items
      .filter((item) => item.cartId === row.id)
      .map((item) => ({
        productId: item.productId,
        title: item.title,
        quantity: item.quantity,
        unitPriceMinor: item.unitPriceMinor,
      })),
  }));
}

export async function currentProducts(
  store: Store,
  ids: readonly string[],
): Promise<Map<string, ProductRecord>> {
  if (ids.length === 0) return new Map();
  const rows = await store.db
    .select()
    .from(products)
    .where(inArray(products.id, [...ids]));
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        title: row.title,
        url: row.url,
        imageUrl: row.imageUrl,
        category: row.category,
        currency: row.currency,
        priceMinor: row.priceMinor,
        stockQuantity: row.stockQuantity,
        inStock: row.inStock,
      },
    ]),
  );
}

export async function currentOrders(store: Store, ids: readonly string[]): Promise<OrderRecord[]> {
  if (ids.length === 0) return [];
  const rows = await store.db
    .select()
    .from(orders)
    .where(inArray(orders.id, [...ids]))
    .orderBy(asc(orders.id));
  const items = await store.db
    .select()
    .from(orderItems)
    .where(inArray(orderItems.orderId, [...ids]))
    .orderBy(asc(orderItems.orderId), asc(orderItems.lineNo));
  return rows.map((row) => ({
    id: row.id,
    customerId: row.customerId,
    placedAt: row.placedAt,
    status: row.status,
    currency: row.currency,
    totalMinor: row.totalMinor,
    discountCodes: parseTags(row.discountCodes),
    items: items
      .filter((item) => item.orderId === row.id)
      .map((item) => ({
        productId: item.productId,
        title: item.title,
        quantity: item.quantity,
        unitPriceMinor: item.unitPriceMinor,
      })),
  }));
}

/** Up to `limit` ids of customers not erased yet, after `after` in id order. */
export async function unerasedCustomerIds(store: Store, after: string, limit: number): Promise<string[]> {
  const rows = await store.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(isNull(customers.erasedAt), gt(customers.id, after)))
    .orderBy(asc(customers.id))
    .limit(limit);
  return rows.map((row) => row.id);
}

/** The customers among `ids` that were erased: a platform's webhook never fills them in again. */
export async function erasedCustomerIds(store: Store, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await store.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(inArray(customers.id, [...ids]), isNotNull(customers.erasedAt)));
  return new Set(rows.map((row) => row.id));
}

/** Ids of the customers (not erased) stored with `email` (lower-cased as ingest stores it), at most `limit`. */
export async function customerIdsByEmail(store: Store, email: string, limit: number): Promise<string[]> {
  const rows = await store.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.email, email), isNull(customers.erasedAt)))
    .orderBy(asc(customers.id))
    .limit(limit);
  return rows.map((row) => row.id);
}

/** A JSON array of strings (tags, discount codes); anything else reads as empty. */
function parseTags(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((tag): tag is string => typeof tag === 'string') : [];
  } catch {
    return [];
  }
}
