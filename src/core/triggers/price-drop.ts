// The price-drop trigger as a pure rule over one recorded drop and one
// customer: the product fell by at least min_percent (tested exactly, in
// integers), the drop is at most max_hours old at the sweep's now, the
// customer viewed it, had it in a cart or joined its waitlist within `days`
// before the drop, has not bought it since, and the product is still in
// stock at no more than the dropped price. One message per customer per drop
// (ref drop<id>); the campaign's cooldown_days spaces drops for one customer.
// The sweep's SQL gathers these facts (src/db/sweeps/price-drop-hits.ts) and
// only prefilters; this decides.
import type { PriceDropTrigger } from '../campaigns/types.ts';
import { moneyView } from '../rendering/format.ts';
import { dayMs, formatInstant, hourMs } from '../time.ts';
import { priceDropRef } from './trigger-ref.ts';

/** One row of price_drops: a product's price fell from one figure to another in one currency. */
export interface PriceDrop {
  id: number;
  productId: string;
  currency: string;
  fromMinor: number;
  toMinor: number;
  at: number;
}

/** The ways a customer shows interest in a product, in the order a tie in time is broken. */
export const interestKinds = ['viewed', 'carted', 'waitlisted'] as const;
export type InterestKind = (typeof interestKinds)[number];

/** A product view, a cart holding the product (its last activity) or a waitlist sign-up (its time). */
export interface Interest {
  kind: InterestKind;
  at: number;
}

/** As known at the sweep's now. */
export interface PriceDropFacts {
  drop: PriceDrop;
  /** The customer's interests in the dropped product; the rule picks the one that counts (latestInterest). */
  interests: readonly Interest[];
  /** The customer's latest paid order holding the product, at or before now; null when none. */
  lastBoughtAt: number | null;
  /** The product as the catalog has it now; null when it is not there. */
  product: { inStock: boolean; currency: string; priceMinor: number } | null;
}

export type PriceDropOutcome =
  | { match: true; instance: string; dueAt: number; interest: Interest }
  | { match: false; reason: string };

/** `100 * (from - to) >= minPercent * from`: whole numbers only, so 10% of 999 is decided exactly. */
export function fellEnough(fromMinor: number, toMinor: number, minPercent: number): boolean {
  return 100 * (fromMinor - toMinor) >= minPercent * fromMinor;
}

/** The fall in whole percent, rounded down: an email never claims more off than there is. */
export function percentFall(fromMinor: number, toMinor: number): number {
  return fromMinor > 0 ? Math.floor((100 * (fromMinor - toMinor)) / fromMinor) : 0;
}

/**
 * The interest that counts for a drop: the latest within `days` before it
 * (both ends inclusive); of two at one millisecond, the first in interestKinds.
 * One after the drop does not count: that customer saw the new price.
 */
export function latestInterest(
  interests: readonly Interest[],
  dropAt: number,
  days: number,
): Interest | null {
  let latest: Interest | null = null;
  for (const interest of interests) {
    if (interest.at < dropAt - days * dayMs || interest.at > dropAt) continue;
    if (
      !latest ||
      interest.at > latest.at ||
      (interest.at === latest.at && interestKinds.indexOf(interest.kind) < interestKinds.indexOf(latest.kind))
    )
      latest = interest;
  }
  return latest;
}

export function matchPriceDrop(
  trigger: Pick<PriceDropTrigger, 'minPercent' | 'days' | 'maxHours'>,
  facts: PriceDropFacts,
  now: number,
): PriceDropOutcome {
  const { drop, product } = facts;
  if (drop.at > now) return { match: false, reason: `${describeDrop(drop)}: after the sweep's now` };
  if (!fellEnough(drop.fromMinor, drop.toMinor, trigger.minPercent))
    return { match: false, reason: `${describeDrop(drop)}: less than min_percent ${trigger.minPercent}` };
  if (now - drop.at > trigger.maxHours * hourMs)
    return { match: false, reason: `${describeDrop(drop)}: more than max_hours ${trigger.maxHours} ago` };
  const interest = latestInterest(facts.interests, drop.at, trigger.days);
  if (!interest)
    return {
      match: false,
      reason: `${describeDrop(drop)}: not viewed, carted or waitlisted in the ${trigger.days} days before it`,
    };
  if (facts.lastBoughtAt !== null && facts.lastBoughtAt >= interest.at)
    return { match: false, reason: `${describeDrop(drop)}: bought since it was ${interest.kind}` };
  if (!product) return { match: false, reason: `${describeDrop(drop)}: the product is not in the catalog` };
  if (!product.inStock) return { match: false, reason: `${describeDrop(drop)}: the product is out of stock` };
  if (!priceHolds(drop, product))
    return { match: false, reason: `${describeDrop(drop)}: the price went back up` };
  return { match: true, instance: priceDropRef(drop.id), dueAt: drop.at, interest };
}

/** The product still sells at the dropped price or less, in the drop's currency (a price in another one is not comparable). */
export function priceHolds(
  drop: Pick<PriceDrop, 'currency' | 'toMinor'>,
  product: { currency: string; priceMinor: number },
): boolean {
  return product.currency.toUpperCase() === drop.currency.toUpperCase() && product.priceMinor <= drop.toMinor;
}

const minuteOf = (at: number) => `${formatInstant(at).slice(0, 16).replace('T', ' ')} UTC`;

/** "product mug fell 25% (£20.00 to £15.00) at 2026-12-07 10:00 UTC", for --explain. */
export function describeDrop(drop: PriceDrop): string {
  const money = (minor: number) => moneyView(minor, drop.currency).display;
  return `product ${drop.productId} fell ${percentFall(drop.fromMinor, drop.toMinor)}% (${money(drop.fromMinor)} to ${money(drop.toMinor)}) at ${minuteOf(drop.at)}`;
}

/** "viewed 2026-12-05 09:00 UTC". */
export function describeInterest(interest: Interest): string {
  return `${interest.kind} ${minuteOf(interest.at)}`;
}
