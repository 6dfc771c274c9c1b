// Writes built once and then only bound (src/db/repositories/prepared.ts
// boundWrites) behave in drizzle's batch exactly like the builders they come
// from: each call's values, the batch's atomicity, results, and the SQL the
// import's parse worker reads through toSQL().
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLibsqlStore } from '../../../src/db/libsql.ts';
import { boundWrites } from '../../../src/db/repositories/prepared.ts';
import type { Store } from '../../../src/db/store.ts';

const notes = sqliteTable('notes', {
  id: text('id').primaryKey(),
  body: text('body').notNull(),
  n: integer('n').notNull(),
});

const upsertNote = boundWrites((store, shape) =>
  store.db
    .insert(notes)
    .values({ id: sql.placeholder('id'), body: sql.placeholder('body'), n: sql.placeholder('n') })
    .onConflictDoUpdate({
      target: notes.id,
      set: { body: shape === 'keep' ? sql`${notes.body}` : sql.raw('excluded."body"') },
    }),
);

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rekindle-bound-'));
  store = await openLibsqlStore({ url: `file:${join(dir, 'bound.db')}` });
  await store.db.run(sql`CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL, n INTEGER NOT NULL)`);
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const all = () => store.db.select().from(notes).orderBy(notes.id);

describe('boundWrites', () => {
  it('binds each call its own values, beside ordinary builders in one batch', async () => {
    await store.batch([
      upsertNote(store, { id: 'a', body: 'first', n: 1 }),
      store.db.insert(notes).values({ id: 'b', body: 'builder', n: 2 }),
      upsertNote(store, { id: 'c', body: 'third', n: 3 }),
    ]);
    expect(await all()).toEqual([
      { id: 'a', body: 'first', n: 1 },
      { id: 'b', body: 'builder', n: 2 },
      { id: 'c', body: 'third', n: 3 },
    ]);
  });

  it('keeps one SQL text per shape, and the shapes apart', async () => {
    await store.batch([upsertNote(store, { id: 'a', body: 'one', n: 1 })]);
    await store.batch([upsertNote(store, { id: 'a', body: 'kept?', n: 1 }, 'keep')]);
    await store.batch([upsertNote(store, { id: 'b', body: 'two', n: 2 }, 'keep')]);
    expect(await all()).toEqual([
      { id: 'a', body: 'one', n: 1 },
      { id: 'b', body: 'two', n: 2 },
    ]);
    const first = upsertNote(store, { id: 'x', body: 'y', n: 0 }) as unknown as { toSQL(): { sql: string } };
    const again = upsertNote(store, { id: 'z', body: 'w', n: 9 }) as unknown as { toSQL(): { sql: string } };
    const kept = upsertNote(store, { id: 'x', body: 'y', n: 0 }, 'keep') as unknown as {
      toSQL(): { sql: string };
    };
    expect(again.toSQL().sql).toBe(first.toSQL().sql);
    expect(kept.toSQL().sql).not.toBe(first.toSQL().sql);
  });

  it('answers toSQL() with the text and parameters the builder would have had', () => {
    const bound = upsertNote(store, { id: 'a', body: 'hi', n: 4 }) as unknown as {
      toSQL(): { sql: string; params: unknown[] };
    };
    const built = store.db
      .insert(notes)
      .values({ id: 'a', body: 'hi', n: 4 })
      .onConflictDoUpdate({ target: notes.id, set: { body: sql.raw('excluded."body"') } })
      .toSQL();
    expect(bound.toSQL()).toEqual({ sql: built.sql, params: built.params });
  });

  it('rolls back with the batch when a later statement fails', async () => {
    await expect(
      store.batch([
        upsertNote(store, { id: 'a', body: 'never', n: 1 }),
        store.db.run(sql`INSERT INTO notes (id, body, n) VALUES ('b', NULL, 2)`) as never,
      ]),
    ).rejects.toThrow(/NOT NULL/);
    expect(await all()).toEqual([]);
  });

  it('runs when awaited alone, as a builder does', async () => {
    await upsertNote(store, { id: 'solo', body: 'alone', n: 5 });
    expect(await all()).toEqual([{ id: 'solo', body: 'alone', n: 5 }]);
  });

  it('names a value the call left out', () => {
    expect(() => upsertNote(store, { id: 'a', body: 'x' })).toThrow(/no value for "n"/);
  });
});
