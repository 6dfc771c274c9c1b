// The largest money amounts and quantities Rekindle accepts, far past any real
// shop, and the checks that hold ingested records to them. They exist so that
// every figure computed from stored rows stays exact and inside both a JS
// number (2^53) and SQLite's 64-bit integers, whatever a request sends:
//
// - one amount (a price, an order total, a cart value, a discount) and one
//   line (quantity x unit price) are at most maxAmountMinor;
// - the lines of one order or cart add up to at most maxAmountMinor too, and
//   no partial sum of up to 1,000 lines passes 10^15, so SQL's per-order
//   sum() is exact and a percentage of it (x 100) is exact in a double;
// - a sum over N stored amounts is at most N x 10^12: exact in a JS number up
//   to N = 9,007 and in SQLite's integers up to N = 9,223,372. Report totals
//   are added as BigInt (reports/revenue.ts, sumMoney), so they stay exact beyond that too.
//
// 10^12 minor units is 10,000,000,000.00 in a two-decimal currency,
// 1,000,000,000,000 JPY (about 6.5 bn USD), 1,000,000,000,000 VND (about
// 40 m USD, the smallest unit in common use) and 1,000,000,000.000 KWD.
// Amounts are never negative: a refund is an order with status refunded, and
// a returned line keeps a negative quantity. Pure: checks only, no rounding.

import { fromMinorUnits } from './money.ts';

export const maxAmountMinor = 1_000_000_000_000;
export const maxLineQuantity = 1_000_000;

function ceiling(currency: string): string {
  return `${fromMinorUnits(maxAmountMinor, currency)} ${currency.toUpperCase()}`;
}

/** Why `minor` is not an amount Rekindle stores, or null when it is one. */
export function amountProblem(minor: number, currency: string): string | null {
  if (!Number.isSafeInteger(minor)) return 'must be a whole number of minor units';
  if (minor < 0) return 'must not be negative';
  if (minor > maxAmountMinor) return `must be at most ${ceiling(currency)}`;
  return null;
}

/** Why a line's value, |quantity x unit price|, is out of bounds, or null. */
export function lineValueProblem(quantity: number, unitPriceMinor: number, currency: string): string | null {
  // Both factors are already bounded, so the product is at most 10^18: a
  // double holds it closely enough to compare against 10^12.
  return Math.abs(quantity * unitPriceMinor) > maxAmountMinor
    ? `quantity x unit_price must be at most ${ceiling(currency)}`
    : null;
}

/** Why the lines of one order or cart add up to too much, or null. */
export function linesTotalProblem(totalMinor: number, currency: string): string | null {
  return Math.abs(totalMinor) > maxAmountMinor ? `the lines add up to more than ${ceiling(currency)}` : null;
}
