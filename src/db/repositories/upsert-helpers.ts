// Building blocks for set-based upserts that respect the driver's parameter
// limit and leave a row untouched when nothing in it changed, so a repeated
// push is a true no-op (updated_at included).
import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { DbLimits } from '../store.ts';

/** Splits rows so that no statement binds more than the driver allows. */
export function chunkForParams<T>(rows: readonly T[], paramsPerRow: number, limits: DbLimits): T[][] {
  const perChunk = Math.max(1, Math.floor(limits.maxParams / paramsPerRow));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += perChunk) chunks.push(rows.slice(i, i + perChunk));
  return chunks;
}

export function columnCount(table: SQLiteTable): number {
  return Object.keys(getTableColumns(table)).length;
}

/**
 * `set` and `setWhere` for onConflictDoUpdate: copy `compared` columns from the
 * incoming row, stamp `touched` columns, and do it only when a compared column
 * differs.
 */
export function updateWhenChanged(compared: SQLiteColumn[], touched: SQLiteColumn[] = []) {
  const set: Record<string, SQL> = {};
  for (const column of [...compared, ...touched])
    set[propertyName(column)] = sql.raw(`excluded."${column.name}"`);
  const setWhere = sql.join(
    compared.map((column) => sql`${column} IS NOT ${sql.raw(`excluded."${column.name}"`)}`),
    sql` OR `,
  );
  return { set, setWhere };
}

function propertyName(column: SQLiteColumn): string {
  const columns = getTableColumns(column.table as SQLiteTable);
  const entry = Object.entries(columns).find(([, candidate]) => candidate === column);
  if (!entry) throw new Error(`column ${column.name} is not on its table`);
  return entry[0];
}
