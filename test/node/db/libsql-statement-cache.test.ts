// The per-connection statement cache under the libSQL store: a reused
// statement must behave exactly like a fresh one, across writes from other
// connections, schema changes made elsewhere, errors, and many distinct texts.
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import Database from 'libsql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLibsqlStore } from '../../../src/db/libsql.ts';
import {
  cachedStatementCount,
  installStatementCache,
  statementsPerConnection,
} from '../../../src/db/libsql-statement-cache.ts';
import type { Store } from '../../../src/db/store.ts';

const require = createRequire(import.meta.url);

let dir: string;
let store: Store;
let other: Store;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rekindle-stmt-cache-'));
  const url = `file:${join(dir, 'cache.db')}`;
  store = await openLibsqlStore({ url });
  other = await openLibsqlStore({ url });
  await store.db.run(sql`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`);
});
afterEach(async () => {
  await store.close();
  await other.close();
  await rm(dir, { recursive: true, force: true });
});

const names = async (s: Store) =>
  (await s.db.all<{ name: string }>(sql`SELECT name FROM t ORDER BY id`)).map((r) => r.name);

describe('libSQL statement cache', () => {
  it("patches the same libsql module the store's driver opens its connections with", () => {
    // A nested copy under @libsql/client (after a version drift) would leave the cache unused.
    const fromClient = createRequire(require.resolve('@libsql/client')).resolve('libsql');
    expect(fromClient).toBe(require.resolve('libsql'));
  });

  it('a reused read sees what another connection wrote since', async () => {
    await store.db.run(sql`INSERT INTO t (name) VALUES (${'a'})`);
    expect(await names(store)).toEqual(['a']);
    await other.db.run(sql`INSERT INTO t (name) VALUES (${'b'})`);
    expect(await names(store)).toEqual(['a', 'b']);
  });

  it('a reused write still raises its constraint error, and works again afterwards', async () => {
    const insert = (name: string) => store.db.run(sql`INSERT INTO t (name) VALUES (${name})`);
    await insert('a');
    const failure = await insert('a').then(
      () => null,
      (error: Error) => String(error.cause ?? error),
    );
    expect(failure).toMatch(/UNIQUE/);
    await insert('b');
    expect(await names(store)).toEqual(['a', 'b']);
  });

  it('SELECT * (never cached) follows a column another connection added; named columns keep working', async () => {
    await store.db.run(sql`INSERT INTO t (name) VALUES (${'a'})`);
    const star = () => store.db.all<Record<string, unknown>>(sql`SELECT * FROM t`);
    expect(await star()).toEqual([{ id: 1, name: 'a' }]);
    expect(await names(store)).toEqual(['a']);

    await other.db.run(sql`ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'n'`);
    // libSQL itself names the first result after another connection's schema
    // change by the old columns, with or without this cache. A cached `*`
    // statement would stay wrong for good; a fresh one is right from the next.
    await star();
    expect(await star()).toEqual([{ id: 1, name: 'a', note: 'n' }]);
    expect(await names(store)).toEqual(['a']);
  });

  it(`keeps at most ${statementsPerConnection} statements per connection, dropping the least recently used`, async () => {
    installStatementCache();
    const path = join(dir, 'raw.db');
    const connection = new Database(path);
    try {
      const first = connection.prepare('SELECT 0');
      for (let i = 1; i <= statementsPerConnection + 40; i++) {
        connection.prepare(`SELECT ${i}`);
        // Touching the first text keeps it the most recently used.
        expect(connection.prepare('SELECT 0')).toBe(first);
      }
      expect(cachedStatementCount(connection)).toBe(statementsPerConnection);
      expect(connection.prepare('SELECT 0').raw(true).all()).toEqual([[0]]);
      expect(connection.prepare('SELECT 1')).not.toBe(connection.prepare('SELECT 2'));
      expect(connection.prepare('SELECT count(*) FROM sqlite_master')).toBe(
        connection.prepare('SELECT count(*) FROM sqlite_master'),
      );
      for (const star of [
        'SELECT * FROM sqlite_master',
        'SELECT DISTINCT * FROM sqlite_master',
        'SELECT m.* FROM sqlite_master m',
        'SELECT name, * FROM sqlite_master',
        'SELECT\n*\nFROM sqlite_master',
      ]) {
        expect(connection.prepare(star), star).not.toBe(connection.prepare(star));
      }
      // A multiplication is not a column list.
      expect(connection.prepare('SELECT 2 * 3, (1 + 1)*4')).toBe(
        connection.prepare('SELECT 2 * 3, (1 + 1)*4'),
      );
      // A write returns no columns but through RETURNING: a `*` inside its
      // SELECT (the coupon rule's) is kept; RETURNING * is not.
      connection.exec('CREATE TABLE IF NOT EXISTS w (a)');
      const insertSelect = 'INSERT INTO w (a) WITH j AS (SELECT 1 AS a) SELECT * FROM j';
      expect(connection.prepare(insertSelect)).toBe(connection.prepare(insertSelect));
      for (const star of ['INSERT INTO w (a) VALUES (1) RETURNING *', 'UPDATE w SET a = 2 RETURNING a, *']) {
        expect(connection.prepare(star), star).not.toBe(connection.prepare(star));
      }
    } finally {
      connection.close();
    }
  });
});
