// Where `rekindle woocommerce sync` stands, one row per REST resource
// (customers, products, orders): the page a stopped run goes on from, with
// the run's own modified_after so the pages it resumes are the same query,
// and when the last completed run started, which the next run asks
// modified_after of. WooCommerce's own; Shopify's sync keeps its own state.
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const woocommerceSyncPositions = sqliteTable('woocommerce_sync_positions', {
  /** customers, products or orders. */
  resource: text('resource').primaryKey(),
  /** The next page of the run in progress; null when no run is in progress. */
  nextPage: integer('next_page'),
  /** The run in progress' modified_after, epoch ms; null for a full pass. */
  runSince: integer('run_since'),
  /** When the run in progress started, epoch ms. */
  runStartedAt: integer('run_started_at'),
  /** When the last completed run started, epoch ms: the next run asks for what changed since. */
  completedFrom: integer('completed_from'),
  updatedAt: integer('updated_at').notNull(),
});
