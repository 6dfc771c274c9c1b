// Import benchmark: a million order lines from the demo generator as CSV,
// imported with importFile in a child process, against a floor of bare
// multi-row INSERTs of the same pre-parsed rows through the same libSQL client.
// ratio = import seconds / floor seconds; baseline = the floor's rows per
// second. Goals (issue 13): ratio <= 2, >= 80,000 rows/s, < 256 MB peak RSS.
// BENCH_IMPORT_LINES overrides the line count for a quick run.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { defaultBatchSize } from '../src/adapters/import/import-file.ts';
import { migrateLibsql, openLibsqlStore } from '../src/db/libsql.ts';
import { writeOrdersCsv } from '../src/demo/orders-csv.ts';
import { runChild } from './support/child.ts';
import { insertFloor, parseOrdersCsv } from './support/import-floor.ts';
import { endStatus, log, status } from './support/log.ts';
import { megabytes } from './support/memory.ts';
import type { BenchResult } from './support/result.ts';

const lines = Number(process.env.BENCH_IMPORT_LINES ?? 1_000_000);
const now = Date.parse('2026-11-20T12:00:00Z');
const goals = { ratio: 2, rowsPerSecond: 80_000, rssMb: 256 };

interface ChildResult {
  seconds: number;
  rows: number;
  rejected: number;
  reasons: Record<string, number>;
  stored: { customers: number; orders: number; items: number };
  peakRssBytes: number;
  rssBeforeBytes: number;
}

export async function run(): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'rekindle-bench-import-'));
  try {
    const csvPath = join(dir, 'orders.csv');
    let started = performance.now();
    const written = await writeOrdersCsv(
      csvPath,
      { now, seed: 'bench', customers: 10_000_000, maxLines: lines },
      (w) => status(`generating: ${w.lines.toLocaleString('en')} lines`),
    );
    endStatus();
    const size = (await stat(csvPath)).size;
    log(
      `csv: ${written.lines} lines, ${written.orders} orders, ${written.customers} customers, ` +
        `${megabytes(size).toFixed(0)} MB, ${seconds(started)} s to generate`,
    );

    const floorUrl = `file:${join(dir, 'floor.db')}`;
    const floorStore = await openLibsqlStore({ url: floorUrl });
    await migrateLibsql(floorStore);
    const { limits } = floorStore;
    await floorStore.close();
    started = performance.now();
    let parsed: Awaited<ReturnType<typeof parseOrdersCsv>> | undefined = await parseOrdersCsv(csvPath);
    log(`floor: parsed ${parsed.items.length} rows in ${seconds(started)} s (not timed)`);
    const floorSeconds = await insertFloor(parsed, {
      url: floorUrl,
      maxParams: limits.maxParams,
      ordersPerTransaction: defaultBatchSize,
      now,
    });
    const floorRows = parsed.items.length;
    parsed = undefined;
    log(
      `floor: inserted ${floorRows} lines in ${floorSeconds.toFixed(2)} s, ${rate(floorRows, floorSeconds)} rows/s`,
    );

    const importUrl = `file:${join(dir, 'import.db')}`;
    const child = await runChild<ChildResult>(join(import.meta.dirname, 'import-child.ts'), [
      csvPath,
      importUrl,
      String(now),
    ]);
    const stored = await countRows(importUrl);
    log(
      `import: ${child.rows} rows in ${child.seconds.toFixed(2)} s, ${rate(child.rows, child.seconds)} rows/s, ` +
        `peak RSS ${megabytes(child.peakRssBytes).toFixed(0)} MB ` +
        `(${megabytes(child.rssBeforeBytes).toFixed(0)} MB before importing); stored ${child.stored.orders} orders, ` +
        `${child.stored.items} items, ${child.stored.customers} customers; rejected ${child.rejected}`,
    );
    if (child.rejected > 0) log(`import: rejections ${JSON.stringify(child.reasons)}`);
    if (stored.orders !== written.orders || stored.items !== written.lines) {
      throw new Error(
        `import stored ${stored.orders} orders / ${stored.items} items, expected ${written.orders} / ${written.lines}`,
      );
    }
    const ratio = child.seconds / floorSeconds;
    const rowsPerSecond = child.rows / child.seconds;
    const rssMb = megabytes(child.peakRssBytes);
    log(
      `goals: ratio ${ratio.toFixed(2)} <= ${goals.ratio} ${pass(ratio <= goals.ratio)}, ` +
        `${rowsPerSecond.toFixed(0)} >= ${goals.rowsPerSecond} rows/s ${pass(rowsPerSecond >= goals.rowsPerSecond)}, ` +
        `${rssMb.toFixed(0)} < ${goals.rssMb} MB ${pass(rssMb < goals.rssMb)}; baseline = floor rows/s`,
    );
    return {
      name: 'import',
      ratio,
      figures: { rows_per_s: Math.round(rowsPerSecond), rss_mb: Math.round(rssMb) },
      baseline: Math.round(floorRows / floorSeconds),
    };
  } finally {
    if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
  }
}

async function countRows(url: string): Promise<{ orders: number; items: number }> {
  const client = createClient({ url });
  try {
    const orders = await client.execute('select count(*) as n from orders');
    const items = await client.execute('select count(*) as n from order_items');
    return { orders: Number(orders.rows[0]?.n), items: Number(items.rows[0]?.n) };
  } finally {
    client.close();
  }
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const rate = (rows: number, s: number) => Math.round(rows / s).toLocaleString('en');
const pass = (ok: boolean) => (ok ? 'ok' : 'MISSED');
