// What the demo does after its sweep: three weeks pass. Shoppers keep browsing
// (browsing.ts), on the second day the products people wait for come back in
// stock, and after a week new products arrive, which that day's new-arrivals
// sweep tells the quiet customers who buy or browse in their categories. The cart and stock sweep (browse abandonment too) runs
// hourly while any cart's series can still have a step due (so a cart left
// minutes before the sweep gets its 1-hour reminder, as the shop's own cart
// schedule would send it), then daily; after each the sender drains
// what has come due into the outbox folder (real rendering, tracked links,
// .eml files); then customers behave (opens, clicks, coupon orders, a
// holdout that buys less) up to the demo's end, through the same verbs the
// API and the tracking routes call (simulate.ts), so the report has something
// to measure and measures it as it would for a real shop. A rerun over the same database sends nothing new and, finding
// behaviour already recorded, does not simulate it twice.
import { and, eq, sql } from 'drizzle-orm';
import type { NodeConfig } from '../config/env.ts';
import type { CampaignSet } from '../core/campaigns/types.ts';
import type { ProductRecord } from '../core/ingest/records.ts';
import { dayMs, hourMs } from '../core/time.ts';
import { products } from '../db/schema/index.ts';
import type { Store } from '../db/store.ts';
import { createNodeDelivery } from '../entry/node-delivery.ts';
import { drainOutbox } from '../services/delivery/drain-outbox.ts';
import type { DrainCounts } from '../services/delivery/ports.ts';
import { ingestRecords } from '../services/ingest/ingest-records.ts';
import { runSweep } from '../services/sweep/run-sweep.ts';
import { sweepJobTriggers } from '../services/sweep/sweep-jobs.ts';
import { type BrowsingOptions, recordDemoBrowsing } from './browsing.ts';
import { categories } from './catalog-data.ts';
import { generateProducts } from './products.ts';
import { hashSeed } from './random.ts';
import { type SimulationSummary, simulateBehaviour } from './simulate.ts';

/** How long the demo lets pass between the sweep and the report. */
export const demoWeeks = 3;

export interface Aftermath {
  delivered: Pick<DrainCounts, 'claimed' | 'sent' | 'failed' | 'cancelled'>;
  /** Out-of-stock products with a waitlist that came back on the second day. */
  restocked: number;
  /** New products that arrived after the first week. */
  arrived: number;
  warning: string | undefined;
  /** Null when an earlier run over this database already simulated behaviour. */
  behaviour: SimulationSummary | null;
}

export async function demoAftermath(input: {
  config: NodeConfig;
  store: Store;
  campaigns: CampaignSet;
  sweptAt: number;
  until: number;
  /** Whose views to record as the clock moves (browsing.ts); none without it. */
  browsing?: Omit<BrowsingOptions, 'from' | 'to'> | undefined;
}): Promise<Aftermath> {
  const { config, store, campaigns, sweptAt, until } = input;
  const delivered = { claimed: 0, sent: 0, failed: 0, cancelled: 0 };
  let clock = sweptAt;
  let restocked = 0;
  let arrived = 0;
  let browsedTo = sweptAt;
  const delivery = await createNodeDelivery({ config, store, campaigns, now: () => clock });
  try {
    const restockAt = sweptAt + dayMs + hourMs;
    const arrivalAt = sweptAt + 7 * dayMs + hourMs;
    for (const tick of demoTicks(campaigns, sweptAt, until)) {
      clock = tick;
      if (restocked === 0 && tick >= restockAt) restocked = await restockAwaitedProducts(store, clock);
      const arrivalDay = arrived === 0 && tick >= arrivalAt;
      if (arrivalDay) arrived = await addDemoArrivals(store, clock);
      if (input.browsing) {
        await recordDemoBrowsing(store, campaigns.settings, {
          ...input.browsing,
          from: browsedTo,
          to: clock,
        });
        browsedTo = clock;
      }
      if (tick > sweptAt + hourMs / 2) {
        await runSweep({
          store,
          campaigns,
          now: clock,
          dryRun: false,
          triggerTypes: arrivalDay
            ? [...sweepJobTriggers.cart_stock, 'new_arrivals']
            : sweepJobTriggers.cart_stock,
        });
      }
      const counts = await drainOutbox({ ...delivery.options, limit: Number.MAX_SAFE_INTEGER });
      for (const key of Object.keys(delivered) as (keyof typeof delivered)[]) delivered[key] += counts[key];
    }
  } finally {
    await delivery.close();
  }
  const [events] = await store.db.all<{ n: number }>(sql`select count(*) as n from tracking_events`);
  const behaviour = (events?.n ?? 0) > 0 ? null : await simulateBehaviour(store, { until, campaigns });
  return { delivered, restocked, arrived, warning: delivery.warning, behaviour };
}

/** The ids of the products that arrive after the first week start with this. */
export const newArrivalPrefix = 'prd_new_';

/** How many products arrive after the first week: a few in each of three categories. */
export const demoArrivals = 9;

/**
 * New products, three in each of the first three categories of the
 * catalogue's generator, in stock from `now`. A rerun finds them stored and
 * adds none (ids are fixed), so it reports what is there.
 */
export async function addDemoArrivals(store: Store, now: number): Promise<number> {
  const stored = await store.db.all<{ n: number }>(
    sql`select count(*) as n from products where id like ${`${newArrivalPrefix}%`}`,
  );
  if ((stored[0]?.n ?? 0) > 0) return stored[0]!.n;
  const records: ProductRecord[] = generateProducts(hashSeed('arrivals'), demoArrivals * 4)
    .filter((_, i) => i % categories.length < 3)
    .slice(0, demoArrivals)
    .map((p, i) => ({
      ...p,
      id: `${newArrivalPrefix}${String(i + 1).padStart(2, '0')}`,
      title: `${p.title}, new season`,
      stockQuantity: 40,
      inStock: true,
      createdAt: now,
    }));
  await ingestRecords({ store }, { kind: 'products', records, now });
  return records.length;
}

/**
 * When the demo's clock stops to sweep and send: an hour after the first
 * sweep, then hourly for as long as the longest cart series runs, then once a
 * day (an hour past the first sweep's time of day) to the end.
 */
export function demoTicks(campaigns: CampaignSet, sweptAt: number, until: number): number[] {
  const longest = Math.max(
    0,
    ...campaigns.campaigns
      .filter((c) => c.enabled && c.trigger.type === 'abandoned_cart')
      .map((c) => Math.max(...c.steps.map((step) => step.delayHours))),
  );
  const ticks = [sweptAt + hourMs / 24];
  for (let hour = 1; hour <= longest + 1 && sweptAt + hour * hourMs <= until; hour++) {
    ticks.push(sweptAt + hour * hourMs);
  }
  for (let day = 1; sweptAt + day * dayMs + hourMs <= until; day++) {
    const at = sweptAt + day * dayMs + hourMs;
    if (at > ticks[ticks.length - 1]!) ticks.push(at);
  }
  return ticks;
}

/**
 * Brings every out-of-stock product with a waitlist back, with a few units,
 * through the ingest path. Once per database: a rerun reloads the shop as it
 * stood before, and restocking it again would only flap the products.
 */
async function restockAwaitedProducts(store: Store, now: number): Promise<number> {
  const [done] = await store.db.all<{ n: number }>(sql`select count(*) as n from restocks`);
  if ((done?.n ?? 0) > 0) return 0;
  const rows = await store.db
    .select()
    .from(products)
    .where(
      and(
        eq(products.inStock, false),
        sql`exists (select 1 from waitlist_entries w where w.product_id = ${products.id})`,
      ),
    );
  const records: ProductRecord[] = rows.map((p, i) => ({
    id: p.id,
    title: p.title,
    url: p.url,
    imageUrl: p.imageUrl,
    category: p.category,
    currency: p.currency,
    priceMinor: p.priceMinor,
    // Some come back with fewer units than people wait, so allocation shows.
    stockQuantity: 2 + (i % 4) * 3,
    inStock: true,
  }));
  if (records.length > 0) await ingestRecords({ store }, { kind: 'products', records, now });
  return records.length;
}
