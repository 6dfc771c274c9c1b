// The parse worker: an import that parses in a worker thread stores exactly the
// rows the in-process path does (a generated shop export and the fixtures with
// bad rows, --strict and JSON Lines), and its errors read the same.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportKind, ImportOptions } from '../../../src/adapters/import/import-file.ts';
import { AppError } from '../../../src/core/errors.ts';
import { writeOrdersCsv } from '../../../src/demo/orders-csv.ts';
import { importFile } from '../support/import-file.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';

const root = resolve(import.meta.dirname, '../../..');
const fixture = (name: string) => join(root, 'test/fixtures/import', name);
const now = Date.parse('2026-11-20T12:00:00Z');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rekindle-import-worker-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Imports the file twice into fresh stores, once per path; returns both summaries and snapshots. */
async function bothWays(kind: ImportKind, path: string, options: ImportOptions = {}) {
  const results = [];
  for (const worker of [false, true]) {
    const temp: TempStore = await openTempStore();
    try {
      const progress: number[] = [];
      const summary = await importFile(
        temp.store,
        kind,
        path,
        { ...options, worker, onProgress: (p) => progress.push(p.bytes) },
        now,
      );
      results.push({ summary, rows: await snapshot(temp.store), lastProgress: progress.at(-1) });
    } finally {
      await temp.cleanup();
    }
  }
  return { inProcess: results[0]!, inWorker: results[1]! };
}

describe('importing through the parse worker', () => {
  it('stores the same rows as the in-process path for a generated orders export', async () => {
    const path = join(dir, 'orders.csv');
    const written = await writeOrdersCsv(path, { now, seed: 'worker', customers: 500, maxLines: 3000 });
    const { inProcess, inWorker } = await bothWays('orders', path, { batchSize: 100 });

    expect(inWorker.summary.stored.orders).toBe(written.orders);
    expect(inWorker.summary.stored.items).toBe(written.lines);
    expect(inWorker.summary).toEqual(inProcess.summary);
    expect(inWorker.rows).toEqual(inProcess.rows);
    expect(inWorker.lastProgress).toBe(inProcess.lastProgress);
  });

  it('rejects the same bad rows and stores the same good ones', async () => {
    const { inProcess, inWorker } = await bothWays('orders', fixture('orders-lines.csv'), { batchSize: 2 });
    expect(inWorker.summary.rejected).toBeGreaterThan(0);
    expect(inWorker.summary).toEqual(inProcess.summary);
    expect(inWorker.rows).toEqual(inProcess.rows);
  });

  it('keeps --strict two passes: aborted with nothing stored, or all stored', async () => {
    const bad = await bothWays('orders', fixture('orders-lines.csv'), { strict: true });
    expect(bad.inWorker.summary.aborted).toBe(true);
    expect(bad.inWorker.summary).toEqual(bad.inProcess.summary);
    expect(bad.inWorker.rows).toEqual(bad.inProcess.rows);

    const good = await bothWays('products', fixture('products.csv'), { strict: true });
    expect(good.inWorker.summary).toEqual(good.inProcess.summary);
    expect(good.inWorker.rows).toEqual(good.inProcess.rows);
  });

  it('reads JSON Lines and other kinds the same way', async () => {
    for (const [kind, name] of [
      ['orders', 'orders.jsonl'],
      ['carts', 'carts.csv'],
      ['customers', 'customers.csv'],
    ] as const) {
      const { inProcess, inWorker } = await bothWays(kind, fixture(name), { timezone: 'Europe/London' });
      expect(inWorker.summary).toEqual(inProcess.summary);
      expect(inWorker.rows).toEqual(inProcess.rows);
    }
  });

  it('rounds sub-minor prices and totals orders from their lines the same way (UCI layout)', async () => {
    const { inProcess, inWorker } = await bothWays('orders', fixture('uci-online-retail.csv'), {
      currency: 'GBP',
      dateOrder: 'mdy',
      timezone: 'Europe/London',
      batchSize: 2,
    });
    expect(inWorker.summary).toMatchObject({ finerPrices: 3, rejected: 2, stored: { orders: 6, items: 11 } });
    expect(inWorker.summary).toEqual(inProcess.summary);
    expect(inWorker.rows).toEqual(inProcess.rows);
  });

  it('raises a missing column as the same AppError from the worker', async () => {
    const temp = await openTempStore();
    try {
      const attempt = (worker: boolean) =>
        importFile(temp.store, 'orders', fixture('products.csv'), { worker }, now).catch((e: unknown) => e);
      const [inProcess, inWorker] = [await attempt(false), await attempt(true)];
      expect(inProcess).toBeInstanceOf(AppError);
      expect(inWorker).toBeInstanceOf(AppError);
      expect((inWorker as AppError).code).toBe((inProcess as AppError).code);
      expect((inWorker as AppError).message).toBe((inProcess as AppError).message);
    } finally {
      await temp.cleanup();
    }
  });
});
