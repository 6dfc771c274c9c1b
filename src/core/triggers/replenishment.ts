// Replenishment as a pure rule over one customer's latest paid purchase of
// one product: the product's interval N (its replenish_days, else the median
// re-buy interval the shop's customers show for it) less days_before after
// the purchase, and no more than max_days_late past N, the product still in
// the catalog and in stock. One message per latest purchase: buying the
// product again makes a new latest purchase, so a new instance, and stops
// the old one (delivery cancels it as 'rebought'). The sweep's SQL
// (src/db/sweeps/replenishment-hits.ts) learns the intervals and gathers the
// purchases; this decides. learnIntervals and medianReplenishDays are the
// oracle the SQL's median is tested against.
import type { ReplenishmentTrigger } from '../campaigns/types.ts';
import { dayMs, utcDay } from '../time.ts';
import { replenishRef } from './trigger-ref.ts';

/** The UTC day number of an instant (days since 1970-01-01; floor, so before 1970 too). */
export function purchaseDay(at: number): number {
  return Math.floor(at / dayMs);
}

/** The gaps in days between consecutive distinct purchase days of one product by one customer. */
export function rebuyGaps(purchasedAt: readonly number[]): number[] {
  const days = [...new Set(purchasedAt.map(purchaseDay))].sort((a, b) => a - b);
  return days.slice(1).map((day, i) => day - days[i]!);
}

/**
 * The one median rule: the middle gap, and of an even count the lower of the
 * two middle ones (a whole number of days some customer really waited, and
 * the earlier reminder of the two). Null without gaps.
 */
export function medianReplenishDays(gapsDays: readonly number[]): number | null {
  if (gapsDays.length === 0) return null;
  const sorted = [...gapsDays].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** What the shop's re-buys say about one product: the median gap and how many gaps it is taken over. */
export interface LearnedInterval {
  medianDays: number;
  intervals: number;
}

export interface Purchase {
  customerId: string;
  productId: string;
  at: number;
}

/** Per product: the median over every customer's re-buy gaps of it (products without a gap are left out). */
export function learnIntervals(purchases: readonly Purchase[]): Map<string, LearnedInterval> {
  const times = new Map<string, Map<string, number[]>>();
  for (const { customerId, productId, at } of purchases) {
    const byCustomer = times.get(productId) ?? new Map<string, number[]>();
    times.set(productId, byCustomer);
    byCustomer.set(customerId, [...(byCustomer.get(customerId) ?? []), at]);
  }
  const learned = new Map<string, LearnedInterval>();
  for (const [productId, byCustomer] of times) {
    const gaps = [...byCustomer.values()].flatMap(rebuyGaps);
    const medianDays = medianReplenishDays(gaps);
    if (medianDays !== null) learned.set(productId, { medianDays, intervals: gaps.length });
  }
  return learned;
}

export type ReplenishInterval =
  | { days: number; source: 'product' }
  | { days: number; source: 'learned'; intervals: number };

/**
 * A product's interval: its replenish_days wins; else the learned median,
 * when learning is on and it is taken over at least learn.min_intervals gaps;
 * else none (the product is not mailed).
 */
export function replenishInterval(
  product: { replenishDays: number | null },
  learned: LearnedInterval | null | undefined,
  learn: ReplenishmentTrigger['learn'],
): ReplenishInterval | null {
  if (product.replenishDays !== null) return { days: product.replenishDays, source: 'product' };
  if (learn === null || !learned || learned.intervals < learn.minIntervals) return null;
  return { days: learned.medianDays, source: 'learned', intervals: learned.intervals };
}

/** Where an interval came from, for --explain. */
export function describeInterval(interval: ReplenishInterval): string {
  return interval.source === 'product'
    ? `replenish_days ${interval.days} from the product`
    : `learned: median ${interval.days} days from ${interval.intervals} re-buy interval${interval.intervals === 1 ? '' : 's'}`;
}

/**
 * Days after the purchase the reminder is due (never sooner than one day
 * after it, however large days_before is) and the last day after it that it
 * may still go, for an interval of `days`. The SQL's window uses these.
 */
export function replenishDelays(
  trigger: Pick<ReplenishmentTrigger, 'daysBefore' | 'maxDaysLate'>,
  days: number,
): { dueDays: number; lastDays: number } {
  return { dueDays: Math.max(days - trigger.daysBefore, 1), lastDays: days + trigger.maxDaysLate };
}

export interface ReplenishmentFacts {
  productId: string;
  /** The customer's latest paid purchase of the product at or before the sweep's now. */
  boughtAt: number;
  /** The product's category; null when it has none or the catalog does not have it. */
  category: string | null;
  /** The product's stock now; null when the catalog does not have it. */
  productInStock: boolean | null;
  /** The product's own interval; null when it gives none. */
  replenishDays: number | null;
  /** What the shop's re-buys of it say; null when nobody bought it twice. */
  learned: LearnedInterval | null;
}

export type ReplenishmentMatch = {
  match: true;
  dueAt: number;
  /** The last instant the reminder may still go. */
  lastAt: number;
  instance: string;
  productId: string;
  boughtAt: number;
  interval: ReplenishInterval;
};

export type ReplenishmentOutcome = ReplenishmentMatch | { match: false; reason: string };

type Rule = Pick<ReplenishmentTrigger, 'daysBefore' | 'maxDaysLate' | 'learn' | 'categories'>;

export function matchReplenishment(
  trigger: Rule,
  facts: ReplenishmentFacts,
  now: number,
): ReplenishmentOutcome {
  const { productId, boughtAt } = facts;
  const bought = `product ${productId} bought ${utcDay(boughtAt)}`;
  if (
    trigger.categories !== null &&
    (facts.category === null || !trigger.categories.includes(facts.category))
  )
    return { match: false, reason: `${bought}: not in categories ${trigger.categories.join(', ')}` };
  if (facts.productInStock === null) return { match: false, reason: `${bought}: not in the catalog` };
  const interval = replenishInterval(facts, facts.learned, trigger.learn);
  if (!interval) {
    const why =
      trigger.learn === null
        ? 'learning is off (learn: false)'
        : `${facts.learned?.intervals ?? 0} re-buy interval(s) seen, learn.min_intervals is ${trigger.learn.minIntervals}`;
    return { match: false, reason: `${bought}: no replenish_days and ${why}` };
  }
  const { dueDays, lastDays } = replenishDelays(trigger, interval.days);
  const dueAt = boughtAt + dueDays * dayMs;
  const lastAt = boughtAt + lastDays * dayMs;
  const every = `every ${interval.days} days (${describeInterval(interval)})`;
  if (now < dueAt) return { match: false, reason: `${bought}, ${every}: due ${utcDay(dueAt)}` };
  if (now > lastAt)
    return {
      match: false,
      reason: `${bought}, ${every}: past max_days_late ${trigger.maxDaysLate} since ${utcDay(lastAt)}`,
    };
  if (!facts.productInStock) return { match: false, reason: `${bought}: out of stock` };
  return {
    match: true,
    dueAt,
    lastAt,
    instance: replenishRef(productId, boughtAt),
    productId,
    boughtAt,
    interval,
  };
}

/** The customer's latest purchase of each product (purchases of one customer). */
export function latestPurchases(purchases: readonly Omit<Purchase, 'customerId'>[]): Map<string, number> {
  const latest = new Map<string, number>();
  for (const { productId, at } of purchases) latest.set(productId, Math.max(at, latest.get(productId) ?? at));
  return latest;
}

/**
 * One message per customer per sweep: of the products due, the earliest due
 * (of two due together, the smaller product id). The others come in later
 * sweeps, while max_days_late allows and as the campaign's cooldown_days
 * spaces them.
 */
export function earliestDue(matches: readonly ReplenishmentMatch[]): ReplenishmentMatch | null {
  let first: ReplenishmentMatch | null = null;
  for (const m of matches) {
    if (!first || m.dueAt < first.dueAt || (m.dueAt === first.dueAt && m.productId < first.productId))
      first = m;
  }
  return first;
}

/** The facts behind a match, for --explain: the purchase, the interval and where it came from, the window. */
export function replenishmentFacts(
  trigger: Pick<ReplenishmentTrigger, 'daysBefore' | 'maxDaysLate'>,
  match: ReplenishmentMatch,
): string[] {
  return [
    `product ${match.productId} bought ${utcDay(match.boughtAt)}`,
    `interval ${match.interval.days} days (${describeInterval(match.interval)})`,
    `due ${utcDay(match.dueAt)} (days_before ${trigger.daysBefore}), mailed until ${utcDay(match.lastAt)} (max_days_late ${trigger.maxDaysLate})`,
  ];
}
