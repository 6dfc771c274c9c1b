// Group commit (src/db/group-batch.ts) on a real libSQL file: writes that
// arrive together share one batch, and each keeps its own all-or-nothing
// meaning when one of them fails.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGroupedBatch } from '../../../src/db/group-batch.ts';
import { openLibsqlStore } from '../../../src/db/libsql.ts';
import type { Statement, Store } from '../../../src/db/store.ts';

let dir: string;
let store: Store;
let batches: number;
let counted: Store;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rekindle-group-batch-'));
  store = await openLibsqlStore({ url: `file:${join(dir, 'group.db')}` });
  await store.db.run(sql`CREATE TABLE t (id TEXT PRIMARY KEY, note TEXT NOT NULL)`);
  await store.db.run(sql`CREATE TABLE trail (n INTEGER NOT NULL)`);
  batches = 0;
  counted = {
    ...store,
    batch: (statements) => {
      batches++;
      return store.batch(statements);
    },
  };
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

// A write of two rows: `${id}` and `${id}-b`, so a half-applied write would show.
const rows = (id: string): Statement[] => [
  store.db.run(sql`INSERT INTO t (id, note) VALUES (${id}, 'a')`) as unknown as Statement,
  store.db.run(sql`INSERT INTO t (id, note) VALUES (${`${id}-b`}, 'b')`) as unknown as Statement,
];
const ids = async () =>
  (await store.db.all<{ id: string }>(sql`SELECT id FROM t ORDER BY id`)).map((row) => row.id);

describe('grouped batch', () => {
  it('writes what arrives in one turn of the event loop in one batch', async () => {
    const write = createGroupedBatch(counted);
    await Promise.all(['w1', 'w2', 'w3', 'w4', 'w5'].map((id) => write(rows(id))));
    expect(batches).toBe(1);
    expect(await ids()).toEqual(['w1', 'w1-b', 'w2', 'w2-b', 'w3', 'w3-b', 'w4', 'w4-b', 'w5', 'w5-b']);
  });

  it('gives a failing write its own error and keeps it all-or-nothing, while the others land', async () => {
    await store.db.run(sql`INSERT INTO t (id, note) VALUES ('w2-b', 'there first')`);
    const write = createGroupedBatch(counted);
    const outcomes = await Promise.allSettled(['w1', 'w2', 'w3'].map((id) => write(rows(id))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed: t.id/);
    // w2's first row is not there: its write failed whole.
    expect(await ids()).toEqual(['w1', 'w1-b', 'w2-b', 'w3', 'w3-b']);
    // The shared batch, then each alone.
    expect(batches).toBe(4);
  });

  it('writes a trailer once per group, however many writes name it', async () => {
    const write = createGroupedBatch(counted);
    const trail = () => ({
      key: 'trail',
      statement: store.db.run(sql`INSERT INTO trail (n) VALUES (1)`) as unknown as Statement,
    });
    await Promise.all(['w1', 'w2', 'w3'].map((id) => write(rows(id), trail())));
    const counts = await store.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM trail`);
    expect(counts).toEqual([{ n: 1 }]);
  });

  it('splits a group that would pass the batch limit, keeping each write whole', async () => {
    const write = createGroupedBatch({ ...counted, limits: { ...store.limits, maxBatchStatements: 6 } });
    await Promise.all(['w1', 'w2', 'w3', 'w4'].map((id) => write(rows(id))));
    // A write counts its two rows and one for a trailer: two writes fit in six.
    expect(batches).toBe(2);
    expect((await ids()).length).toBe(8);
  });

  it('writes each alone on a store that gathers nothing (D1, a remote libSQL)', async () => {
    const write = createGroupedBatch({ ...counted, gatherConcurrent: undefined });
    await Promise.all(['w1', 'w2', 'w3'].map((id) => write(rows(id))));
    expect(batches).toBe(3);
    expect((await ids()).length).toBe(6);
  });
});
