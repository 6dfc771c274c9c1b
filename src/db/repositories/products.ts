// Writes for products and the waitlist. A product going from out of stock to in
// stock records a restock in the same atomic batch as the stock change, so the
// back-in-stock trigger sees every transition exactly once.
import { sql } from 'drizzle-orm';
import type { ProductRecord, WaitlistRecord } from '../../core/ingest/records.ts';
import { products, restocks, waitlistEntries } from '../schema/index.ts';
import type { Statement, Store } from '../store.ts';
import { chunkForParams, columnCount, updateWhenChanged } from './upsert-helpers.ts';

const onProductChange = updateWhenChanged(
  [
    products.title,
    products.url,
    products.imageUrl,
    products.category,
    products.currency,
    products.priceMinor,
    products.stockQuantity,
    products.inStock,
  ],
  [products.updatedAt],
);

export function upsertProducts(store: Store, records: readonly ProductRecord[], now: number): Statement[] {
  const statements: Statement[] = [];
  // Must run before the upsert: it compares the incoming stock with the stored one.
  for (const chunk of chunkForParams(records, 3, store.limits)) {
    const incoming = sql.join(
      chunk.map((p) => sql`(${p.id}, ${p.stockQuantity}, ${p.inStock ? 1 : 0})`),
      sql`, `,
    );
    // A query builder, not db.run(sql): drizzle's D1 batch binds parameters
    // only for builder queries. Columns in table order; null lets the id autoincrement.
    statements.push(
      store.db.insert(restocks).select(sql`
        SELECT null, incoming.column1, incoming.column2, ${now}
        FROM (VALUES ${incoming}) AS incoming
        JOIN products ON products.id = incoming.column1
        WHERE products.in_stock = 0 AND incoming.column3 = 1`),
    );
  }
  const rows = records.map((p) => ({ ...p, updatedAt: now }));
  for (const chunk of chunkForParams(rows, columnCount(products), store.limits)) {
    statements.push(
      store.db
        .insert(products)
        .values(chunk)
        .onConflictDoUpdate({ target: products.id, ...onProductChange }),
    );
  }
  return statements;
}

const onWaitlistChange = updateWhenChanged([waitlistEntries.customerId, waitlistEntries.email]);

export function upsertWaitlist(store: Store, records: readonly WaitlistRecord[], now: number): Statement[] {
  // notified_at is never in the update: re-sending a sign-up must not re-arm it.
  const rows = records.map((w) => ({ ...w, createdAt: w.createdAt ?? now }));
  return chunkForParams(rows, columnCount(waitlistEntries), store.limits).map((chunk) =>
    store.db
      .insert(waitlistEntries)
      .values(chunk)
      .onConflictDoUpdate({ target: waitlistEntries.id, ...onWaitlistChange }),
  );
}
