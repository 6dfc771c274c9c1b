// The dashboard's date range: a small GET form with from and to (days in the
// shop's time zone, as the report API and `rekindle report` take them), links
// for the last 30 days and for all time, and a line saying what is shown. The
// range itself is parsed by core/reports/range.ts.
import { html } from 'hono/html';
import { defaultRangeDays, type ReportRange } from '../../../core/reports/range.ts';
import { formatInstant } from '../../../core/time.ts';
import type { Page } from './layout.ts';

/** The query that keeps a range across the dashboard's links ("" for the default). */
export function rangeQuery(range: ReportRange, isDefault: boolean): string {
  if (isDefault) return '';
  return `?${new URLSearchParams({ from: range.from ?? '', to: range.to ?? '' }).toString()}`;
}

export function rangeForm(action: string, range: ReportRange, timeZone: string): Page {
  const shown =
    range.from === null && range.to === null
      ? range.since === null
        ? 'all messages'
        : `messages sent since ${formatInstant(range.since)}`
      : `messages sent ${range.from ?? 'from the start'} to ${range.to ?? 'now'}`;
  return html`<form class="range" method="get" action="${action}" aria-label="Date range">
<label>From <input type="date" name="from" value="${range.from ?? ''}"></label>
<label>To <input type="date" name="to" value="${range.to ?? ''}"></label>
<button type="submit">Show</button>
<a href="${action}">Last ${defaultRangeDays} days</a>
<a href="${action}?from=&amp;to=">All time</a>
</form>
<p class="muted" data-range="${range.from ?? ''}/${range.to ?? ''}">Showing ${shown} (days in ${timeZone}) and what followed them: opens, clicks and orders after the last day still count.</p>`;
}
