// rekindle demo: fills the database with a believable, reproducible shop
// (products, customers, two years of orders, carts, waitlists) and says what it
// stored. Loading again changes nothing; --reset starts from an empty file and
// never deletes anything but the file DATABASE_URL names.
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseInstant } from '../core/time.ts';
import { type LoadProgress, loadDemoShop } from '../demo/load.ts';
import { demoDefaults } from '../demo/shop.ts';
import { type ShopSummary, segmentRules, summarizeShop } from '../demo/summary.ts';
import { type CliIO, type Command, printJson, printTable, UsageError } from './io.ts';
import { redactUrl } from './migrate.ts';

const maxCustomers = 10_000_000;

export const demoCommand: Command = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      customers: { type: 'string' },
      seed: { type: 'string' },
      now: { type: 'string' },
      reset: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const customers = parseCustomers(values.customers);
  const now = parseNow(values.now, io);
  const seed = values.seed ?? demoDefaults.seed;
  if (values.reset) await resetDatabase(io.config.DATABASE_URL);
  const store = await io.openStore();
  try {
    const started = performance.now();
    await loadDemoShop(store, { now, seed, customers }, io.interactive ? drawProgress(io) : undefined);
    if (io.interactive) io.stderr.write('\n');
    const summary = await summarizeShop(store, now);
    const seconds = (performance.now() - started) / 1000;
    const database = redactUrl(io.config.DATABASE_URL);
    if (values.json) {
      printJson(io, {
        database,
        generated: { seed, now: new Date(now).toISOString(), customers },
        seconds: Math.round(seconds * 10) / 10,
        ...summary,
      });
    } else {
      io.stdout.write(
        `demo shop (seed '${seed}', now ${new Date(now).toISOString()}) in ${database}, ${seconds.toFixed(1)} s\n\n`,
      );
      printSummary(io, summary);
    }
    return 0;
  } finally {
    await store.close();
  }
};

function parseCustomers(text: string | undefined): number {
  if (text === undefined) return demoDefaults.customers;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value > maxCustomers) {
    throw new UsageError(`--customers must be a whole number from 0 to ${maxCustomers}, got '${text}'`);
  }
  return value;
}

function parseNow(text: string | undefined, io: CliIO): number {
  if (text === undefined) return io.now();
  const parsed = parseInstant(text);
  if (!parsed.ok) throw new UsageError(`--now: ${parsed.reason}`);
  return parsed.value;
}

async function resetDatabase(url: string): Promise<void> {
  if (!url.startsWith('file:')) {
    throw new UsageError(`--reset only deletes a local file database; DATABASE_URL is ${redactUrl(url)}`);
  }
  const path = url.slice('file:'.length).split('?')[0]!;
  if (path === '' || path.includes(':memory:')) throw new UsageError(`--reset: '${url}' names no file`);
  // SQLite's sidecar files belong to the database; a stale WAL would replay into the new file.
  for (const suffix of ['', '-wal', '-shm', '-journal']) await rm(`${path}${suffix}`, { force: true });
}

function drawProgress(io: CliIO): (progress: LoadProgress) => void {
  return (p) => {
    const percent = p.customersTotal === 0 ? 100 : Math.floor((p.customersDone / p.customersTotal) * 100);
    io.stderr.write(
      `\rloading demo shop: ${p.customersDone.toLocaleString('en')} / ${p.customersTotal.toLocaleString('en')} customers (${percent}%), ${p.records.orders.toLocaleString('en')} orders`,
    );
  };
}

function printSummary(io: CliIO, s: ShopSummary): void {
  printTable(
    io,
    Object.entries(s.tables).map(([table, rows]) => ({ table, rows })),
  );
  const day = (iso: string | null) => iso?.slice(0, 10) ?? '-';
  const { dormantDays, overdueFactor, loyalMinOrders, loyalWithinDays } = segmentRules;
  const c = s.openCarts;
  io.stdout.write(
    [
      '',
      `orders placed ${day(s.orders.first)} to ${day(s.orders.last)}: ${s.orders.paid} paid, ${s.orders.cancelled} cancelled, ${s.orders.refunded} refunded, ${s.orders.test} test`,
      `customers who bought: ${s.customers.buyers}`,
      `  dormant (last purchase > ${dormantDays} days ago): ${s.customers.dormant}`,
      `  overdue (idle > ${overdueFactor}x their usual gap): ${s.customers.overdue}`,
      `  loyal (${loyalMinOrders}+ purchases, last within ${loyalWithinDays} days): ${s.customers.loyal}`,
      `open carts: ${c.total} (idle < 1 h: ${c.under1h}, 1-24 h: ${c.from1hTo24h}, 24-72 h: ${c.from24hTo72h}, > 72 h: ${c.over72h})`,
      `out-of-stock products: ${s.outOfStock.products}, ${s.outOfStock.withWaitlist} with a waitlist (${s.outOfStock.waitlistEntries} sign-ups)`,
      '',
    ].join('\n'),
  );
}
