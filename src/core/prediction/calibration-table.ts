// The calibration check's table, as Fader, Hardie & Lee lay it out (their
// Figure 4): the customers grouped by their repeat purchases in the
// calibration period (0, 1, …, 6, 7+), and per group the repeat purchases they
// made in the holdout period beside the sum of each one's conditional
// expectation E[Y(t) | x, tx, T] over its length. Pure.
import { type BgNbdParams, expectedPurchases, type RecencyFrequency } from './bg-nbd.ts';

/** Calibration frequencies from this one up share a row ("7+"). */
export const lastFrequencyGroup = 7;

/** Customers with the same calibration summary, and the repeat purchases they made in the holdout period. */
export interface HoldoutGroup {
  summary: RecencyFrequency;
  customers: number;
  actual: number;
}

export interface CalibrationRow {
  /** "0" … "6", "7+". */
  frequency: string;
  customers: number;
  actual: number;
  predicted: number;
}

export interface CalibrationTable {
  rows: CalibrationRow[];
  total: Omit<CalibrationRow, 'frequency'>;
}

/** `length` in the unit the summaries and parameters are in. */
export function calibrationTable(
  params: BgNbdParams,
  groups: Iterable<HoldoutGroup>,
  length: number,
): CalibrationTable {
  const rows: CalibrationRow[] = [];
  for (let x = 0; x <= lastFrequencyGroup; x++) {
    rows.push({
      frequency: x === lastFrequencyGroup ? `${x}+` : String(x),
      customers: 0,
      actual: 0,
      predicted: 0,
    });
  }
  for (const { summary, customers, actual } of groups) {
    const row = rows[Math.min(summary.x, lastFrequencyGroup)]!;
    row.customers += customers;
    row.actual += actual;
    row.predicted += customers * expectedPurchases(params, summary, length);
  }
  const total = { customers: 0, actual: 0, predicted: 0 };
  for (const row of rows) {
    total.customers += row.customers;
    total.actual += row.actual;
    total.predicted += row.predicted;
  }
  return { rows, total };
}
