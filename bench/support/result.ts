// What every benchmark returns and how the harness prints its one summary
// line. Figures are for humans and scripts alike: no spaces in names or values.

export interface BenchResult {
  name: string;
  /** The figure divided by the baseline, as each benchmark defines it. */
  ratio: number;
  figures: Record<string, string | number>;
  baseline: string | number;
}

export function formatResultLine(result: BenchResult): string {
  const figures = Object.entries(result.figures).map(([key, value]) => `${key}=${formatValue(value)}`);
  return [
    result.name,
    `ratio=${formatValue(result.ratio)}`,
    ...figures,
    `baseline=${formatValue(result.baseline)}`,
  ].join(' ');
}

function formatValue(value: string | number): string {
  if (typeof value === 'string') return value.replace(/\s+/g, '_');
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
}
