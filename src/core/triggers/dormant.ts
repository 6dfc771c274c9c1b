// The dormant trigger as a pure rule over one customer's purchase facts. The
// SQL in src/db/sweeps mirrors it for whole audiences; this version explains
// single customers and is the reference the SQL is tested against.

import type { DormantTrigger } from '../campaigns/types.ts';
import { dayMs } from '../time.ts';
import { dormantRef } from './trigger-ref.ts';

export type { DormantTrigger };

/** Only real purchases: paid orders. Cancelled, refunded and test orders are not counted. */
export interface PurchaseFacts {
  purchases: number;
  firstPurchaseAt: number | null;
  lastPurchaseAt: number | null;
}

export type TriggerOutcome = { match: true; instance: string } | { match: false; reason: string };

export function matchDormant(trigger: DormantTrigger, facts: PurchaseFacts, now: number): TriggerOutcome {
  if (facts.purchases < trigger.minOrders || facts.lastPurchaseAt === null) {
    return {
      match: false,
      reason: `${facts.purchases} purchase(s), fewer than min_orders ${trigger.minOrders}`,
    };
  }
  const idle = now - facts.lastPurchaseAt;
  if (idle <= trigger.days * dayMs) {
    return { match: false, reason: `bought ${formatDays(idle)} ago, not more than ${trigger.days} days` };
  }
  if (trigger.maxDays !== null && idle > trigger.maxDays * dayMs) {
    return {
      match: false,
      reason: `last bought ${formatDays(idle)} ago, more than max_days ${trigger.maxDays}`,
    };
  }
  if (trigger.cadenceFactor !== null) {
    const gap = typicalGap(facts);
    if (gap === null) return { match: false, reason: 'one purchase only: no cadence to be overdue against' };
    if (idle <= trigger.cadenceFactor * gap) {
      return {
        match: false,
        reason: `idle ${formatDays(idle)}, within ${trigger.cadenceFactor}x their typical gap of ${formatDays(gap)}`,
      };
    }
  }
  // One dormancy episode per last purchase: buying again starts a new one.
  return { match: true, instance: dormantRef(facts.lastPurchaseAt) };
}

/**
 * Mean gap between a customer's purchases. The mean of consecutive gaps is
 * (last - first) / (n - 1), which SQL can compute from one aggregate.
 */
export function typicalGap(facts: PurchaseFacts): number | null {
  if (facts.purchases < 2 || facts.firstPurchaseAt === null || facts.lastPurchaseAt === null) return null;
  return (facts.lastPurchaseAt - facts.firstPurchaseAt) / (facts.purchases - 1);
}

function formatDays(ms: number): string {
  const days = ms / dayMs;
  return Number.isInteger(days) ? `${days} days` : `${days.toFixed(1)} days`;
}
