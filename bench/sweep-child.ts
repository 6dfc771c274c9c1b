// The measured half of the sweep benchmark, alone in its process so its peak
// memory is its own: empties the outbox and coupons, records the demo's
// browsing of the two days before `now`, adds the demo's nine new arrivals
// three days before it and five price drops a day before it (not timed),
// then times a dry sweep and a real one over the shipped campaigns' dormant,
// browse-abandonment, new-arrivals, replenishment and price-drop triggers
// (dormant decided in SQL, the others in JS; the real one writes messages;
// their coupons are issued when they are sent, so none here).
// Prints one JSON line.
// Usage: sweep-child.ts DATABASE_PATH NOW_MS
import { sql } from 'drizzle-orm';
import { loadCampaigns } from '../src/config/campaign-loader.ts';
import { dayMs } from '../src/core/time.ts';
import { openLibsqlStore } from '../src/db/libsql.ts';
import { currentProducts } from '../src/db/repositories/current-records.ts';
import { fillCustomerHashes } from '../src/db/sweeps/customer-hashes.ts';
import { addDemoArrivals, newArrivalPrefix } from '../src/demo/aftermath.ts';
import { recordDemoBrowsing } from '../src/demo/browsing.ts';
import { demoDefaults } from '../src/demo/shop.ts';
import { ingestRecords } from '../src/services/ingest/ingest-records.ts';
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
// The demo's new arrivals (nine products in three categories), arrived three days before the sweep.
await store.db.run(sql`DELETE FROM products WHERE id LIKE ${`${newArrivalPrefix}%`}`);
const arrivals = await addDemoArrivals(store, now - 3 * dayMs);
log(`new arrivals: ${arrivals} products (three days before the sweep)`);
// Five products a fifth cheaper a day before the sweep (price drops for the
// price-drop campaign), from the same price every run.
const dropped = ['prd_0001', 'prd_0002', 'prd_0003', 'prd_0004', 'prd_0005'];
await store.db.run(sql`DELETE FROM price_drops`);
await store.db.run(
  sql`UPDATE products SET price_minor = 2500, in_stock = 1, stock_quantity = 50 WHERE id IN (SELECT value FROM json_each(${JSON.stringify(dropped)}))`,
);
const before = await currentProducts(store, dropped);
await ingestRecords(
  { store },
  {
    kind: 'products',
    records: [...before.values()].map((p) => ({ ...p, priceMinor: 2000 })),
    now: now - dayMs,
  },
);
log(`price drops: ${dropped.length} products, 25.00 to 20.00 (a day before the sweep)`);
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
    triggerTypes: ['dormant', 'browse_abandonment', 'new_arrivals', 'replenishment', 'price_drop'],
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
