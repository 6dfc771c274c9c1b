// A report's money, per currency and never added across currencies: exact
// sums, and revenue per recipient mailed versus held out with the incremental
// difference and its interval (stats.ts, revenueDifference). Pure.
import { fromMinorUnits } from '../money.ts';
import { revenueDifference, type Sample } from './stats.ts';
import type { AttributedFact, IncrementalRevenue, Money, RevenuePerRecipient } from './types.ts';

/**
 * Totals per currency, sorted by currency. Added as BigInt: each stored amount
 * is bounded (money-bounds.ts), but a number sum of more than 9,007 orders at
 * the bound would round. `amount` is always exact; `minor` is exact up to 2^53.
 */
export function sumMoney(rows: readonly { currency: string; totalMinor: number }[]): Money[] {
  const sums = new Map<string, bigint>();
  for (const row of rows) {
    sums.set(row.currency, (sums.get(row.currency) ?? 0n) + BigInt(row.totalMinor));
  }
  return [...sums.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([currency, minor]) => ({
      currency,
      minor: Number(minor),
      amount: fromMinorUnits(minor, currency),
    }));
}

/** A mean or a bound in minor units, rounded half away from zero to a whole minor unit. */
export function roundedMoney(currency: string, minor: number): Money {
  const whole = Math.sign(minor) * Math.round(Math.abs(minor));
  const value = whole === 0 ? 0 : whole;
  return { currency, minor: value, amount: fromMinorUnits(value, currency) };
}

export interface GroupSizes {
  mailed: number;
  heldOut: number;
}

/**
 * Per currency any attributed order was in: each group's revenue in it over
 * the group's size, and the difference. `unitOf` names the member an order
 * belongs to (its message for a step, its trigger instance for the campaign),
 * so a member's orders add up before the spread is measured.
 */
export function revenuePerRecipient(
  attributed: readonly AttributedFact[],
  unitOf: (a: AttributedFact) => string,
  sizes: GroupSizes,
): RevenuePerRecipient[] {
  const currencies = [...new Set(attributed.map((a) => a.currency))].sort(compare);
  return currencies.map((currency) => {
    const sample = (group: AttributedFact['group'], size: number): Sample => {
      const perMember = new Map<string, number>();
      for (const a of attributed) {
        if (a.group !== group || a.currency !== currency) continue;
        perMember.set(unitOf(a), (perMember.get(unitOf(a)) ?? 0) + a.totalMinor);
      }
      return { size, values: [...perMember.values()] };
    };
    const result = revenueDifference(sample('mailed', sizes.mailed), sample('held_out', sizes.heldOut));
    const money = (minor: number | null) => (minor === null ? null : roundedMoney(currency, minor));
    const incremental: IncrementalRevenue = result.enough
      ? {
          enough: true,
          difference: roundedMoney(currency, result.difference),
          ci95: {
            low: roundedMoney(currency, result.ci95.low),
            high: roundedMoney(currency, result.ci95.high),
          },
          significant: result.significant,
        }
      : { enough: false, noControlGroup: result.noControlGroup, reason: result.reason };
    return {
      currency,
      mailed: money(result.mailedMean),
      heldOut: sizes.heldOut > 0 ? money(result.holdoutMean) : null,
      incremental,
    };
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One currency's money of a campaign or step, side by side (the CLI's and the dashboard's money tables). */
export interface CurrencyMoney {
  currency: string;
  revenue: Money;
  discount: Money;
  grossRevenue: Money;
  heldOutRevenue: Money;
  perRecipient: RevenuePerRecipient | null;
}

/** Every currency with mailed or held-out revenue, sorted; 0 where a list has none in it. */
export function byCurrency(o: {
  revenue: readonly Money[];
  discount: readonly Money[];
  grossRevenue: readonly Money[];
  heldOutRevenue: readonly Money[];
  revenuePerRecipient: readonly RevenuePerRecipient[];
}): CurrencyMoney[] {
  const currencies = [...new Set([...o.revenue, ...o.heldOutRevenue].map((m) => m.currency))].sort(compare);
  const pick = (list: readonly Money[], currency: string) =>
    list.find((m) => m.currency === currency) ?? roundedMoney(currency, 0);
  return currencies.map((currency) => ({
    currency,
    revenue: pick(o.revenue, currency),
    discount: pick(o.discount, currency),
    grossRevenue: pick(o.grossRevenue, currency),
    heldOutRevenue: pick(o.heldOutRevenue, currency),
    perRecipient: o.revenuePerRecipient.find((p) => p.currency === currency) ?? null,
  }));
}
