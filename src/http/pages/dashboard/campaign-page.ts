// Dashboard page 2: one campaign, for a date range. Funnel (scheduled -> sent
// -> opened -> clicked -> redeemed), daily charts of sends, redemptions and
// revenue (a chart per currency), rates per message sent, money per currency,
// mailed-versus-holdout conversion with the lift, a table per step, clicks
// per link, and a preview of each step's email from the preview route. Shows
// the report's figures; works none out.
import { html } from 'hono/html';
import { everyDay, revenueSeries } from '../../../core/reports/daily.ts';
import {
  daysNote,
  liftText,
  openedLabels,
  percent,
  rejectedText,
  reportNotes,
} from '../../../core/reports/format.ts';
import { allTime, type ReportRange } from '../../../core/reports/range.ts';
import type { CampaignReport, Conversion } from '../../../core/reports/types.ts';
import { barChart } from './charts.ts';
import { count, figureList, keyFigures } from './figures.ts';
import { layout, type Page } from './layout.ts';
import { rangeForm } from './range-form.ts';
import { linksTable, moneyTable, ratesTable, stepsTable } from './report-tables.ts';

export interface RangeView {
  range: ReportRange;
  /** The query that keeps the range on links back to the list ("" for the default). */
  query: string;
}

export function campaignPage(
  report: CampaignReport,
  generatedAt: string,
  previewSteps: readonly number[],
  view: RangeView = { range: allTime, query: '' },
): Page {
  const t = report.totals;
  const path = `/dashboard/campaigns/${encodeURIComponent(report.id)}`;
  return layout(
    report.name ?? report.id,
    html`<p class="muted"><a href="/dashboard${view.query}">All campaigns</a></p>
<h1>${report.name ?? report.id}</h1>
<p class="muted">${report.id} · ${report.attributionDays}-day attribution · as of ${generatedAt}</p>
${rangeForm(path, view.range, report.timeZone)}
${figureList([
  ...keyFigures(t),
  { name: 'scheduled', label: 'Scheduled', value: count(t.scheduled) },
  { name: 'held-out', label: 'Held out', value: count(t.heldOut) },
  { name: 'failed', label: 'Failed', value: count(t.failed) },
  { name: 'resent', label: 'Possibly delivered twice', value: count(t.resent) },
  { name: 'delivered', label: 'Delivered', value: count(t.delivered) },
  { name: 'opened-all', label: openedLabels.all, value: count(t.opened) },
  { name: 'unsubscribed', label: 'Unsubscribed', value: count(t.unsubscribed) },
  { name: 'complained', label: 'Complaints', value: count(t.complained) },
  { name: 'influenced', label: 'Influenced orders', value: count(t.influenced) },
])}
<h2>Funnel</h2>
${funnel([
  ['scheduled', 'Scheduled', t.scheduled],
  ['sent', 'Sent', t.sent],
  ['opened', openedLabels.people, t.openedExcludingProxy],
  ['clicked', 'Clicked', t.clicked],
  ['redeemed', 'Redeemed', t.redeemed],
])}
${
  report.rejectedCodes.total > 0
    ? html`<h2>Rejected coupon codes</h2>
<p data-rejected="${report.rejectedCodes.total}">Codes used by orders although Rekindle holds them invalid: ${rejectedText(report.rejectedCodes)}. The shop's checkout accepted them; they are not counted as redemptions.</p>`
    : ''
}
<h2>Per day</h2>
${dailyCharts(report, view.range)}
<h2>Rates</h2>
${ratesTable(report)}
<h2>Money per currency</h2>
${moneyTable(report)}
<h2>Mailed versus held out</h2>
${conversionBlock(t.conversion)}
${report.steps.length > 0 ? html`<h2>Steps</h2>${stepsTable(report)}` : ''}
<h2>Clicks per link</h2>
${linksTable(report)}
<h2>Email preview</h2>
${previewSteps.length === 0 ? html`<p class="muted">No steps to preview.</p>` : previewSteps.map((step) => preview(report.id, step))}`,
  );
}

/** Stages as [data-funnel key, label, count]. */
function funnel(stages: readonly [string, string, number][]): Page {
  const top = Math.max(1, stages[0]?.[2] ?? 0);
  return html`<div class="funnel" role="list">${stages.map(([key, label, value]) => {
    const width = Math.min(100, (value / top) * 100).toFixed(1);
    return html`<div class="row" role="listitem"><span>${label}</span><div class="bar"><span style="width:${width}%"></span></div><span class="n" data-funnel="${key}">${count(value)}</span></div>`;
  })}</div>`;
}

function dailyCharts(report: CampaignReport, range: ReportRange): Page {
  const days = everyDay(report.daily, range);
  const xAxis = `Day (${report.timeZone})`;
  const countPoints = (pick: (d: (typeof days)[number]) => number) =>
    days.map((d) => ({ day: d.day, value: pick(d), label: count(pick(d)) }));
  const revenue = revenueSeries(days).map(
    (series) =>
      html`<figure data-chart="revenue-${series.currency}"><figcaption>Revenue (${series.currency})</figcaption>${barChart(
        {
          title: `Revenue (${series.currency})`,
          yAxis: `Revenue, ${series.currency}`,
          xAxis,
          color: '#15803d',
          points: series.points.map((p) => ({ day: p.day, value: p.money.minor, label: p.money.amount })),
        },
      )}</figure>`,
  );
  return html`<div class="charts">
<figure data-chart="sends"><figcaption>Sends</figcaption>${barChart({
    title: 'Sends',
    yAxis: 'Messages sent',
    xAxis,
    color: '#78716c',
    points: countPoints((d) => d.sends),
  })}</figure>
<figure data-chart="redemptions"><figcaption>Redemptions</figcaption>${barChart({
    title: 'Redemptions',
    yAxis: 'Coupons redeemed',
    xAxis,
    color: '#c2410c',
    points: countPoints((d) => d.redemptions),
  })}</figure>
${revenue.length > 0 ? revenue : html`<figure data-chart="revenue"><figcaption>Revenue</figcaption><p class="muted">No attributed orders yet.</p></figure>`}
</div>
<p class="muted">${daysNote(report.timeZone)} ${reportNotes.currencies}</p>`;
}

function conversionBlock(c: Conversion): Page {
  const lift = c.lift;
  return html`<div class="scroll"><table>
<thead><tr><th>Group</th><th>Trigger instances</th><th>Converted</th><th>Rate</th></tr></thead>
<tbody>
<tr><td>Mailed</td><td data-figure="mailed-size">${count(c.mailed.size)}</td><td data-figure="mailed-converted">${count(c.mailed.converted)}</td><td>${percent(c.mailed.rate)}</td></tr>
<tr><td>Held out</td><td data-figure="holdout-size">${count(c.heldOut.size)}</td><td data-figure="holdout-converted">${count(c.heldOut.converted)}</td><td>${percent(c.heldOut.rate)}</td></tr>
</tbody></table></div>
${
  lift.enough
    ? html`<p class="lift">Lift <strong data-figure="lift-detail">${liftText(lift)}</strong>${
        lift.relative === null ? '' : html`, ${percent(lift.relative, 0)} relative`
      }. ${lift.significant ? 'The interval excludes zero.' : 'The interval includes zero: no proven effect yet.'}</p>`
    : html`<p class="notice" data-figure="lift-detail">${lift.reason}.</p>`
}
<p class="muted">A trigger instance is one customer's cart, restock or dormancy episode, however many steps mailed it. Converted: bought within the attribution window after the email (or after their held-out email would have gone out). Interval: Newcombe's hybrid score method, 95%.</p>`;
}

function preview(campaignId: string, step: number): Page {
  const src = `/v1/campaigns/${encodeURIComponent(campaignId)}/preview?step=${step}`;
  return html`<figure>
<figcaption>Step ${step + 1} · <a href="${src}" target="_blank" rel="noopener">open in a new tab</a></figcaption>
<iframe class="preview" src="${src}" title="Email preview, step ${step + 1}" sandbox loading="lazy"></iframe>
</figure>`;
}
