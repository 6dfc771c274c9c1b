// Per-customer summaries (frequency, recency, age and spend) at a calibration
// end, the only input the BG/NBD and Gamma-Gamma models read. A purchase is a
// distinct purchase day: several orders on one day are one purchase and their
// amounts add up, as Fader, Hardie & Lee count them. Times are whole days
// between purchase days, in the unit asked for, so a customer who first
// bought on the end's own day has T = 0 and one who first bought 272 days
// earlier has T = 272 / 7 = 38.86 weeks (the CDNOW convention, which the
// published parameters were fitted on). Pure; amounts are plain numbers in
// one currency, never added across currencies (the caller picks them).
import { dayMs } from '../time.ts';

export type TimeUnit = 'days' | 'weeks';

export const unitDays: Readonly<Record<TimeUnit, number>> = { days: 1, weeks: 7 };

export interface Purchase {
  customerId: string;
  /** The purchase's instant (ms since the epoch). */
  at: number;
  amount: number;
}

/** One customer's calibration-period history; x, tx and T are what the BG/NBD model reads. */
export interface CustomerSummary {
  customerId: string;
  /** Repeat purchases: distinct purchase days after the first. */
  x: number;
  /** From the first purchase day to the last, in the unit (0 without a repeat). */
  tx: number;
  /** From the first purchase day to the end's day, in the unit. */
  T: number;
  /** The first purchase day's total. */
  firstAmount: number;
  /** The mean of the repeat purchase days' totals (the Gamma-Gamma model's m̄); null without a repeat. */
  repeatMeanAmount: number | null;
}

export interface SummaryOptions {
  /** The calibration end (an instant): purchases after it are left out. */
  end: number;
  unit: TimeUnit;
  /** The day number of an instant; the UTC day by default, a shop's own zone when handed one. */
  dayOf?: (at: number) => number;
}

/** The UTC day number of an instant (days since 1970-01-01, floor). */
export function utcDayNumber(at: number): number {
  return Math.floor(at / dayMs);
}

/** One summary per customer with a purchase by the end, in order of the customers' first appearance. */
export function summarizePurchases(
  purchases: Iterable<Purchase>,
  options: SummaryOptions,
): CustomerSummary[] {
  const dayOf = options.dayOf ?? utcDayNumber;
  const perDay = unitDays[options.unit];
  const endDay = dayOf(options.end);
  const byCustomer = new Map<string, Map<number, number>>();
  for (const { customerId, at, amount } of purchases) {
    if (at > options.end) continue;
    const days = byCustomer.get(customerId) ?? new Map<number, number>();
    byCustomer.set(customerId, days);
    const day = dayOf(at);
    days.set(day, (days.get(day) ?? 0) + amount);
  }
  const summaries: CustomerSummary[] = [];
  for (const [customerId, days] of byCustomer) {
    const ordered = [...days.keys()].sort((a, b) => a - b);
    const first = ordered[0]!;
    const last = ordered[ordered.length - 1]!;
    const x = ordered.length - 1;
    let repeatTotal = 0;
    for (const day of ordered.slice(1)) repeatTotal += days.get(day)!;
    summaries.push({
      customerId,
      x,
      tx: (last - first) / perDay,
      T: (endDay - first) / perDay,
      firstAmount: days.get(first)!,
      repeatMeanAmount: x > 0 ? repeatTotal / x : null,
    });
  }
  return summaries;
}
