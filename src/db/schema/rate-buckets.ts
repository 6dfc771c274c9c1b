// Token buckets shared by every process and isolate on one database, for the
// coupon routes' rate limits (src/http/rate-limit.ts). A row is a bucket as
// src/core/request-limits/token-bucket.ts defines it; a missing row is a full bucket, so a row
// whose bucket has refilled (idle_until has passed) says nothing and is
// deleted to keep the table small.
import { integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const rateBuckets = sqliteTable('rate_buckets', {
  /** What is limited: `client:<api key id>`, `code:<coupon code>` or `shopper:<customer id>` (the browse door). */
  key: text('key').primaryKey(),
  /** Tokens left at updated_at (fractional: refill is continuous). */
  tokens: real('tokens').notNull(),
  updatedAt: integer('updated_at').notNull(),
  /**
   * Whole tokens the last take got: what RETURNING reads back, since one
   * statement (D1 has no interactive transactions) must both decide and tell.
   */
  granted: integer('granted').notNull(),
  /** Epoch ms by which the bucket is full again at the limit it was last taken with. */
  idleUntil: integer('idle_until').notNull(),
});
