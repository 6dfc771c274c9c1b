// Writes for orders and their line items. An order's items are replaced as a
// whole inside the same atomic batch, so a re-sent order never ends up with
// stale or doubled lines. Rows travel as one JSON value per statement
// (jsonRows): building placeholders per value cost more than the inserts.
import { inArray, sql } from 'drizzle-orm';
import type { OrderRecord } from '../../core/ingest/records.ts';
import { orderItems, orders } from '../schema/index.ts';
import type { Statement, Store } from '../store.ts';
import { jsonRows, jsonRowsPerStatement, updateWhenChanged } from './upsert-helpers.ts';

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
  for (let i = 0; i < rows.length; i += jsonRowsPerStatement) {
    statements.push(
      store.db
        .insert(orders)
        .select(jsonRows(orders, rows.slice(i, i + jsonRowsPerStatement)))
        .onConflictDoUpdate({ target: orders.id, ...onChange }),
    );
  }
  for (let i = 0; i < records.length; i += jsonRowsPerStatement) {
    const ids = JSON.stringify(records.slice(i, i + jsonRowsPerStatement).map((o) => o.id));
    statements.push(
      store.db
        .delete(orderItems)
        .where(inArray(orderItems.orderId, sql`(SELECT value FROM json_each(${ids}))`)),
    );
  }
  for (let i = 0; i < items.length; i += jsonRowsPerStatement) {
    statements.push(
      store.db.insert(orderItems).select(jsonRows(orderItems, items.slice(i, i + jsonRowsPerStatement))),
    );
  }
  return statements;
}
