// Inline SVG charts for the dashboard: a bar chart of one series per day.
// Scales to its container (viewBox), carries its own labels and a <title> per
// bar for a tooltip; no script, no library.
import { html } from 'hono/html';
import type { Page } from './layout.ts';

export interface Point {
  day: string;
  value: number;
  /** Tooltip text; defaults to the value. */
  label?: string;
}

const width = 320;
const height = 140;
const pad = { top: 14, right: 8, bottom: 22, left: 8 };

export function barChart(title: string, points: readonly Point[], color: string): Page {
  const max = Math.max(0, ...points.map((p) => p.value));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const slot = points.length > 0 ? plotW / points.length : plotW;
  // Capped so a series of one or two days does not draw slabs.
  const barW = Math.max(1, Math.min(slot * 0.8, 28));
  const bars = points.map((p, i) => {
    const h = max > 0 ? (p.value / max) * plotH : 0;
    const x = pad.left + i * slot + (slot - barW) / 2;
    const y = pad.top + plotH - h;
    return html`<rect x="${fixed(x)}" y="${fixed(y)}" width="${fixed(barW)}" height="${fixed(h)}" fill="${color}"><title>${p.day}: ${p.label ?? String(p.value)}</title></rect>`;
  });
  const first = points[0]?.day ?? '';
  const last = points.at(-1)?.day ?? '';
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}, per day${first ? `, ${first} to ${last}` : ''}">
<line x1="${pad.left}" y1="${pad.top + plotH}" x2="${width - pad.right}" y2="${pad.top + plotH}" stroke="#a8a29e" stroke-width="1"/>
${bars}
<text x="${pad.left}" y="10" font-size="10" fill="#57534e">max ${formatMax(max)}</text>
<text x="${pad.left}" y="${height - 6}" font-size="10" fill="#57534e">${first}</text>
<text x="${width - pad.right}" y="${height - 6}" font-size="10" fill="#57534e" text-anchor="end">${last === first ? '' : last}</text>
${points.length === 0 ? html`<text x="${width / 2}" y="${height / 2}" font-size="12" fill="#57534e" text-anchor="middle">no data yet</text>` : ''}
</svg>`;
}

function fixed(value: number): string {
  return value.toFixed(1);
}

function formatMax(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
