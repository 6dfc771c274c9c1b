// The abandoned-cart series as a pure rule over one cart. A sweep schedules the
// latest step that is due; earlier steps a late sweep missed are skipped, not
// sent out of order.

import { amountIn, type MoneyByCurrency, moneyGap } from '../money-by-currency.ts';
import { hourMs } from '../time.ts';
import { cartRef } from './trigger-ref.ts';

export interface CartStep {
  delayHours: number;
}

export interface CartFacts {
  status: 'open' | 'converted' | 'deleted';
  lastActivityAt: number;
  itemCount: number;
  hasEmail: boolean;
  valueMinor: number;
  /** The cart's currency: min_cart_value is read in it. */
  currency: string;
  /** The customer placed a paid order after the cart's last activity. */
  orderedSince: boolean;
}

export type CartOutcome =
  | { match: true; step: number; dueAt: number; instance: string }
  | { match: false; reason: string };

export function matchAbandonedCart(
  steps: readonly CartStep[],
  cartId: string,
  facts: CartFacts,
  now: number,
  minCartValue: MoneyByCurrency | null = null,
): CartOutcome {
  if (facts.status !== 'open') return { match: false, reason: `cart is ${facts.status}` };
  if (facts.itemCount === 0) return { match: false, reason: 'cart is empty' };
  if (!facts.hasEmail) return { match: false, reason: 'cart has no email address' };
  if (facts.orderedSince) return { match: false, reason: 'ordered after the cart was last active' };
  if (minCartValue !== null) {
    const gap = moneyGap('min_cart_value', minCartValue, facts.currency);
    if (gap) return { match: false, reason: `cart is in ${facts.currency}; ${gap}` };
    if (facts.valueMinor < amountIn(minCartValue, facts.currency)!)
      return { match: false, reason: 'cart value below min_cart_value' };
  }
  let step = -1;
  for (let i = 0; i < steps.length; i++) {
    if (now - facts.lastActivityAt >= steps[i]!.delayHours * hourMs) step = i;
  }
  if (step < 0) return { match: false, reason: `idle less than ${steps[0]?.delayHours ?? 0} h` };
  const dueAt = facts.lastActivityAt + steps[step]!.delayHours * hourMs;
  // The instance includes the activity time: a cart touched again is a new abandonment.
  return { match: true, step, dueAt, instance: cartRef(cartId, facts.lastActivityAt) };
}
