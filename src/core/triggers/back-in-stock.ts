// Back in stock: how many waiting shoppers one restock may mail now. When
// fewer units came back than people are waiting, the campaign's allocation
// rule decides; the rest stay queued for the next restock.
import type { BackInStockTrigger } from '../campaigns/types.ts';

export type Allocation = BackInStockTrigger['allocation'];

/**
 * Messages this restock may still send: all waiting entries, or units x factor
 * (rounded up) less what earlier sweeps already sent for the same restock.
 */
export function restockAllowance(
  allocation: Allocation,
  unitsRestocked: number | null,
  alreadySent: number,
): number {
  if (allocation.mode === 'all' || unitsRestocked === null) return Number.POSITIVE_INFINITY;
  return Math.max(0, Math.ceil(unitsRestocked * allocation.factor) - alreadySent);
}
