// Where a scheduled sweep that ran out of its invocation's budget stopped (the
// Worker: <= 1000 D1 queries per invocation). A row means "this job is not
// finished": the next invocation resumes in that campaign. Deleted when the
// job completes. The dedupe keys, not this table, keep a resumed run safe.
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const sweepCursors = sqliteTable('sweep_cursors', {
  /** The scheduled job: dormant or cart_stock. */
  job: text('job').primaryKey(),
  /** The campaign the stopped run was in; the campaigns before it are done. */
  campaignId: text('campaign_id'),
  /**
   * In that campaign, the last customer finished, when its pages are keyed by
   * customer (a campaign decided in SQL): the next invocation starts after it.
   */
  after: text('after'),
  /** When the unfinished job first started, epoch ms. */
  startedAt: integer('started_at').notNull(),
  /** Invocations spent on it so far. */
  runs: integer('runs').notNull().default(1),
  updatedAt: integer('updated_at').notNull(),
});
