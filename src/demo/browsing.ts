// Shoppers looking around the demo shop: each hour a few customers visit and
// view one to three products (now and then a category first), as the shop's
// pages would post them to POST /v1/events/browse. A pure function of the
// shop seed and the hour, so the views of one hour are the same however the
// demo's clock steps through it, and a rerun records nothing new.
import type { ShopSettings } from '../core/campaigns/types.ts';
import { hourMs, minuteMs } from '../core/time.ts';
import { type BrowseEvent, browseKinds, defaultBrowseRetentionDays } from '../core/tracking/browse-events.ts';
import type { Store } from '../db/store.ts';
import { recordBrowseEvents } from '../services/tracking/record-browse.ts';
import { categories } from './catalog-data.ts';
import { customerId } from './customers.ts';
import { productId } from './products.ts';
import { deriveSeed, hashSeed, Rng } from './random.ts';

/** Visits per customer per hour: about one customer in 80 a day. */
const visitsPerCustomerHour = 0.0005;

export interface BrowsingOptions {
  seed: string;
  customers: number;
  products: number;
  /** The views of the whole hours that start in [from, to). */
  from: number;
  to: number;
}

export function demoBrowsing(options: BrowsingOptions): BrowseEvent[] {
  const shopSeed = hashSeed(options.seed);
  const events: BrowseEvent[] = [];
  if (options.customers === 0 || options.products === 0) return events;
  const visits = options.customers * visitsPerCustomerHour;
  for (let hour = Math.ceil(options.from / hourMs); hour * hourMs < options.to; hour++) {
    const rng = new Rng(deriveSeed(shopSeed, 30, hour));
    // A whole number of visits around the mean: the fraction decides one more.
    const count = Math.floor(visits) + (rng.chance(visits % 1) ? 1 : 0);
    for (let visit = 0; visit < count; visit++) {
      const shopper = { customerId: customerId(rng.int(0, options.customers - 1)) };
      let at = hour * hourMs + rng.int(0, 50) * minuteMs;
      if (rng.chance(0.3)) {
        events.push({ shopper, kind: browseKinds.category_viewed, ref: rng.pick(categories).name, at });
        at += minuteMs;
      }
      for (let view = rng.int(1, 3); view > 0; view--) {
        events.push({
          shopper,
          kind: browseKinds.product_viewed,
          ref: productId(rng.int(0, options.products - 1)),
          at,
        });
        at += rng.int(1, 4) * minuteMs;
      }
    }
  }
  return events;
}

/** Records the views of [from, to) through the browse verb, as the shop's pages would post them by `to`. */
export async function recordDemoBrowsing(
  store: Store,
  settings: ShopSettings,
  options: BrowsingOptions,
): Promise<number> {
  const events = demoBrowsing(options);
  if (events.length === 0) return 0;
  const retentionDays = settings.browse?.retentionDays ?? defaultBrowseRetentionDays;
  const result = await recordBrowseEvents({ store }, { events, now: options.to, retentionDays });
  return result.stored;
}
