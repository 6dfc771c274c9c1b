// The writer thread of a big import (write-thread.ts, write-worker.mjs): chunks
// cut anywhere in the file still hold whole orders with all their lines, a
// chunk that fails to store stops the import with only the whole chunks before
// it stored (as in process), and a store no second connection can reach (an
// in-memory database) is written in process.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateLibsql, openLibsqlStore } from '../../../src/db/libsql.ts';
import type { Store } from '../../../src/db/store.ts';
import { writeOrdersCsv } from '../../../src/demo/orders-csv.ts';
import { importFile } from '../support/import-file.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';

const now = Date.parse('2026-11-20T12:00:00Z');

let temp: TempStore;
let csvPath: string;
let linesPerOrder: Map<string, number>;
let orderIds: string[];
beforeEach(async () => {
  temp = await openTempStore();
  csvPath = join(temp.dir, 'orders.csv');
  await writeOrdersCsv(csvPath, { now, seed: 'writer-thread', customers: 400, maxLines: 2500 });
  const rows = parse(await readFile(csvPath, 'utf8'), { columns: true }) as { id: string }[];
  linesPerOrder = new Map();
  for (const row of rows) linesPerOrder.set(row.id, (linesPerOrder.get(row.id) ?? 0) + 1);
  orderIds = [...linesPerOrder.keys()];
});
afterEach(async () => {
  await temp.cleanup();
});

async function storedLines(store: Store): Promise<Map<string, number>> {
  const rows = await store.db.all<{ order_id: string; n: number }>(
    sql`select order_id, count(*) as n from order_items group by order_id`,
  );
  return new Map(rows.map((row) => [row.order_id, Number(row.n)]));
}

describe('the import writer thread', () => {
  it('stores every order with all its lines whatever the chunk size', async () => {
    // Orders of several lines keep being cut by a read buffer or land last in a chunk.
    expect([...linesPerOrder.values()].some((n) => n > 1)).toBe(true);
    for (const batchSize of [1, 7, 1000]) {
      const other = await openTempStore();
      try {
        const summary = await importFile(other.store, 'orders', csvPath, { worker: true, batchSize }, now);
        expect(summary.rejected).toBe(0);
        expect(summary.stored.orders).toBe(linesPerOrder.size);
        expect(await storedLines(other.store)).toEqual(linesPerOrder);
      } finally {
        await other.cleanup();
      }
    }
  });

  it('stops at a chunk that fails to store, keeping only the whole chunks before it, as in process', async () => {
    const batchSize = 50;
    // The 3rd chunk's 10th order cannot be stored.
    const poisoned = orderIds[2 * batchSize + 9]!;
    const outcomes = [];
    for (const worker of [false, true]) {
      const store = worker ? temp : await openTempStore();
      try {
        await store.store.db.run(
          sql.raw(
            `CREATE TRIGGER poison BEFORE INSERT ON orders WHEN NEW.id = '${poisoned}' ` +
              `BEGIN SELECT RAISE(ABORT, 'poisoned order'); END`,
          ),
        );
        const error = await importFile(store.store, 'orders', csvPath, { worker, batchSize }, now).catch(
          (e: unknown) => e,
        );
        expect(String(error)).toMatch(/poisoned order/);
        const stored = await storedLines(store.store);
        expect([...stored.keys()].sort()).toEqual(orderIds.slice(0, 2 * batchSize).sort());
        for (const [id, n] of stored) expect(n).toBe(linesPerOrder.get(id));
        outcomes.push(await snapshot(store.store));
      } finally {
        if (store !== temp) await store.cleanup();
      }
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
  });

  it('writes an in-memory store in process (a second connection would see another database)', async () => {
    const store = await openLibsqlStore({ url: 'file::memory:' });
    try {
      expect(store.embeddedUrl).toBeUndefined();
      await migrateLibsql(store);
      const summary = await importFile(store, 'orders', csvPath, { worker: true }, now);
      expect(summary.stored.orders).toBe(linesPerOrder.size);
      expect(await storedLines(store)).toEqual(linesPerOrder);
    } finally {
      await store.close();
    }
  });
});
