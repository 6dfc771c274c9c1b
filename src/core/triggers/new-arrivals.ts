// New arrivals as a pure rule over one customer: the products first in stock
// within the trigger's `days` (and still in stock) in a category the customer
// bought from or browsed, newer than the newest arrival this campaign already
// told them about, make one message listing up to `max_products` of them,
// newest first, when there are at least `min_products`. One message per batch:
// the batch is named by its newest arrival, so a sweep that finds the same
// arrivals again writes nothing new and a later arrival starts the next batch
// (the campaign's cooldown_days spaces batches per customer). idle_days, when
// set, keeps it to customers whose last purchase is that long ago (the
// audience-send rule's own test). The sweep's SQL gathers the facts
// (src/db/sweeps/new-arrivals-hits.ts) and this decides.
import type { NewArrivalsTrigger } from '../campaigns/types.ts';
import { dayMs, formatInstant } from '../time.ts';
import { idleDaysProblem } from './audience-send.ts';
import { newArrivalsInstance, newArrivalsRef } from './trigger-ref.ts';

export interface Arrival {
  productId: string;
  category: string;
  /** products.first_in_stock_at */
  firstInStockAt: number;
}

/** As known at the sweep's `now`. */
export interface NewArrivalsFacts {
  /** The shop's products in stock now, with a category and a first-in-stock time (any age: the rule picks). */
  arrivals: readonly Arrival[];
  /** Categories of the products the customer bought (paid orders) or viewed, and the categories they viewed. */
  categories: ReadonlySet<string>;
  /** The newest arrival named by this campaign's latest live message to the customer; null for none. */
  toldUpTo: number | null;
  /** The last paid purchase; null for none. */
  lastPurchaseAt: number | null;
}

export type NewArrivalsOutcome =
  | { match: true; instance: string; ref: string; products: string[] }
  /** alreadyMessaged: the newest arrival is the one this campaign last told them about (that batch's message exists). */
  | { match: false; reason: string; alreadyMessaged?: true };

/** Newest first; of two arrivals at the same time, the smaller product id first. */
export function byNewestArrival(a: Arrival, b: Arrival): number {
  return (
    b.firstInStockAt - a.firstInStockAt ||
    (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0)
  );
}

/** The oldest first-in-stock time that still counts as new at `now`. */
export function arrivalsSince(trigger: Pick<NewArrivalsTrigger, 'days'>, now: number): number {
  return now - trigger.days * dayMs;
}

export function matchNewArrivals(
  trigger: Pick<NewArrivalsTrigger, 'days' | 'minProducts' | 'maxProducts' | 'idleDays'>,
  facts: NewArrivalsFacts,
  now: number,
): NewArrivalsOutcome {
  const idle = idleDaysProblem(trigger.idleDays, facts.lastPurchaseAt, now, 'now');
  if (idle) return { match: false, reason: idle };
  if (facts.categories.size === 0) return { match: false, reason: 'bought and browsed no category' };
  const since = arrivalsSince(trigger, now);
  const theirs = facts.arrivals.filter(
    (a) => a.firstInStockAt >= since && a.firstInStockAt <= now && facts.categories.has(a.category),
  );
  const told = facts.toldUpTo;
  if (told !== null && theirs.length > 0 && Math.max(...theirs.map((a) => a.firstInStockAt)) === told)
    return { match: false, reason: 'already told about the newest of these arrivals', alreadyMessaged: true };
  const fresh = told === null ? theirs : theirs.filter((a) => a.firstInStockAt > told);
  if (fresh.length < trigger.minProducts) {
    const after = told === null ? '' : ` after those told on ${formatInstant(told)}`;
    return {
      match: false,
      reason: `${fresh.length} product(s) new in the last ${trigger.days} days in the customer's categories (${[...facts.categories].sort().join(', ')})${after}; the trigger wants ${trigger.minProducts}`,
    };
  }
  const batch = [...fresh].sort(byNewestArrival).slice(0, trigger.maxProducts);
  const newest = batch[0]!.firstInStockAt;
  const products = batch.map((a) => a.productId);
  return {
    match: true,
    instance: newArrivalsInstance(newest),
    ref: newArrivalsRef(newest, products),
    products,
  };
}
