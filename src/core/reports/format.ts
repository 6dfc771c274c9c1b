// Short text forms of report figures for tables and pages: rates as percents,
// lift in percentage points with its interval, money lists, incremental
// revenue, and the notes that say what each figure counts. The CLI table and
// the dashboard both print these, so they say the same thing. Pure.
import { invalidReasons } from '../offers/evaluate.ts';
import { linkMinimumPeople } from './links.ts';
import type { Lift } from './stats.ts';
import type { CampaignReport, IncrementalRevenue, Money, Outcomes, Rate, RejectedCodes } from './types.ts';

export function percent(rate: number | null, digits = 1): string {
  return rate === null ? '-' : `${(rate * 100).toFixed(digits)}%`;
}

/**
 * The two open counts, named the same in every view (report table, dashboard,
 * demo): people, and all opens including privacy proxies' prefetches.
 */
export const openedLabels = { people: 'Opened (people)', all: 'Opened (incl. proxies)' } as const;

/** "+15.0 pts (95% CI +7.1 to +21.7)", or the reason there is none. */
export function liftText(lift: Lift): string {
  if (!lift.enough) return lift.noControlGroup ? 'no control group' : 'not enough data';
  const pts = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}`;
  return `${pts(lift.absolute)} pts (95% CI ${pts(lift.ci95.low)} to ${pts(lift.ci95.high)})`;
}

/** "2/4 (50.0%)": converted of a group's size, and the rate. */
export function fractionText(group: { converted: number; size: number; rate: number | null }): string {
  return `${group.converted}/${group.size} (${percent(group.rate)})`;
}

/** "12.5%": a rate's value; its count and base are in the JSON and the notes. */
export function rateText(rate: Rate): string {
  return percent(rate.rate);
}

/** "GBP 1.20"; "-" for none. */
export function amountText(money: Money | null): string {
  return money === null ? '-' : `${money.currency} ${money.amount}`;
}

/** "+GBP 1.20 (95% CI -0.40 to +2.80)", or the reason there is none. */
export function incrementalText(incremental: IncrementalRevenue): string {
  if (!incremental.enough) return incremental.noControlGroup ? 'no control group' : 'not enough data';
  const signed = (m: Money) => (m.minor > 0 ? `+${m.amount}` : m.amount);
  const { difference: d, ci95 } = incremental;
  return `${d.minor > 0 ? '+' : ''}${d.currency} ${d.amount} (95% CI ${signed(ci95.low)} to ${signed(ci95.high)})`;
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

/**
 * What each figure counts, in the words the CLI's footnote and the
 * dashboard's notes use (the JSON's field docs say the same: types.ts and the
 * OpenAPI document).
 */
export const reportNotes = {
  messages:
    'Message counts (scheduled to complaints) count messages; the "all" row adds up its steps\' messages.',
  conversion:
    'Conversion is converted/size: a step counts its messages (sent; held out and due), while "all" and the lift count trigger instances (one customer\'s cart, restock or dormancy episode, however many steps mailed it).',
  rates:
    'Open, click, unsubscribe, bounce and complaint rates are per message sent: delivery is known only when a mail provider reports it.',
  revenue:
    'Redeemed and influenced count orders. Revenue is net of coupon discounts (order totals are recorded after the discount); gross = revenue + discount.',
  perRecipient:
    "Revenue per recipient: a group's revenue in one currency over its size (every member, buyers or not), counted like conversion. Incremental = mailed minus held out, with a 95% Welch interval (unequal variances, t quantile) over the members' revenue; 'no control group' when no one was held out.",
  currencies: 'Money is shown per currency and never added across currencies.',
  links: `Clicks per link count every click; links fewer than ${linkMinimumPeople} people clicked are summed, not named, as they may be one recipient's own (a cart's recovery link).`,
} as const;

/** "Days are in Europe/London." */
export function daysNote(timeZone: string): string {
  return `Days are calendar days in ${timeZone}.`;
}

/** A report's rows as the tables show them: "all" first, then each step (from 1) when there are several. */
export function reportRows(r: CampaignReport): { label: string; outcomes: Outcomes }[] {
  return [
    { label: 'all', outcomes: r.totals },
    ...(r.steps.length > 1 ? r.steps.map((s) => ({ label: String(s.step + 1), outcomes: s })) : []),
  ];
}
