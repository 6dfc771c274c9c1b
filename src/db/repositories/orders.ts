// Writes for orders and their line items. An order's items are replaced as a
// whole inside the same atomic batch, so a re-sent order never ends up with
// stale or doubled lines. Rows travel as one JSON value per statement
// (jsonRows): building placeholders per value cost more than the inserts.
import { inArray, sql } from 'drizzle-orm';
import type { OrderRecord } from '../../core/ingest/records.ts';
import { orderItems, orders } from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Statement, Store } from '../store.ts';
import { boundWrites } from './prepared.ts';
import { jsonRowChunks, jsonRowsWrites, updateWhenChanged } from './upsert-helpers.ts';

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
    discountCodes: sqlJson(o.discountCodes),
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
  const statements: Statement[] = insertOrders(store, rows);
  for (const chunk of jsonRowChunks(records)) {
    statements.push(deleteItemsOf(store, { ids: sqlJson(chunk.map((o) => o.id)) }));
  }
  statements.push(...insertItems(store, items));
  return statements;
}

const insertOrders = jsonRowsWrites(orders, (store, select) =>
  store.db
    .insert(orders)
    .select(select)
    .onConflictDoUpdate({ target: orders.id, ...onChange }),
);

const deleteItemsOf = boundWrites((store) =>
  store.db
    .delete(orderItems)
    .where(inArray(orderItems.orderId, sql`(SELECT value FROM json_each(${sql.placeholder('ids')}))`)),
);

const insertItems = jsonRowsWrites(orderItems, (store, select) => store.db.insert(orderItems).select(select));
