// The campaign page's tables: counts per step, rates per message sent, money
// per currency (never added across currencies), clicks per link. Each shows
// the report's figures as they are, and the notes under them (reportNotes in
// core/reports/format.ts) say what each counts, as the CLI's footnote does.
import { html } from 'hono/html';
import {
  amountText,
  fractionText,
  incrementalText,
  liftText,
  moneyText,
  openedLabels,
  rateText,
  reportNotes,
  reportRows,
} from '../../../core/reports/format.ts';
import { linkMinimumPeople } from '../../../core/reports/links.ts';
import { byCurrency } from '../../../core/reports/revenue.ts';
import type { CampaignReport } from '../../../core/reports/types.ts';
import { count } from './figures.ts';
import type { Page } from './layout.ts';

const rowName = (label: string) => (label === 'all' ? 'All' : `Step ${label}`);

export function stepsTable(report: CampaignReport): Page {
  return html`<div class="scroll"><table>
<thead><tr><th>Step</th><th>Scheduled</th><th>Held out</th><th>Sent</th><th>Failed</th><th>Delivered</th><th>Bounced</th><th>${openedLabels.people}</th><th>${openedLabels.all}</th><th>Clicked</th><th>Unsub.</th><th>Redeemed</th><th>Revenue</th><th>Converted, mailed</th><th>Converted, held out</th><th>Lift</th></tr></thead>
<tbody>${report.steps.map(
    (s) =>
      html`<tr data-step="${s.step}"><td>${s.step + 1}</td><td>${count(s.scheduled)}</td><td>${count(s.heldOut)}</td><td>${count(s.sent)}</td><td>${count(s.failed)}</td><td>${count(s.delivered)}</td><td>${count(s.bounced)}</td><td>${count(s.openedExcludingProxy)}</td><td>${count(s.opened)}</td><td>${count(s.clicked)}</td><td>${count(s.unsubscribed)}</td><td>${count(s.redeemed)}</td><td>${moneyText(s.revenue)}</td><td>${fractionText(s.conversion.mailed)}</td><td>${fractionText(s.conversion.heldOut)}</td><td>${liftText(s.conversion.lift)}</td></tr>`,
  )}</tbody></table></div>
<ul class="notes muted"><li>${reportNotes.messages}</li><li>${reportNotes.conversion}</li></ul>`;
}

export function ratesTable(report: CampaignReport): Page {
  return html`<div class="scroll"><table>
<thead><tr><th></th><th>Sent</th><th>${openedLabels.people}</th><th>${openedLabels.all}</th><th>Clicked</th><th>Unsubscribed</th><th>Bounced</th><th>Complaints</th><th>Converted</th></tr></thead>
<tbody>${reportRows(report).map(({ label, outcomes: o }) => {
    const r = o.rates;
    return html`<tr data-rates="${label}"><td>${rowName(label)}</td><td>${count(o.sent)}</td><td data-cell="opened-people">${rateText(r.openedPeople)}</td><td data-cell="opened-all">${rateText(r.openedAll)}</td><td data-cell="clicked">${rateText(r.clicked)}</td><td data-cell="unsubscribed">${rateText(r.unsubscribed)}</td><td data-cell="bounced">${rateText(r.bounced)}</td><td data-cell="complained">${rateText(r.complained)}</td><td data-cell="conversion">${rateText(r.conversion)} of ${count(r.conversion.of)} ${o.unit}</td></tr>`;
  })}</tbody></table></div>
<ul class="notes muted"><li>${reportNotes.rates}</li></ul>`;
}

export function moneyTable(report: CampaignReport): Page {
  const rows = reportRows(report).flatMap(({ label, outcomes }) =>
    byCurrency(outcomes).map((m) => ({ label, m })),
  );
  if (rows.length === 0) return html`<p class="muted" data-money="none">No attributed orders yet.</p>`;
  return html`<div class="scroll"><table>
<thead><tr><th></th><th>Currency</th><th>Revenue (net)</th><th>Discounts</th><th>Gross</th><th>Held-out revenue</th><th>Per recipient, mailed</th><th>Per recipient, held out</th><th>Incremental per recipient</th></tr></thead>
<tbody>${rows.map(
    ({ label, m }) =>
      html`<tr data-money="${label}:${m.currency}"><td>${rowName(label)}</td><td>${m.currency}</td><td data-cell="revenue">${amountText(m.revenue)}</td><td data-cell="discount">${amountText(m.discount)}</td><td data-cell="gross">${amountText(m.grossRevenue)}</td><td data-cell="held-out-revenue">${amountText(m.heldOutRevenue)}</td><td data-cell="rpr-mailed">${amountText(m.perRecipient?.mailed ?? null)}</td><td data-cell="rpr-held-out">${amountText(m.perRecipient?.heldOut ?? null)}</td><td data-cell="incremental">${m.perRecipient ? incrementalText(m.perRecipient.incremental) : '-'}</td></tr>`,
  )}</tbody></table></div>
<ul class="notes muted"><li>${reportNotes.currencies}</li><li>${reportNotes.revenue}</li><li>${reportNotes.perRecipient}</li></ul>`;
}

export function linksTable(report: CampaignReport): Page {
  const { links, fewPeople } = report.links;
  if (links.length === 0 && fewPeople.links === 0)
    return html`<p class="muted">No clicks on a tracked link yet.</p>`;
  return html`${
    links.length === 0
      ? ''
      : html`<div class="scroll"><table>
<thead><tr><th>Link</th><th>People</th><th>Clicks</th></tr></thead>
<tbody>${links.map(
          (l) =>
            html`<tr data-link="${l.url}"><td class="url">${l.url}</td><td data-cell="people">${count(l.people)}</td><td data-cell="clicks">${count(l.clicks)}</td></tr>`,
        )}</tbody></table></div>`
  }${
    fewPeople.links > 0
      ? html`<p class="muted" data-few-links="${fewPeople.links}">And ${count(fewPeople.links)} link${fewPeople.links === 1 ? '' : 's'} clicked by fewer than ${linkMinimumPeople} people, not named: ${count(fewPeople.clicks)} click${fewPeople.clicks === 1 ? '' : 's'}.</p>`
      : ''
  }
<ul class="notes muted"><li>${reportNotes.links}</li></ul>`;
}
