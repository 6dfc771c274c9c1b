// Writes for orders and their line items. An order's items are replaced as a
// whole inside the same atomic batch, so a re-sent order never ends up with
// stale or doubled lines.
import { inArray } from 'drizzle-orm';
import type { OrderRecord } from '../../core/ingest/records.ts';
import { orderItems, orders } from '../schema/index.ts';
import type { Statement, Store } from '../store.ts';
import { chunkForParams, columnCount, updateWhenChanged } from './upsert-helpers.ts';

const onChange = updateWhenChanged(
  [
    orders.customerId,
    orders.placedAt,
    orders.status,
    orders.currency,
    orders.totalMinor,
    orders.discountCodes,
  ],
  [orders.updatedAt],
);

export function upsertOrders(store: Store, records: readonly OrderRecord[], now: number): Statement[] {
  const rows = records.map((o) => ({
    id: o.id,
    customerId: o.customerId,
    placedAt: o.placedAt,
    status: o.status,
    currency: o.currency,
    totalMinor: o.totalMinor,
    discountCodes: JSON.stringify(o.discountCodes),
    updatedAt: now,
  }));
  const items = records.flatMap((o) =>
    o.items.map((item, lineNo) => ({
      orderId: o.id,
      lineNo,
      productId: item.productId,
      title: item.title,
      quantity: item.quantity,
      unitPriceMinor: item.unitPriceMinor,
    })),
  );
  const statements: Statement[] = [];
  for (const chunk of chunkForParams(rows, columnCount(orders), store.limits)) {
    statements.push(
      store.db
        .insert(orders)
        .values(chunk)
        .onConflictDoUpdate({ target: orders.id, ...onChange }),
    );
  }
  for (const ids of chunkForParams(
    records.map((o) => o.id),
    1,
    store.limits,
  )) {
    statements.push(store.db.delete(orderItems).where(inArray(orderItems.orderId, ids)));
  }
  for (const chunk of chunkForParams(items, columnCount(orderItems), store.limits)) {
    statements.push(store.db.insert(orderItems).values(chunk));
  }
  return statements;
}
