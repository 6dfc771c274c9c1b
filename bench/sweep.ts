// Sweep benchmark: a dormant sweep over the demo shop (1,000,000 customers,
// about 5,000,000 orders) against a floor of the bare SQL aggregate "last
// purchase per customer" on the same file in the same run. The sweep is real:
// it writes its messages (into an outbox emptied first, untimed) in a child
// process, so its peak memory is its own; a dry run's time is logged beside it.
// The floor is that aggregate fully stepped through the same libSQL client,
// every row read (as the sweep reads its hits), timed before and after the
// sweep with the faster kept. The same aggregate counted inside SQLite, with
// no rows crossing into JS, is logged beside it as the stricter reference.
// ratio = sweep ms / floor ms; baseline = floor ms. Goals: ratio <= 2,
// < 500 MB peak RSS. The shop is generated once and cached under ./data/bench
// (see support/demo-db.ts). One address in 200 is put in the suppressions
// table (as hashes), so the sweep pays for that check as a real shop would.
// Cost as the work grows: the same sweep also runs over shops of 100,000 and
// 300,000 customers (generated and cached the same way) and each size's ms per
// 100,000 customers is printed; growth = that figure at the main size over
// the smallest size's (<= 1 is linear or better).
// BENCH_SWEEP_CUSTOMERS overrides the customer count for a quick run;
// BENCH_SWEEP_GROWTH the smaller sizes (comma-separated; empty for none).
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { hashEmail } from '../src/core/email-hash.ts';
import { runChild } from './support/child.ts';
import { cachedDemoDb } from './support/demo-db.ts';
import { log } from './support/log.ts';
import { megabytes } from './support/memory.ts';
import type { BenchResult } from './support/result.ts';

const customers = Number(process.env.BENCH_SWEEP_CUSTOMERS ?? 1_000_000);
const now = Date.parse('2026-11-20T12:00:00Z');
const growthSizes = (process.env.BENCH_SWEEP_GROWTH ?? '100000,300000')
  .split(',')
  .filter((size) => size.trim() !== '')
  .map(Number)
  .filter((size) => size < customers);
const goals = { ratio: 2, rssMb: 500 };
const floorSql = `SELECT customer_id, max(placed_at) AS last_at FROM orders WHERE status = 'paid' GROUP BY customer_id`;
const inSqliteSql = `SELECT count(*) AS groups, max(last_at) AS latest FROM (${floorSql})`;

interface ChildResult {
  dryMs: number;
  sweepMs: number;
  messages: number;
  campaigns: string[];
  peakRssBytes: number;
  rssBeforeBytes: number;
}

export async function run(): Promise<BenchResult> {
  const growth: { customers: number; msPer100k: number }[] = [];
  for (const size of growthSizes) {
    const smaller = await cachedDemoDb({ customers: size, seed: 'bench', now });
    const swept = await runChild<ChildResult>(join(import.meta.dirname, 'sweep-child.ts'), [
      smaller,
      String(now),
    ]);
    noteGrowth(growth, size, swept.sweepMs);
  }
  const path = await cachedDemoDb({ customers, seed: 'bench', now });
  const client = createClient({ url: `file:${path}` });
  try {
    const counts = await countRows(client);
    log(`shop: ${counts.customers} customers, ${counts.orders} orders (${counts.paid} paid)`);
    const suppressed = await suppressSome(client);
    log(`suppressions: ${suppressed} address hashes`);
    const plan = await client.execute(`EXPLAIN QUERY PLAN ${floorSql}`);
    log(`floor plan: ${plan.rows.map((r) => r.detail).join(' / ')}`);
    await timeFloor(client); // warms the page cache for both sides
    const before = await timeFloor(client);
    const child = await runChild<ChildResult>(join(import.meta.dirname, 'sweep-child.ts'), [
      path,
      String(now),
    ]);
    const after = await timeFloor(client);
    const floorMs = Math.min(before.ms, after.ms);
    const inSqlite = await timeInSqlite(client);
    log(
      `floor: ${before.ms.toFixed(0)} ms before, ${after.ms.toFixed(0)} ms after the sweep ` +
        `(${before.groups} customers with a purchase); counted inside SQLite: ${inSqlite.toFixed(0)} ms ` +
        `(sweep / that: ${(child.sweepMs / inSqlite).toFixed(2)})`,
    );
    log(
      `sweep (${child.campaigns.join(', ')}): real ${child.sweepMs.toFixed(0)} ms, dry ${child.dryMs.toFixed(0)} ms, ` +
        `${child.messages} messages, peak RSS ${megabytes(child.peakRssBytes).toFixed(0)} MB ` +
        `(${megabytes(child.rssBeforeBytes).toFixed(0)} MB before sweeping)`,
    );
    noteGrowth(growth, customers, child.sweepMs);
    const growthRatio = (growth.at(-1)?.msPer100k ?? 0) / (growth[0]?.msPer100k ?? 1);
    const ratio = child.sweepMs / floorMs;
    const rssMb = megabytes(child.peakRssBytes);
    log(
      `goals: ratio ${ratio.toFixed(2)} <= ${goals.ratio} ${pass(ratio <= goals.ratio)}, ` +
        `${rssMb.toFixed(0)} < ${goals.rssMb} MB ${pass(rssMb < goals.rssMb)}; baseline = floor ms`,
    );
    return {
      name: 'sweep',
      ratio,
      figures: {
        sweep_ms: Math.round(child.sweepMs),
        floor_ms: Math.round(floorMs),
        peak_rss_mb: Math.round(rssMb),
        customers: counts.customers,
        orders: counts.orders,
        messages: child.messages,
        ...Object.fromEntries(growth.map((g) => [`ms_per_100k_at_${g.customers}`, Math.round(g.msPer100k)])),
        growth: growthRatio,
      },
      baseline: Math.round(floorMs),
    };
  } finally {
    client.close();
  }
}

type Client = ReturnType<typeof createClient>;

async function timeFloor(client: Client): Promise<{ ms: number; groups: number }> {
  const started = performance.now();
  const result = await client.execute(floorSql);
  const ms = performance.now() - started;
  if (result.rows.length === 0) throw new Error('no purchases');
  return { ms, groups: result.rows.length };
}

/** The aggregate stepped inside SQLite only, for reference: no row crosses into JS. */
async function timeInSqlite(client: Client): Promise<number> {
  const started = performance.now();
  const result = await client.execute(inSqliteSql);
  if (Number(result.rows[0]?.groups) === 0) throw new Error('no purchases');
  return performance.now() - started;
}

async function countRows(client: Client) {
  const one = async (query: string) => Number((await client.execute(query)).rows[0]?.n);
  return {
    customers: await one('SELECT count(*) AS n FROM customers'),
    orders: await one('SELECT count(*) AS n FROM orders'),
    paid: await one(`SELECT count(*) AS n FROM orders WHERE status = 'paid'`),
  };
}

/** Hashes of every 200th customer's address into suppressions (idempotent), as erased customers leave them. */
async function suppressSome(client: Client): Promise<number> {
  const emails = await client.execute(
    `SELECT email FROM customers WHERE email IS NOT NULL AND rowid % 200 = 0 ORDER BY rowid`,
  );
  const hashes = await Promise.all(emails.rows.map((row) => hashEmail(String(row.email))));
  for (let i = 0; i < hashes.length; i += 500) {
    const chunk = hashes.slice(i, i + 500);
    await client.execute({
      sql: `INSERT OR IGNORE INTO suppressions (email_hash, reason, created_at)
        SELECT value, 'bench', ${now} FROM json_each(?)`,
      args: [JSON.stringify(chunk)],
    });
  }
  return hashes.length;
}

/** Records and logs one size's sweep time as ms per 100,000 customers. */
function noteGrowth(growth: { customers: number; msPer100k: number }[], customers: number, ms: number) {
  const msPer100k = (ms / customers) * 100_000;
  growth.push({ customers, msPer100k });
  log(
    `growth: ${customers} customers swept in ${ms.toFixed(0)} ms, ${msPer100k.toFixed(0)} ms per 100,000 customers`,
  );
}

const pass = (ok: boolean) => (ok ? 'ok' : 'MISSED');
