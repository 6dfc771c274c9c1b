// The one database handle every repository takes. It hides which driver is
// underneath (libSQL or D1) and carries that driver's limits, so repositories
// are written once against drizzle's shared SQLite base.
import type { BatchItem } from 'drizzle-orm/batch';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema/index.ts';

export type Db = BaseSQLiteDatabase<'async', unknown, typeof schema>;
export type Statement = BatchItem<'sqlite'>;

export interface DbLimits {
  /** Bound parameters allowed in one statement (D1: 100). */
  maxParams: number;
  /** Statements one atomic batch may hold before it is split by the caller. */
  maxBatchStatements: number;
}

export interface Store {
  db: Db;
  limits: DbLimits;
  /**
   * Runs the statements atomically: all apply or none does. This is the only way
   * to make several writes atomic, because D1 has no interactive transactions.
   */
  batch(statements: Statement[]): Promise<unknown[]>;
  /**
   * Set where the driver runs a statement synchronously (the embedded file):
   * resolves once the requests already arrived in this turn of the event loop
   * have run, so work that can share one statement (the rate buckets' group
   * commit) waits for them. A driver with real I/O needs none: requests join
   * while a statement is in flight.
   */
  gatherConcurrent?: () => Promise<void>;
  /**
   * Set where the store is an embedded database file that another connection
   * can open by this URL (the file importer's writer thread does); never for an
   * in-memory database or a remote server.
   */
  embeddedUrl?: string;
  close(): Promise<void>;
}

export const d1Limits: DbLimits = { maxParams: 100, maxBatchStatements: 500 };
