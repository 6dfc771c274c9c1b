// Small building blocks shared by the dashboard pages: figure lists whose
// values carry a data-figure name (tests read them), and number formats.
import { html } from 'hono/html';
import { liftText, moneyText, openedLabels, percent } from '../../../core/reports/format.ts';
import type { Outcomes } from '../../../core/reports/types.ts';
import type { Page } from './layout.ts';

export function count(value: number): string {
  return value.toLocaleString('en');
}

export interface Figure {
  name: string;
  label: string;
  value: string;
}

export function figureList(figures: readonly Figure[]): Page {
  return html`<dl class="figures">${figures.map(
    (f) => html`<div><dt>${f.label}</dt><dd data-figure="${f.name}">${f.value}</dd></div>`,
  )}</dl>`;
}

/** The figures a campaign card and the campaign page both lead with. */
export function keyFigures(o: Outcomes): Figure[] {
  return [
    { name: 'sent', label: 'Sent', value: count(o.sent) },
    { name: 'opened', label: openedLabels.people, value: count(o.openedExcludingProxy) },
    { name: 'clicked', label: 'Clicked', value: count(o.clicked) },
    { name: 'redeemed', label: 'Redeemed', value: count(o.redeemed) },
    { name: 'revenue', label: 'Revenue', value: moneyText(o.revenue) },
    { name: 'conversion-mailed', label: 'Converted, mailed', value: percent(o.conversion.mailed.rate) },
    { name: 'conversion-holdout', label: 'Converted, held out', value: percent(o.conversion.heldOut.rate) },
    { name: 'lift', label: 'Lift', value: liftText(o.conversion.lift) },
  ];
}
