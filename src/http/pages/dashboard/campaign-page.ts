// Dashboard page 2: one campaign. Funnel (scheduled -> sent -> opened ->
// clicked -> redeemed), daily charts of sends, redemptions and revenue,
// mailed-versus-holdout conversion with the lift, a table per step, and a
// preview of each step's email from the preview route.
import { html } from 'hono/html';
import { currencyExponent } from '../../../core/money.ts';
import { liftText, moneyText, openedLabels, percent, rejectedText } from '../../../core/reports/format.ts';
import type { CampaignReport, Conversion, DayReport } from '../../../core/reports/types.ts';
import { dayMs, utcDay } from '../../../core/time.ts';
import { barChart, type Point } from './charts.ts';
import { count, figureList, keyFigures } from './figures.ts';
import { layout, type Page } from './layout.ts';

export function campaignPage(
  report: CampaignReport,
  generatedAt: string,
  previewSteps: readonly number[],
): Page {
  const t = report.totals;
  return layout(
    report.name ?? report.id,
    html`<p class="muted"><a href="/dashboard">All campaigns</a></p>
<h1>${report.name ?? report.id}</h1>
<p class="muted">${report.id} · ${report.attributionDays}-day attribution · as of ${generatedAt}</p>
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
${dailyCharts(report.daily)}
<h2>Mailed versus held out</h2>
${conversionBlock(t.conversion)}
${report.steps.length > 0 ? html`<h2>Steps</h2>${stepsTable(report)}` : ''}
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

function dailyCharts(daily: readonly DayReport[]): Page {
  const days = fillDays(daily);
  const currency = mainCurrency(daily);
  const revenue: Point[] = days.map((d) => {
    const money = d.revenue.find((m) => m.currency === currency);
    return {
      day: d.day,
      value: (money?.minor ?? 0) / 10 ** currencyExponent(money?.currency ?? 'XXX'),
      label: money ? `${money.currency} ${money.amount}` : '0',
    };
  });
  return html`<div class="charts">
<figure><figcaption>Sends</figcaption>${barChart(
    'Sends',
    days.map((d) => ({ day: d.day, value: d.sends })),
    '#78716c',
  )}</figure>
<figure><figcaption>Redemptions</figcaption>${barChart(
    'Redemptions',
    days.map((d) => ({ day: d.day, value: d.redemptions })),
    '#c2410c',
  )}</figure>
<figure><figcaption>Revenue${currency ? ` (${currency})` : ''}</figcaption>${barChart('Revenue', revenue, '#15803d')}</figure>
</div>`;
}

/** Every day from the first to the last, so the x axis is time. */
function fillDays(daily: readonly DayReport[]): DayReport[] {
  const first = daily[0];
  const last = daily.at(-1);
  if (!first || !last) return [];
  const byDay = new Map(daily.map((d) => [d.day, d]));
  const out: DayReport[] = [];
  for (let t = Date.parse(`${first.day}T00:00:00Z`); t <= Date.parse(`${last.day}T00:00:00Z`); t += dayMs) {
    const day = utcDay(t);
    out.push(byDay.get(day) ?? { day, sends: 0, opens: 0, clicks: 0, redemptions: 0, revenue: [] });
  }
  return out;
}

// Revenue in several currencies cannot be added; the chart shows the largest.
function mainCurrency(daily: readonly DayReport[]): string | null {
  const totals = new Map<string, number>();
  for (const d of daily)
    for (const m of d.revenue) totals.set(m.currency, (totals.get(m.currency) ?? 0) + m.minor);
  return [...totals.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

function conversionBlock(c: Conversion): Page {
  const lift = c.lift;
  return html`<div class="scroll"><table>
<thead><tr><th>Group</th><th>Customers</th><th>Converted</th><th>Rate</th></tr></thead>
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
<p class="muted">Customers are trigger instances (one customer's cart, restock or dormancy episode). Converted: bought within the attribution window after the email (or after their held-out email would have gone out). Interval: Newcombe's hybrid score method, 95%.</p>`;
}

function stepsTable(report: CampaignReport): Page {
  return html`<div class="scroll"><table>
<thead><tr><th>Step</th><th>Scheduled</th><th>Held out</th><th>Sent</th><th>Failed</th><th>Delivered</th><th>${openedLabels.people}</th><th>${openedLabels.all}</th><th>Clicked</th><th>Unsub.</th><th>Redeemed</th><th>Revenue</th><th>Mailed</th><th>Held out</th><th>Lift</th></tr></thead>
<tbody>${report.steps.map(
    (s) =>
      html`<tr data-step="${s.step}"><td>${s.step + 1}</td><td>${count(s.scheduled)}</td><td>${count(s.heldOut)}</td><td>${count(s.sent)}</td><td>${count(s.failed)}</td><td>${count(s.delivered)}</td><td>${count(s.openedExcludingProxy)}</td><td>${count(s.opened)}</td><td>${count(s.clicked)}</td><td>${count(s.unsubscribed)}</td><td>${count(s.redeemed)}</td><td>${moneyText(s.revenue)}</td><td>${percent(s.conversion.mailed.rate)}</td><td>${percent(s.conversion.heldOut.rate)}</td><td>${liftText(s.conversion.lift)}</td></tr>`,
  )}</tbody></table></div>`;
}

function preview(campaignId: string, step: number): Page {
  const src = `/v1/campaigns/${encodeURIComponent(campaignId)}/preview?step=${step}`;
  return html`<figure>
<figcaption>Step ${step + 1} · <a href="${src}" target="_blank" rel="noopener">open in a new tab</a></figcaption>
<iframe class="preview" src="${src}" title="Email preview, step ${step + 1}" sandbox loading="lazy"></iframe>
</figure>`;
}
