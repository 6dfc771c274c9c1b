// Writes for carts. Items are replaced with the cart, as platforms send a cart
// as it is now.
import { inArray } from 'drizzle-orm';
import type { CartRecord } from '../../core/ingest/records.ts';
import { cartItems, carts } from '../schema/index.ts';
import type { Statement, Store } from '../store.ts';
import { chunkForParams, columnCount, updateWhenChanged } from './upsert-helpers.ts';

const onChange = updateWhenChanged(
  [
    carts.customerId,
    carts.email,
    carts.status,
    carts.currency,
    carts.valueMinor,
    carts.recoveryUrl,
    carts.lastActivityAt,
  ],
  [carts.updatedAt],
);

export function upsertCarts(store: Store, records: readonly CartRecord[], now: number): Statement[] {
  const rows = records.map((c) => ({
    id: c.id,
    customerId: c.customerId,
    email: c.email,
    status: c.status,
    currency: c.currency,
    valueMinor: c.valueMinor,
    recoveryUrl: c.recoveryUrl,
    lastActivityAt: c.lastActivityAt,
    createdAt: c.createdAt,
    updatedAt: now,
  }));
  const items = records.flatMap((c) =>
    c.items.map((item, lineNo) => ({
      cartId: c.id,
      lineNo,
      productId: item.productId,
      title: item.title,
      quantity: item.quantity,
      unitPriceMinor: item.unitPriceMinor,
    })),
  );
  const statements: Statement[] = [];
  for (const chunk of chunkForParams(rows, columnCount(carts), store.limits)) {
    statements.push(
      store.db
        .insert(carts)
        .values(chunk)
        .onConflictDoUpdate({ target: carts.id, ...onChange }),
    );
  }
  for (const ids of chunkForParams(
    records.map((c) => c.id),
    1,
    store.limits,
  )) {
    statements.push(store.db.delete(cartItems).where(inArray(cartItems.cartId, ids)));
  }
  for (const chunk of chunkForParams(items, columnCount(cartItems), store.limits)) {
    statements.push(store.db.insert(cartItems).values(chunk));
  }
  return statements;
}
