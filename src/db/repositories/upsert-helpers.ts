// Building blocks for set-based upserts that respect the driver's parameter
// limit and leave a row untouched when nothing in it changed, so a repeated
// push is a true no-op (updated_at included).
import { getTableColumns, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { sqlJson } from '../sql-json.ts';
import type { DbLimits, Statement, Store } from '../store.ts';
import { boundWrites } from './prepared.ts';

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

/**
 * Rows per statement for jsonRows: ~400 bytes a row keeps the bound text far
 * under D1's 2 MB value limit.
 */
export const jsonRowsPerStatement = 1000;

/** Rows split into jsonRowsPerStatement-sized chunks, one statement each. */
export function jsonRowChunks<Row>(rows: readonly Row[]): Row[][] {
  const chunks: Row[][] = [];
  for (let i = 0; i < rows.length; i += jsonRowsPerStatement)
    chunks.push(rows.slice(i, i + jsonRowsPerStatement));
  return chunks;
}

/**
 * A SELECT of every column of `table` in table order (what insert().select()
 * expects) over `rows` bound as ONE JSON parameter that json_each unpacks in
 * SQLite. However many rows, the statement binds one value: D1's 100-parameter
 * limit never splits a batch into dozens of statements, and no placeholder per
 * value is built in JS (drizzle spends more time building a big multi-row
 * VALUES than SQLite spends inserting it). A column none of the rows sets gets
 * its default, so a column added later needs no change in the callers.
 * Values must be JSON-safe: strings, integers below 2^53, null. The JSON is
 * made by sqlJson, so a lone surrogate is stored as U+FFFD, never as bytes
 * that are not UTF-8.
 */
export function jsonRows<T extends SQLiteTable>(table: T, rows: readonly T['$inferInsert'][]): SQL {
  const { shape, payload } = jsonRowsPayload(table, rows);
  return jsonRowsSelect(table, shape, sql`${payload}`);
}

/**
 * jsonRows in two halves, for a write built once (prepared.ts boundWrites):
 * the shape (which columns the rows set, the only thing that changes the
 * SQL text) and the one JSON value bound to it.
 */
export function jsonRowsPayload<T extends SQLiteTable>(
  table: T,
  rows: readonly T['$inferInsert'][],
): { shape: string; payload: string } {
  const keys = Object.keys(getTableColumns(table));
  const present = keys.filter((key) => rows.some((row) => row[key as keyof typeof row] !== undefined));
  const payload = sqlJson(rows.map((row) => present.map((key) => row[key as keyof typeof row] ?? null)));
  return { shape: present.join(','), payload };
}

/** The SELECT of jsonRows for rows of `shape` (jsonRowsPayload), reading them from `payload`. */
export function jsonRowsSelect(table: SQLiteTable, shape: string, payload: SQL | Placeholder): SQL {
  const present = shape === '' ? [] : shape.split(',');
  const columns = Object.entries(getTableColumns(table)) as [string, SQLiteColumn][];
  const expressions = columns.map(([key, column]) => {
    const index = present.indexOf(key);
    const fallback = defaultOf(column);
    if (index < 0) return fallback;
    const value = sql.raw(`json_extract(j.value, '$[${index}]')`);
    return column.notNull && column.hasDefault ? sql`coalesce(${value}, ${fallback})` : value;
  });
  // `WHERE true` keeps SQLite from reading a following ON CONFLICT as a join constraint.
  return sql`SELECT ${sql.join(expressions, sql`, `)} FROM json_each(${payload}) AS j WHERE true`;
}

function defaultOf(column: SQLiteColumn): SQL {
  if (!column.hasDefault || column.default === undefined) return sql`NULL`;
  const value = column.default;
  if (typeof value === 'number' && Number.isInteger(value)) return sql.raw(String(value));
  if (typeof value === 'boolean') return sql.raw(value ? '1' : '0');
  if (typeof value === 'string') return sql.raw(`'${value.replaceAll("'", "''")}'`);
  throw new Error(`${column.name}: a default jsonRows cannot write; set the column on every row`);
}

/**
 * A jsonRows write built once per store and shape, then only bound: `build`
 * gets the SELECT to insert from; the returned function makes one statement
 * per jsonRowChunks chunk of `rows`.
 */
export function jsonRowsWrites<T extends SQLiteTable>(
  table: T,
  build: (store: Store, select: SQL) => { prepare(): unknown },
): (store: Store, rows: readonly T['$inferInsert'][]) => Statement[] {
  const write = boundWrites((store, shape) =>
    build(store, jsonRowsSelect(table, shape, sql.placeholder('rows'))),
  );
  return (store, rows) =>
    jsonRowChunks(rows).map((chunk) => {
      const { shape, payload } = jsonRowsPayload(table, chunk);
      return write(store, { rows: payload }, shape);
    });
}
