// What an import did: rows read, records stored, rows rejected by reason and
// the first few rejected lines. Keeps a bounded sample, never every rejection.
import type { ImportKind, ImportSummary } from './import-file.ts';
import type { Rejection } from './to-record.ts';

export const sampleSize = 20;

export function emptySummary(kind: ImportKind): ImportSummary {
  return {
    kind,
    rows: 0,
    stored: { customers: 0, orders: 0, items: 0, carts: 0, products: 0 },
    finerPrices: 0,
    rejected: 0,
    reasons: {},
    rejections: [],
    aborted: false,
  };
}

export function addRejections(summary: ImportSummary, rejections: readonly Rejection[]): void {
  for (const rejection of rejections) {
    summary.rejected++;
    summary.reasons[rejection.key] = (summary.reasons[rejection.key] ?? 0) + 1;
    if (summary.rejections.length < sampleSize) {
      summary.rejections.push({ line: rejection.line, reason: rejection.message });
    }
  }
}

/** The human-readable report the CLI prints. */
export function formatSummary(summary: ImportSummary, file: string): string {
  const { stored } = summary;
  const lines = [`${summary.kind} from ${file}: ${count(summary.rows, 'row')} read`];
  if (summary.aborted) {
    lines.push('aborted (--strict): nothing was stored');
  } else {
    const parts =
      summary.kind === 'orders'
        ? [
            count(stored.orders, 'order'),
            count(stored.items, 'item'),
            count(stored.customers, 'new customer'),
          ]
        : summary.kind === 'carts'
          ? [count(stored.carts, 'cart'), count(stored.items, 'item')]
          : [count(stored[summary.kind], summary.kind.slice(0, -1))];
    lines.push(`stored: ${parts.join(', ')}`);
  }
  if (summary.finerPrices > 0) {
    lines.push(
      `rounded: ${count(summary.finerPrices, 'line price')} finer than the currency allows (like 0.001 GBP), ` +
        'to the minor unit, half to even; totals added up from lines use the exact prices',
    );
  }
  lines.push(`rejected: ${count(summary.rejected, 'row')}`);
  const reasons = Object.entries(summary.reasons).sort((a, b) => b[1] - a[1]);
  for (const [reason, n] of reasons) lines.push(`  ${String(n).padStart(8)}  ${reason}`);
  if (summary.rejections.length > 0) {
    const more = summary.rejected - summary.rejections.length;
    lines.push(more > 0 ? `first ${summary.rejections.length} rejected rows:` : 'rejected rows:');
    for (const { line, reason } of summary.rejections) lines.push(`  line ${line}: ${reason}`);
  }
  return `${lines.join('\n')}\n`;
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;
}
