// Reads what the database says now about a batch of claimed messages, for the
// recheck just before sending: suppression (customer row or address hash),
// erasure, consent, a purchase since the trigger started, the cart's state,
// the restocked or viewed product's stock. A few set-based reads per batch, each split
// to the driver's parameter limit; never one query per message.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { RecheckFacts } from '../../core/delivery/recheck.ts';
import { parseTriggerRef } from '../../core/delivery/recheck.ts';
import { hashEmail } from '../../core/email-hash.ts';
import { parseRestockRef } from '../../core/triggers/trigger-ref.ts';
import { carts, customers, orders, products, restocks, suppressions } from '../schema/index.ts';
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
    });
  }
  return facts;
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
