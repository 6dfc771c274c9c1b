// Reads what the database says now about a batch of claimed messages, for the
// recheck just before sending: suppression (customer row or address hash),
// erasure, consent, a purchase since the trigger started, the cart's state,
// the restocked or viewed product's stock, a dropped price's product (stock,
// price now, bought since the drop), a replenished product bought again.
// A few set-based reads per batch, each split
// to the driver's parameter limit; never one query per message.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { RecheckFacts } from '../../core/delivery/recheck.ts';
import { parseTriggerRef } from '../../core/delivery/recheck.ts';
import { hashEmail } from '../../core/email-hash.ts';
import { priceHolds } from '../../core/triggers/price-drop.ts';
import { parsePriceDropRef, parseRestockRef } from '../../core/triggers/trigger-ref.ts';
import { carts, customers, orders, priceDrops, products, restocks, suppressions } from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Store } from '../store.ts';
import type { ClaimedMessage } from './outbox.ts';
import { chunkForParams } from './upsert-helpers.ts';

export async function loadRecheckFacts(
  store: Store,
  batch: readonly ClaimedMessage[],
): Promise<Map<string, RecheckFacts>> {
  const customerIds = unique(batch.map((m) => m.customerId));
  const hashByMessage = new Map<string, string>();
  for (const message of batch) {
    if (message.email) hashByMessage.set(message.id, await hashEmail(message.email));
  }
  const refs = new Map(batch.map((m) => [m.id, parseTriggerRef(m.triggerKind, m.triggerRef)]));
  const cartIds = unique(batch.map((m) => refs.get(m.id)?.cartId ?? null));
  const restockIds = unique(
    batch.map((m) => (m.triggerKind === 'back_in_stock' ? restockId(m.triggerRef) : null)),
  );

  const people = await inChunks(store, customerIds, (ids) =>
    store.db
      .select({
        id: customers.id,
        suppressedAt: customers.suppressedAt,
        erasedAt: customers.erasedAt,
        consent: customers.marketingConsent,
      })
      .from(customers)
      .where(inArray(customers.id, ids)),
  );
  const suppressed = await inChunks(store, unique([...hashByMessage.values()]), (hashes) =>
    store.db
      .select({ hash: suppressions.emailHash })
      .from(suppressions)
      .where(inArray(suppressions.emailHash, hashes)),
  );
  const lastPurchases = await inChunks(store, customerIds, (ids) =>
    store.db
      .select({ customerId: orders.customerId, lastAt: sql<number>`max(${orders.placedAt})` })
      .from(orders)
      .where(and(eq(orders.status, 'paid'), inArray(orders.customerId, ids)))
      .groupBy(orders.customerId),
  );
  const cartRows = await inChunks(store, cartIds, (ids) =>
    store.db
      .select({ id: carts.id, status: carts.status, lastActivityAt: carts.lastActivityAt })
      .from(carts)
      .where(inArray(carts.id, ids)),
  );
  const viewedProductIds = unique(batch.map((m) => refs.get(m.id)?.productId ?? null));
  const viewedStock = await inChunks(store, viewedProductIds, (ids) =>
    store.db
      .select({ id: products.id, inStock: products.inStock })
      .from(products)
      .where(inArray(products.id, ids)),
  );
  const stock = await inChunks(store, restockIds, (ids) =>
    store.db
      .select({ restockId: restocks.id, inStock: products.inStock })
      .from(restocks)
      .innerJoin(products, eq(products.id, restocks.productId))
      .where(inArray(restocks.id, ids.map(Number))),
  );

  const drops = await loadDroppedProducts(store, batch);
  const rebought = await loadRebought(store, batch, refs);

  const personById = new Map(people.map((p) => [p.id, p]));
  const suppressedHashes = new Set(suppressed.map((s) => s.hash));
  const lastPurchaseBy = new Map(lastPurchases.map((p) => [p.customerId, Number(p.lastAt)]));
  const cartById = new Map(cartRows.map((c) => [c.id, c]));
  const stockByRestock = new Map(stock.map((s) => [String(s.restockId), Boolean(s.inStock)]));
  const stockByProduct = new Map(viewedStock.map((s) => [s.id, Boolean(s.inStock)]));

  const facts = new Map<string, RecheckFacts>();
  for (const message of batch) {
    const person = message.customerId ? personById.get(message.customerId) : undefined;
    const hash = hashByMessage.get(message.id);
    const ref = refs.get(message.id) ?? null;
    const lastPurchase = message.customerId ? lastPurchaseBy.get(message.customerId) : undefined;
    const cart = ref?.cartId !== undefined ? cartById.get(ref.cartId) : undefined;
    const restock = message.triggerKind === 'back_in_stock' ? restockId(message.triggerRef) : null;
    facts.set(message.id, {
      campaignId: message.campaignId,
      step: message.step,
      triggerKind: message.triggerKind,
      hasAddress: Boolean(message.email?.trim()),
      suppressed: person?.suppressedAt != null || (hash !== undefined && suppressedHashes.has(hash)),
      erased: person?.erasedAt != null,
      consent: Boolean(person?.consent),
      orderedSince: ref !== null && lastPurchase !== undefined && lastPurchase > ref.since,
      cart: cart ? { status: cart.status, lastActivityAt: Number(cart.lastActivityAt) } : null,
      plannedCartActivityAt: ref?.cartId !== undefined ? ref.since : null,
      productInStock:
        restock !== null
          ? (stockByRestock.get(restock) ?? null)
          : ref?.productId !== undefined
            ? (stockByProduct.get(ref.productId) ?? null)
            : null,
      ...(message.triggerKind === 'price_drop' ? dropFacts(message, drops) : {}),
      ...(message.triggerKind === 'replenishment' ? { reboughtSince: rebought.has(message.id) } : {}),
    });
  }
  return facts;
}

interface DroppedProduct {
  productId: string;
  currency: string;
  toMinor: number;
  at: number;
  /** The product now; null when it left the catalog. */
  inStock: boolean | null;
  productCurrency: string | null;
  priceMinor: number | null;
}

interface DroppedProducts {
  byId: Map<number, DroppedProduct>;
  /** The latest paid order holding the product, by customer and product (`customer\0product`). */
  boughtAt: Map<string, number>;
}

/** The price drops the batch's price_drop messages name, their products now, and the recipients' purchases of them. */
async function loadDroppedProducts(store: Store, batch: readonly ClaimedMessage[]): Promise<DroppedProducts> {
  const messages = batch.filter((m) => m.triggerKind === 'price_drop');
  const dropIds = unique(messages.map((m) => parsePriceDropRef(m.triggerRef)?.toString() ?? null));
  const rows = await inChunks(store, dropIds, (ids) =>
    store.db
      .select({
        id: priceDrops.id,
        productId: priceDrops.productId,
        currency: priceDrops.currency,
        toMinor: priceDrops.toMinor,
        at: priceDrops.at,
        inStock: products.inStock,
        productCurrency: products.currency,
        priceMinor: products.priceMinor,
      })
      .from(priceDrops)
      .leftJoin(products, eq(products.id, priceDrops.productId))
      .where(inArray(priceDrops.id, ids.map(Number))),
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const productIds = sqlJson(unique(rows.map((row) => row.productId)));
  const buyers = unique(messages.map((m) => m.customerId));
  const bought = await inChunks(store, buyers, (ids) =>
    store.db.all<{ customer_id: string; product_id: string; at: number }>(sql`
      SELECT o.customer_id, i.product_id, max(o.placed_at) AS at
      FROM orders o JOIN order_items i ON i.order_id = o.id
      WHERE o.status = 'paid' AND o.customer_id IN (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})
        AND i.quantity > 0 AND i.product_id IN (SELECT value FROM json_each(${productIds}))
      GROUP BY o.customer_id, i.product_id`),
  );
  return { byId, boughtAt: new Map(bought.map((b) => [`${b.customer_id}\u0000${b.product_id}`, b.at])) };
}

/** What must still hold for a price-drop message: the product in stock at the dropped price, not bought since. */
function dropFacts(message: ClaimedMessage, drops: DroppedProducts): Partial<RecheckFacts> {
  const drop = drops.byId.get(parsePriceDropRef(message.triggerRef) ?? -1);
  if (!drop) return { productInStock: null };
  const bought = drops.boughtAt.get(`${message.customerId}\u0000${drop.productId}`);
  const product =
    drop.priceMinor === null ? null : { currency: drop.productCurrency ?? '', priceMinor: drop.priceMinor };
  return {
    productInStock: drop.inStock,
    priceRestored: product !== null && !priceHolds(drop, product),
    orderedSince: bought !== undefined && bought >= drop.at,
  };
}

/**
 * The replenishment messages of the batch whose customer has bought the
 * product again since the purchase the reminder is for: one statement, the
 * (message, customer, product, purchase) rows bound as one JSON parameter.
 */
async function loadRebought(
  store: Store,
  batch: readonly ClaimedMessage[],
  refs: ReadonlyMap<string, ReturnType<typeof parseTriggerRef>>,
): Promise<Set<string>> {
  const wanted = batch.flatMap((m) => {
    const ref = refs.get(m.id);
    return m.triggerKind === 'replenishment' && m.customerId && ref?.productId !== undefined
      ? [[m.id, m.customerId, ref.productId, ref.since]]
      : [];
  });
  if (wanted.length === 0) return new Set();
  const rows = await store.db.all<{ id: string }>(sql`
    WITH w AS (
      SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS customer_id,
        json_extract(value, '$[2]') AS product_id, json_extract(value, '$[3]') AS since
      FROM json_each(${sqlJson(wanted)})
    )
    SELECT w.id FROM w WHERE EXISTS (
      SELECT 1 FROM orders o JOIN order_items i ON i.order_id = o.id
      WHERE o.customer_id = w.customer_id AND o.status = 'paid' AND o.placed_at > w.since
        AND i.product_id = w.product_id AND i.quantity > 0
    )`);
  return new Set(rows.map((row) => row.id));
}

function restockId(triggerRef: string): string | null {
  const id = parseRestockRef(triggerRef);
  return id === null ? null : String(id);
}

function unique(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}

async function inChunks<T>(
  store: Store,
  keys: readonly string[],
  query: (chunk: string[]) => PromiseLike<T[]>,
): Promise<T[]> {
  const results: T[] = [];
  // A few parameters of each statement are not keys (statuses).
  const limits = { ...store.limits, maxParams: store.limits.maxParams - 4 };
  for (const chunk of chunkForParams(keys, 1, limits)) results.push(...(await query(chunk)));
  return results;
}
