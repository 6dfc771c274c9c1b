// Short text forms of report figures for tables and pages: rates as percents,
// lift in percentage points with its interval, money lists. Pure.
import { invalidReasons } from '../offers/evaluate.ts';
import type { Lift } from './stats.ts';
import type { Money, RejectedCodes } from './types.ts';

export function percent(rate: number | null, digits = 1): string {
  return rate === null ? '-' : `${(rate * 100).toFixed(digits)}%`;
}

/** "+15.0 pts (95% CI +7.1 to +21.7)", or the reason there is none. */
/**
 * The two open counts, named the same in every view (report table, dashboard,
 * demo): people, and all opens including privacy proxies' prefetches.
 */
export const openedLabels = { people: 'Opened (people)', all: 'Opened (incl. proxies)' } as const;

export function liftText(lift: Lift): string {
  if (!lift.enough) return lift.noControlGroup ? 'no control group' : 'not enough data';
  const pts = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}`;
  return `${pts(lift.absolute)} pts (95% CI ${pts(lift.ci95.low)} to ${pts(lift.ci95.high)})`;
}

/** "GBP 120.50, EUR 30.00"; "-" when empty. Never adds across currencies. */
export function moneyText(money: readonly Money[]): string {
  return money.length === 0 ? '-' : money.map((m) => `${m.currency} ${m.amount}`).join(', ');
}

/** "3 (expired 2, used 1)", reasons in the rule's order; "0" when none. */
export function rejectedText(rejected: RejectedCodes): string {
  const parts = invalidReasons.flatMap((reason) => {
    const n = rejected.byReason[reason];
    return n ? [`${reason.replace('_', ' ')} ${n}`] : [];
  });
  return parts.length === 0 ? String(rejected.total) : `${rejected.total} (${parts.join(', ')})`;
}
