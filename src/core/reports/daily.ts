// A report's days, in the shop's time zone: the quarter-hour counts SQL hands
// in and the attributed orders put in their zoned day; every day of a span
// for charts (days without activity as zeros); and revenue per day as one
// series per currency, so no chart adds two currencies. Pure.
import { addDays, zonedDay } from '../time.ts';
import { roundedMoney, sumMoney } from './revenue.ts';
import type { AttributedFact, DailyFacts, DayReport, Money } from './types.ts';

/** The campaign's days with activity, in order. */
export function dailyReport(
  counts: readonly DailyFacts[],
  attributed: readonly AttributedFact[],
  timeZone: string,
): DayReport[] {
  const days = new Map<string, DayReport & { orders: AttributedFact[] }>();
  const entry = (key: string) => {
    let found = days.get(key);
    if (!found) {
      found = { ...emptyDay(key), orders: [] };
      days.set(key, found);
    }
    return found;
  };
  for (const row of counts) {
    const day = entry(zonedDay(row.at, timeZone));
    day.sends += row.sends;
    day.opens += row.opens;
    day.clicks += row.clicks;
  }
  for (const order of attributed) {
    if (order.group !== 'mailed') continue;
    const day = entry(zonedDay(order.placedAt, timeZone));
    if (order.kind === 'redeemed') day.redemptions++;
    day.orders.push(order);
  }
  return [...days.values()]
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
    .map(({ orders, ...day }) => ({ ...day, revenue: sumMoney(orders) }));
}

function emptyDay(day: string): DayReport {
  return { day, sends: 0, opens: 0, clicks: 0, redemptions: 0, revenue: [] };
}

/**
 * Every calendar day from `from` (or the first active day) to the later of
 * `to` and the last active day, so a chart's x axis is time. Activity after
 * `to` belongs to the range's messages (a cohort), so it is kept.
 */
export function everyDay(
  daily: readonly DayReport[],
  span: { from: string | null; to: string | null } = { from: null, to: null },
): DayReport[] {
  const firstActive = daily[0]?.day;
  const lastActive = daily.at(-1)?.day;
  const first = span.from ?? firstActive;
  const lastCandidates = [span.to, lastActive].filter((d): d is string => d !== null && d !== undefined);
  const last = lastCandidates.sort().at(-1);
  if (first === undefined || last === undefined) return [];
  const byDay = new Map(daily.map((d) => [d.day, d]));
  const out: DayReport[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) out.push(byDay.get(day) ?? emptyDay(day));
  return out;
}

export interface CurrencySeries {
  currency: string;
  /** One point per day given, 0 where nothing was bought in this currency. */
  points: { day: string; money: Money }[];
}

/** Revenue per day, one series per currency that has any, sorted by currency. */
export function revenueSeries(days: readonly DayReport[]): CurrencySeries[] {
  const currencies = [...new Set(days.flatMap((d) => d.revenue.map((m) => m.currency)))].sort();
  return currencies.map((currency) => ({
    currency,
    points: days.map((d) => ({
      day: d.day,
      money: d.revenue.find((m) => m.currency === currency) ?? roundedMoney(currency, 0),
    })),
  }));
}
