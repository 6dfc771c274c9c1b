// What /healthz reports of the database: that it answers, and that its
// migrations have been applied (every table the schema defines exists). A
// store that answers but was never migrated (a new D1 before `wrangler d1
// migrations apply`) is unhealthy: every route past /healthz would fail on it.
import { getTableName, is, sql } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from '../schema/index.ts';
import type { Store } from '../store.ts';

export type StoreHealth =
  | { ok: true }
  | { ok: false; problem: 'unreachable' }
  | { ok: false; problem: 'not_migrated'; missingTables: string[] };

/** The tables the schema defines, by name. */
export const schemaTables: readonly string[] = (Object.values(schema) as unknown[])
  .flatMap((value) => (is(value, SQLiteTable) ? [getTableName(value)] : []))
  .sort();

export async function checkStore(store: Store): Promise<StoreHealth> {
  let present: Set<string>;
  try {
    const rows = await store.db.all<{ name: string }>(
      sql`select name from sqlite_master where type = 'table'`,
    );
    present = new Set(rows.map((r) => r.name));
  } catch {
    return { ok: false, problem: 'unreachable' };
  }
  const missingTables = schemaTables.filter((name) => !present.has(name));
  return missingTables.length === 0 ? { ok: true } : { ok: false, problem: 'not_migrated', missingTables };
}
