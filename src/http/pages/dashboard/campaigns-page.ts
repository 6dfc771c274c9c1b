// Dashboard page 1: every campaign with its key figures for a date range,
// each linking to its own page for the same range.
import { html } from 'hono/html';
import type { CampaignReport } from '../../../core/reports/types.ts';
import type { RangeView } from './campaign-page.ts';
import { figureList, keyFigures } from './figures.ts';
import { layout, type Page } from './layout.ts';
import { rangeForm } from './range-form.ts';

export function campaignsPage(
  reports: readonly CampaignReport[],
  generatedAt: string,
  view: RangeView & { timeZone: string },
): Page {
  const cards = reports.map(
    (r) => html`<section class="card" data-campaign="${r.id}">
<h2><a href="/dashboard/campaigns/${encodeURIComponent(r.id)}${view.query}">${r.name ?? r.id}</a></h2>
<p class="muted">${r.id} · ${r.steps.length} step${r.steps.length === 1 ? '' : 's'} · ${r.attributionDays}-day attribution</p>
${figureList(keyFigures(r.totals))}
</section>`,
  );
  return layout(
    'Campaigns',
    html`<h1>Campaigns</h1>
${rangeForm('/dashboard', view.range, view.timeZone)}
<p class="muted">As of ${generatedAt}. Opened counts people, not privacy-proxy prefetches. Lift is the mailed conversion rate minus the held-out one.</p>
${reports.length === 0 ? html`<p class="notice">No campaigns yet: add files to campaigns/ and run a sweep.</p>` : html`<div class="cards">${cards}</div>`}`,
  );
}
