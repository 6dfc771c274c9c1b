// rekindle demo: the whole reactivation job on a believable, reproducible shop.
// It loads the shop as it stood three weeks before `now` (products, customers,
// two years of orders, carts, waitlists), sweeps it once with the campaigns
// folder and shows whom the rules chose and why; then sends what comes due
// into .eml files, simulates how customers respond, and prints the report.
// Loading again changes nothing (the second sweep finds everyone already
// messaged), and a rerun says first what it kept from the earlier one;
// --reset starts over, deleting only the file DATABASE_URL names and the .eml
// files in OUTBOX_DIR.
import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { dayMs } from '../core/time.ts';
import type { Store } from '../db/store.ts';
import { type Aftermath, demoAftermath, demoWeeks } from '../demo/aftermath.ts';
import { recordDemoBrowsing } from '../demo/browsing.ts';
import { type LoadProgress, loadDemoShop } from '../demo/load.ts';
import { demoDefaults } from '../demo/shop.ts';
import { type ShopSummary, segmentRules, summarizeShop } from '../demo/summary.ts';
import { type DemoSweep, sweepDemoShop } from '../demo/sweep.ts';
import { buildCampaignReports } from '../services/reports/build-campaign-report.ts';
import { sweepReportJson, sweepTableFootnote, sweepTableRow } from '../services/sweep/sweep-report-json.ts';
import { parseNowOption } from './args.ts';
import { loadCampaignSetFor } from './campaign-set.ts';
import { type CliIO, type Command, printJson, printTable, UsageError } from './io.ts';
import { redactUrl } from './migrate.ts';
import { printReports } from './report.ts';

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
  const now = parseNowOption(values.now, io);
  const seed = values.seed ?? demoDefaults.seed;
  // Checked before anything is written: a broken campaign file should not cost a load.
  // Checked before anything is written: a broken campaign file should not cost a load.
  const set = await loadCampaignSetFor(io, 'nothing loaded; fix it and run the demo again');
  if (!set) return 1;
  const outbox = resolve(io.config.OUTBOX_DIR);
  const cleared = values.reset ? await resetDemo(io.config.DATABASE_URL, outbox) : null;
  const store = await io.openStore();
  try {
    // What an earlier run left, said up front: this run adds to it.
    const kept = cleared ? null : await earlierRun(store, outbox);
    const started = performance.now();
    // The shop is as it was `demoWeeks` before `now`; the sweep runs then, and
    // the weeks up to `now` are for sending and for customers to respond.
    const sweptAt = now - demoWeeks * 7 * dayMs;
    await loadDemoShop(
      store,
      { now: sweptAt, seed, customers },
      io.interactive ? drawProgress(io) : undefined,
    );
    if (io.interactive) io.stderr.write('\n');
    // The two days of browsing before the sweep, so its browse-abandonment campaign has views to follow up.
    const browsing = { seed, customers, products: demoDefaults.products };
    await recordDemoBrowsing(store, set.settings, { ...browsing, from: sweptAt - 2 * dayMs, to: sweptAt });
    const summary = await summarizeShop(store, sweptAt);
    const sweep = await sweepDemoShop(store, set, sweptAt);
    if (io.interactive) io.stderr.write('sending and simulating three weeks of behaviour...\n');
    const after = await demoAftermath({
      config: io.config,
      store,
      campaigns: set,
      sweptAt,
      until: now,
      browsing,
    });
    const reports = await buildCampaignReports({ store }, { campaigns: set, now });
    const seconds = (performance.now() - started) / 1000;
    const dashboard = `${io.config.PUBLIC_BASE_URL}/dashboard`;
    const database = redactUrl(io.config.DATABASE_URL);
    if (values.json) {
      printJson(io, {
        database,
        generated: { seed, now: new Date(now).toISOString(), customers },
        kept,
        reset: cleared,
        seconds: Math.round(seconds * 10) / 10,
        ...summary,
        sweep: { ...sweepReportJson(sweep.result), picks: sweep.picks },
        restocked: after.restocked,
        arrived: after.arrived,
        delivery: { ...after.delivered, outbox },
        behaviour: after.behaviour,
        reports: reports.map(({ daily: _daily, ...rest }) => rest),
        dashboard,
      });
    } else {
      io.stdout.write(
        `demo shop (seed '${seed}', now ${new Date(now).toISOString()}) in ${database}, ${seconds.toFixed(1)} s\n\n`,
      );
      if (kept) {
        io.stdout.write(
          `kept: ${database} already held a demo from an earlier run (${kept.messages} messages, ${kept.eml_files} .eml files in ${outbox}); this run adds to it, so the figures below include the earlier run's. --reset starts over.\n\n`,
        );
      }
      if (cleared)
        io.stdout.write(`reset: started over (deleted the database and ${cleared.eml_files} .eml files)\n\n`);
      printSummary(io, summary);
      printSweep(io, sweep);
      printAftermath(io, after, outbox, kept !== null);
      io.stdout.write(
        `\nresults at ${new Date(now).toISOString()}, per campaign (rekindle report --json for all figures)\n\n`,
      );
      printReports(io, reports, false);
      io.stdout.write(
        `\ndashboard: ${dashboard} (run \`rekindle serve\`, sign in with a key from \`rekindle keys create --scopes reports\`)\n`,
      );
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

/** --reset: the database file and the .eml files an earlier run wrote; nothing else. */
async function resetDemo(url: string, outbox: string): Promise<{ eml_files: number }> {
  await resetDatabase(url);
  const eml = await emlFiles(outbox);
  for (const name of eml) await rm(join(outbox, name), { force: true });
  return { eml_files: eml.length };
}

async function emlFiles(outbox: string): Promise<string[]> {
  const names = await readdir(outbox).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith('.eml'));
}

/** What an earlier run left in this database and outbox, or null on a fresh one. */
async function earlierRun(
  store: Store,
  outbox: string,
): Promise<{ messages: number; eml_files: number } | null> {
  const [row] = await store.db.all<{ n: number }>(sql`select count(*) as n from messages`);
  const messages = Number(row?.n ?? 0);
  return messages === 0 ? null : { messages, eml_files: (await emlFiles(outbox)).length };
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

function printAftermath(io: CliIO, after: Aftermath, outbox: string, rerun: boolean): void {
  const d = after.delivered;
  const restocked =
    after.restocked === 0 && rerun
      ? 'no awaited products are left to come back (the earlier run restocked them)'
      : `${after.restocked} awaited products come back in stock on day 2`;
  io.stdout.write(
    `\nthree weeks pass: ${restocked}; ${after.arrived} new products arrive on day 8 (that day's new-arrivals sweep tells quiet customers who buy or browse in their categories); shoppers browse (product views through the browse verb); the cart, stock and browse sweep runs hourly while cart reminders are due, then daily\n`,
  );
  io.stdout.write(
    `sent ${d.sent} emails over ${demoWeeks} weeks (${d.cancelled} cancelled before sending, ${d.failed} failed) as .eml files in ${outbox}\n`,
  );
  if (after.warning) io.stdout.write(`  note: ${after.warning}\n`);
  const b = after.behaviour;
  io.stdout.write(
    b
      ? `simulated: ${b.opens} opens (${b.proxyOpens} by privacy proxies), ${b.clicks} clicks, ${b.unsubscribes} unsubscribes, ${b.couponOrders} coupon orders, ${b.influencedOrders} other orders after an email, ${b.heldOutOrders} orders in the holdout\n`
      : 'behaviour was simulated by an earlier run over this database (use --reset to start again)\n',
  );
}

function printSweep(io: CliIO, { result, picks }: DemoSweep): void {
  io.stdout.write(
    `sweep at ${new Date(result.now).toISOString()}: per campaign, the trigger's hits and the rule that ended each one\n\n`,
  );
  printTable(io, result.campaigns.map(sweepTableRow));
  io.stdout.write(`${sweepTableFootnote}\n`);
  io.stdout.write('\n');
  for (const report of result.campaigns) {
    const chosen = picks.filter((p) => p.campaign_id === report.campaignId);
    const already = report.skipped.alreadyMessaged;
    const excluded = Object.entries(report.excluded)
      .map(([rule, n]) => `${n} by ${rule}`)
      .join(', ');
    io.stdout.write(
      `${report.campaignId}: ${report.scheduled} to mail, ${report.heldOut} held out as control${excluded ? `, excluded ${excluded}` : ''}${already ? `, ${already} already messaged` : ''}\n`,
    );
    for (const p of chosen) {
      const what =
        p.status === 'held_out' ? 'held out (control group)' : `step ${p.step + 1} due ${p.due_at}`;
      io.stdout.write(`  customer ${p.customer_id ?? '(guest)'}: ${what}\n`);
    }
  }
  io.stdout.write(
    '\nrekindle sweep --explain CUSTOMER_ID tells why a customer did or did not get each campaign.\n',
  );
}
