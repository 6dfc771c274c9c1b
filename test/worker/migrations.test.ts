// The drizzle/ migrations, applied to a real D1 in workerd, produce the schema
// the repositories are written against, and this D1 enforces the limits the
// code must respect (so passing tests here mean something).
import { env } from 'cloudflare:workers';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import journal from '../../drizzle/meta/_journal.json';
import * as schema from '../../src/db/schema/index.ts';
import { d1Limits } from '../../src/db/store.ts';

const tables = (Object.values(schema) as unknown[]).filter(
  (value): value is SQLiteTable => value instanceof SQLiteTable,
);

describe('D1 migrations from drizzle/', () => {
  it('records every migration in the drizzle journal as applied', async () => {
    const { results } = await env.DB.prepare('select name from d1_migrations order by id').all<{
      name: string;
    }>();
    expect(results.map((row) => row.name)).toEqual(journal.entries.map((entry) => `${entry.tag}.sql`));
  });

  it('creates every table of the drizzle schema with all its columns', async () => {
    expect(tables.length).toBeGreaterThan(5);
    for (const table of tables) {
      const { name, columns } = getTableConfig(table);
      const { results } = await env.DB.prepare('select name from pragma_table_info(?)').bind(name).all<{
        name: string;
      }>();
      expect(results.map((row) => row.name).sort(), name).toEqual(
        columns.map((column) => column.name).sort(),
      );
    }
  });
});

describe('the test D1 enforces the limits the code is written for', () => {
  const inList = (n: number) => Array.from({ length: n }, () => '?').join(',');
  const values = (n: number) => Array.from({ length: n }, (_, i) => i);

  it(`accepts ${d1Limits.maxParams} bound parameters in one statement and rejects one more`, async () => {
    const at = d1Limits.maxParams;
    const ok = await env.DB.prepare(`select 1 as one where 1 in (${inList(at)})`)
      .bind(...values(at))
      .first<{ one: number }>();
    expect(ok).toEqual({ one: 1 });
    await expect(
      env.DB.prepare(`select 1 where 1 in (${inList(at + 1)})`)
        .bind(...values(at + 1))
        .first(),
    ).rejects.toThrow(/too many SQL variables/);
  });

  it('has no interactive transactions', async () => {
    await expect(env.DB.exec('BEGIN TRANSACTION')).rejects.toThrow(/transaction/i);
  });
});
