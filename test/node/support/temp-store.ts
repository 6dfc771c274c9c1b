// A real, migrated libSQL file in a fresh temp directory, for node tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrateLibsql, openLibsqlStore } from '../../../src/db/libsql.ts';
import type { Store } from '../../../src/db/store.ts';

export interface TempStore {
  store: Store;
  dir: string;
  url: string;
  cleanup(): Promise<void>;
}

export async function openTempStore(): Promise<TempStore> {
  const dir = await mkdtemp(join(tmpdir(), 'rekindle-test-'));
  const url = `file:${join(dir, 'rekindle.db')}`;
  const store = await openLibsqlStore({ url });
  await migrateLibsql(store);
  return {
    store,
    dir,
    url,
    async cleanup() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Every row of every table, for "nothing changed" assertions. */
export async function snapshot(store: Store): Promise<Record<string, unknown[]>> {
  const tables = await listTables(store);
  const result: Record<string, unknown[]> = {};
  for (const table of tables) {
    result[table] = await store.db.all(sql.raw(`select * from "${table}" order by rowid`));
  }
  return result;
}

async function listTables(store: Store): Promise<string[]> {
  const rows = await store.db.all<{ name: string }>(
    sql.raw(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name",
    ),
  );
  return rows.map((row) => row.name);
}
