// Writes for products and the waitlist. A product going from out of stock to in
// stock records a restock in the same atomic batch as the stock change, so the
// back-in-stock trigger sees every transition exactly once; a price that falls
// (same currency) records a price drop the same way, and first_in_stock_at
// (new arrivals) is the shop's creation time when a record gives it, else
// the first write that finds the product in stock.
import { sql } from 'drizzle-orm';
import type { ProductRecord, WaitlistRecord } from '../../core/ingest/records.ts';
import { priceDrops, products, restocks, waitlistEntries } from '../schema/index.ts';
import type { Statement, Store } from '../store.ts';
import { chunkForParams, columnCount, updateWhenChanged } from './upsert-helpers.ts';

const comparedColumns = [
  products.title,
  products.url,
  products.imageUrl,
  products.category,
  products.currency,
  products.priceMinor,
  products.stockQuantity,
  products.inStock,
];

/** first_in_stock_at once set stays; a product never in stock gets this write's time when it is. */
function withFirstInStock(change: ReturnType<typeof updateWhenChanged>, now: number) {
  return {
    ...change,
    set: {
      ...change.set,
      firstInStockAt: sql`coalesce(${products.firstInStockAt}, CASE WHEN excluded."in_stock" THEN ${now} END)`,
    },
  };
}

// A record without replenish_days keeps the stored one (a platform's update
// knows nothing of it); one that names it, null included, sets it.
const onProductChange = updateWhenChanged(comparedColumns, [products.updatedAt]);
const onProductChangeWithRefill = updateWhenChanged(
  [...comparedColumns, products.replenishDays],
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
  for (const chunk of chunkForParams(records, 3, store.limits)) {
    const incoming = sql.join(
      chunk.map((p) => sql`(${p.id}, ${p.currency}, ${p.priceMinor})`),
      sql`, `,
    );
    statements.push(
      store.db.insert(priceDrops).select(sql`
        SELECT null, products.id, products.currency, products.price_minor, incoming.column3, ${now}
        FROM (VALUES ${incoming}) AS incoming
        JOIN products ON products.id = incoming.column1
        WHERE products.currency = incoming.column2 AND incoming.column3 < products.price_minor`),
    );
  }
  const withRefill = records.filter((p) => p.replenishDays !== undefined);
  const withoutRefill = records.filter((p) => p.replenishDays === undefined);
  for (const [group, change] of [
    [withRefill, onProductChangeWithRefill],
    [withoutRefill, onProductChange],
  ] as const) {
    const rows = group.map(({ createdAt, replenishDays, ...p }) => ({
      ...p,
      replenishDays: replenishDays ?? null,
      // The shop's creation time is the arrival time when given (a product
      // sold out at its first import is no new arrival when it comes back).
      firstInStockAt: createdAt ?? (p.inStock ? now : null),
      updatedAt: now,
    }));
    for (const chunk of chunkForParams(rows, columnCount(products), store.limits)) {
      statements.push(
        store.db
          .insert(products)
          .values(chunk)
          .onConflictDoUpdate({ target: products.id, ...withFirstInStock(change, now) }),
      );
    }
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
