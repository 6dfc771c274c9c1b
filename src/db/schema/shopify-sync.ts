// Where a `rekindle shopify sync` that stopped (an outage, Ctrl-C, a throttle
// too long to wait out) left off, per resource: the GraphQL connection's
// `endCursor` after the last page whose records were all written. A row means
// "this resource's backfill is not finished": the next sync asks for the page
// after it. Deleted when the resource's last page is written. The version
// claims (platform_versions), not this table, keep a page read twice harmless.
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const shopifySyncCursors = sqliteTable('shopify_sync_cursors', {
  /** customers, orders, products or abandoned_checkouts. */
  resource: text('resource').primaryKey(),
  /** The `after` for the next page. */
  after: text('after').notNull(),
  /** Pages and records written so far in the unfinished backfill. */
  pages: integer('pages').notNull(),
  records: integer('records').notNull(),
  /** When the unfinished backfill started, epoch ms. */
  startedAt: integer('started_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
