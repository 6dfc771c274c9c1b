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
  close(): Promise<void>;
}

export const d1Limits: DbLimits = { maxParams: 100, maxBatchStatements: 500 };
