// libSQL home of the store: an embedded file by default, or a remote libSQL
// server (Turso) when DATABASE_URL says libsql:// or https://.
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { installStatementCache } from './libsql-statement-cache.ts';
import { runPendingRepairs } from './repair-text.ts';
import * as schema from './schema/index.ts';
import type { DbLimits, Statement, Store } from './store.ts';

// SQLite's own ceiling is 32,766 variables; staying well below keeps statements
// short enough for a remote server too.
const libsqlLimits: DbLimits = { maxParams: 8000, maxBatchStatements: 5000 };

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

export interface LibsqlOptions {
  url: string;
  authToken?: string | undefined;
}

export async function openLibsqlStore(options: LibsqlOptions): Promise<Store> {
  const isFile = options.url.startsWith('file:');
  if (isFile) installStatementCache();
  if (isFile) await mkdir(dirname(options.url.slice('file:'.length)), { recursive: true });
  const client = createClient({ url: options.url, authToken: options.authToken });
  if (isFile) {
    // WAL lets readers (reports, the dashboard) run beside a sweep; the busy
    // timeout makes a second writer wait instead of failing at once.
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA busy_timeout = 10000');
    await client.execute('PRAGMA synchronous = NORMAL');
  }
  const db = drizzle(client, { schema });
  return {
    db: db as unknown as Store['db'],
    limits: libsqlLimits,
    async batch(statements: Statement[]) {
      if (statements.length === 0) return [];
      const results = await db.batch(statements as [Statement, ...Statement[]]);
      // The embedded driver frees bound parameters only once the event loop
      // turns; a tight loop of batches would otherwise grow memory without bound.
      await new Promise((resolve) => setImmediate(resolve));
      return results;
    },
    // setImmediate runs after the I/O callbacks of this loop turn: no timer delay.
    ...(isFile ? { gatherConcurrent: () => new Promise<void>((resolve) => setImmediate(resolve)) } : {}),
    // An in-memory database exists only on the connection that opened it.
    ...(isFile && !/:memory:|mode=memory/.test(options.url) ? { embeddedUrl: options.url } : {}),
    async close() {
      client.close();
    },
  };
}

/** The SQL migrations, then the data repairs they queued (which SQL alone cannot do). */
export async function migrateLibsql(store: Store): Promise<void> {
  // biome-ignore lint/suspicious/noExplicitAny: drizzle's migrator wants the driver-specific type.
  await migrate(store.db as any, { migrationsFolder });
  await runPendingRepairs(store);
}
