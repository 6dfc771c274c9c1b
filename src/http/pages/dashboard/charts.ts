// Inline SVG charts for the dashboard: a bar chart of one series per day,
// with labelled axes (the y axis names the series and its unit, the x axis
// the days and their time zone) and each bar's value printed above it, so
// nothing needs a hover (each bar keeps a <title> for screen readers too).
// Scales to its container; a long span keeps a readable width and scrolls
// inside its own box instead of widening the page. No script, no library.
// Lays out figures the report worked out; computes none.
import { html } from 'hono/html';
import type { Page } from './layout.ts';

export interface Point {
  day: string;
  /** Bar height, in any unit (minor units for money). */
  value: number;
  /** The value as printed above the bar. */
  label: string;
}

export interface ChartSpec {
  title: string;
  /** What the bars measure, with the unit: "Messages sent", "Revenue (GBP)". */
  yAxis: string;
  /** "Day (Europe/London)". */
  xAxis: string;
  color: string;
  points: readonly Point[];
}

const minWidth = 320;
const height = 200;
/**
 * Narrowest slot per bar at which its value still reads, rotated: 30 days
 * then fit a 375 px phone's column; a longer span widens the chart, which
 * scrolls inside its box.
 */
const minSlot = 9;
const font = 9;
// Roughly the width of a digit at `font` px in the system sans-serif.
const charWidth = 5.6;

export function barChart(spec: ChartSpec): Page {
  const { points } = spec;
  const max = Math.max(0, ...points.map((p) => p.value));
  const maxLabel = points.find((p) => p.value === max)?.label ?? '0';
  const longest = Math.max(1, ...points.filter((p) => p.value > 0).map((p) => p.label.length));
  const left = 22 + Math.max(1, maxLabel.length) * charWidth;
  const right = 8;
  const width = Math.max(minWidth, Math.ceil(left + right + points.length * minSlot));
  const plotW = width - left - right;
  const slot = points.length > 0 ? plotW / points.length : plotW;
  const rotate = longest * charWidth + 2 > slot;
  const top = rotate ? 6 + longest * charWidth : 6 + font + 4;
  const bottom = 38;
  const plotH = height - top - bottom;
  const baseY = top + plotH;
  // Capped so a series of one or two days does not draw slabs.
  const barW = Math.max(2, Math.min(slot * 0.75, 28));
  const bars = points.map((p, i) => {
    const h = max > 0 ? (p.value / max) * plotH : 0;
    const cx = left + i * slot + slot / 2;
    const y = baseY - h;
    const value =
      p.value <= 0
        ? ''
        : rotate
          ? html`<text class="value" x="${fixed(cx + font / 3)}" y="${fixed(y - 3)}" font-size="${font}" fill="#1c1917" transform="rotate(-90 ${fixed(cx + font / 3)} ${fixed(y - 3)})">${p.label}</text>`
          : html`<text class="value" x="${fixed(cx)}" y="${fixed(y - 3)}" font-size="${font}" fill="#1c1917" text-anchor="middle">${p.label}</text>`;
    return html`<rect x="${fixed(cx - barW / 2)}" y="${fixed(y)}" width="${fixed(barW)}" height="${fixed(h)}" fill="${spec.color}"><title>${p.day}: ${p.label}</title></rect>${value}`;
  });
  const first = points[0]?.day ?? '';
  const last = points.at(-1)?.day ?? '';
  const axisText = (x: number, y: number, anchor: string, text: string, cls: string) =>
    html`<text class="${cls}" x="${fixed(x)}" y="${fixed(y)}" font-size="${font}" fill="#57534e" text-anchor="${anchor}">${text}</text>`;
  const style = width > minWidth ? `min-width:${width}px` : '';
  return html`<div class="chart-box"><svg class="chart" viewBox="0 0 ${width} ${height}" style="${style}" role="img" aria-label="${spec.title}, per day${first ? `, ${first} to ${last}` : ''}">
<line x1="${fixed(left)}" y1="${fixed(baseY)}" x2="${width - right}" y2="${fixed(baseY)}" stroke="#a8a29e" stroke-width="1"/>
<line x1="${fixed(left)}" y1="${fixed(top)}" x2="${fixed(left)}" y2="${fixed(baseY)}" stroke="#a8a29e" stroke-width="1"/>
${axisText(left - 3, baseY + 3, 'end', '0', 'tick y-tick')}
${max > 0 ? axisText(left - 3, top + 3, 'end', maxLabel, 'tick y-tick') : ''}
${bars}
${axisText(left, baseY + 13, 'start', first, 'tick x-tick')}
${last === first ? '' : axisText(width - right, baseY + 13, 'end', last, 'tick x-tick')}
${axisText(left + plotW / 2, height - 6, 'middle', spec.xAxis, 'axis-title x-axis')}
<text class="axis-title y-axis" x="10" y="${fixed(top + plotH / 2)}" font-size="${font}" fill="#57534e" text-anchor="middle" transform="rotate(-90 10 ${fixed(top + plotH / 2)})">${spec.yAxis}</text>
${points.length === 0 ? html`<text x="${width / 2}" y="${height / 2}" font-size="12" fill="#57534e" text-anchor="middle">no data yet</text>` : ''}
</svg></div>`;
}

function fixed(value: number): string {
  return value.toFixed(1);
}
