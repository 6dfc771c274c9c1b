// Stored customers, orders and products read back as the records ingest
// writes, for callers that change one field of what is stored and write it
// again through the ingest verb (a platform's delete webhook carries only an
// id) or keep the fields a platform does not know. Reads only.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { CustomerRecord, OrderRecord, ProductRecord } from '../../core/ingest/records.ts';
import { customers, orderItems, orders, products } from '../schema/index.ts';
import type { Store } from '../store.ts';

export interface StoredCustomer extends CustomerRecord {
  erasedAt: number | null;
}

export async function storedCustomer(store: Store, id: string): Promise<StoredCustomer | null> {
  const [row] = await store.db.select().from(customers).where(eq(customers.id, id)).limit(1);
  if (!row) return null;
  return {
    id: row.id,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    locale: row.locale,
    timezone: row.timezone,
    country: row.country,
    tags: JSON.parse(row.tags) as string[],
    marketingConsent: row.marketingConsent,
    createdAt: row.createdAt,
    erasedAt: row.erasedAt,
  };
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

export async function storedOrder(store: Store, id: string): Promise<OrderRecord | null> {
  const [row] = await store.db.select().from(orders).where(eq(orders.id, id)).limit(1);
  if (!row) return null;
  const items = await store.db
    .select()
    .from(orderItems)
    .where(eq(orderItems.orderId, id))
    .orderBy(asc(orderItems.lineNo));
  return {
    id: row.id,
    customerId: row.customerId,
    placedAt: row.placedAt,
    status: row.status,
    currency: row.currency,
    totalMinor: row.totalMinor,
    discountCodes: JSON.parse(row.discountCodes) as string[],
    items: items.map((item) => ({
      productId: item.productId,
      title: item.title,
      quantity: item.quantity,
      unitPriceMinor: item.unitPriceMinor,
    })),
  };
}

export async function storedProduct(store: Store, id: string): Promise<ProductRecord | null> {
  const [row] = await store.db.select().from(products).where(eq(products.id, id)).limit(1);
  if (!row) return null;
  const { updatedAt: _updatedAt, ...record } = row;
  return record;
}
