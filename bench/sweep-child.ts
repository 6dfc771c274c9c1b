// The measured half of the sweep benchmark, alone in its process so its peak
// memory is its own: empties the outbox and coupons and records the demo's
// browsing of the two days before `now` (not timed), then times a dry sweep
// and a real one over the shipped campaigns' dormant and browse-abandonment
// triggers (dormant decided in SQL, browse abandonment in JS before it; the
// real one writes messages; their coupons are issued when they are sent, so
// none here). Prints one JSON line.
// Usage: sweep-child.ts DATABASE_PATH NOW_MS
import { sql } from 'drizzle-orm';
import { loadCampaigns } from '../src/config/campaign-loader.ts';
import { dayMs } from '../src/core/time.ts';
import { openLibsqlStore } from '../src/db/libsql.ts';
import { fillCustomerHashes } from '../src/db/sweeps/customer-hashes.ts';
import { recordDemoBrowsing } from '../src/demo/browsing.ts';
import { demoDefaults } from '../src/demo/shop.ts';
import { runSweep, type SweepResult } from '../src/services/sweep/run-sweep.ts';
import { endStatus, log, status } from './support/log.ts';
import { peakRssFromProc, sampleRss } from './support/memory.ts';

const [path, nowText] = process.argv.slice(2);
if (!path || !nowText) throw new Error('usage: sweep-child.ts DATABASE_PATH NOW_MS');
const now = Number(nowText);
const root = new URL('..', import.meta.url).pathname;

const loaded = await loadCampaigns({ dir: `${root}campaigns`, emailsDir: `${root}emails` });
if (!loaded.ok) throw new Error(`campaigns do not validate: ${JSON.stringify(loaded.errors)}`);
const campaigns = loaded.set;

const store = await openLibsqlStore({ url: `file:${path}` });
// A fresh outbox (and any coupons from before coupons were issued at send) each run, so every run writes the same rows.
await store.db.run(sql`DELETE FROM coupons`);
await store.db.run(sql`DELETE FROM messages`);
// The hashes a sweep deciding in SQL reads are filled once per customer, by
// the first real sweep that meets them; filled here untimed, so the first run
// over a freshly generated shop measures the same as every later one.
const fillStarted = performance.now();
const filled = await fillCustomerHashes(store);
if (filled > 0)
  log(
    `customer hashes filled for ${filled} customers in ${(performance.now() - fillStarted).toFixed(0)} ms (once)`,
  );
// The shop's visitors of the last two days, as the demo records them (browsing.ts), the same every run.
await store.db.run(sql`DELETE FROM browse_events`);
const [shop] = await store.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM customers`);
const views = await recordDemoBrowsing(store, campaigns.settings, {
  seed: 'bench',
  customers: shop?.n ?? 0,
  products: demoDefaults.products,
  from: now - 2 * dayMs,
  to: now,
});
log(`browse events: ${views} (the two days before the sweep)`);
await store.db.run(sql`PRAGMA wal_checkpoint(TRUNCATE)`);

const rssBeforeBytes = process.memoryUsage().rss;
const sampler = sampleRss();
const sweep = async (dryRun: boolean): Promise<{ ms: number; result: SweepResult }> => {
  const started = performance.now();
  const result = await runSweep({
    store,
    campaigns,
    now,
    dryRun,
    triggerTypes: ['dormant', 'browse_abandonment'],
    onProgress: (id, report) =>
      status(`${dryRun ? 'dry' : 'real'} ${id}: ${report.eligible.toLocaleString('en')} eligible`),
  });
  endStatus();
  return { ms: performance.now() - started, result };
};
const dry = await sweep(true);
log(`dry run: ${dry.ms.toFixed(0)} ms ${JSON.stringify(dry.result.campaigns)}`);
const real = await sweep(false);
log(`real sweep: ${real.ms.toFixed(0)} ms ${JSON.stringify(real.result.campaigns)}`);
const sampledPeak = sampler.stop();
const [row] = await store.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM messages`);
await store.close();
process.stdout.write(
  `${JSON.stringify({
    dryMs: dry.ms,
    sweepMs: real.ms,
    messages: row?.n ?? 0,
    campaigns: real.result.campaigns.map((c) => c.campaignId),
    peakRssBytes: peakRssFromProc() ?? sampledPeak,
    rssBeforeBytes,
  })}\n`,
);
