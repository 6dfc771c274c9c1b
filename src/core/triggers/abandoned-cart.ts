// The abandoned-cart series as a pure rule over one cart. A sweep schedules the
// latest step that is due; earlier steps a late sweep missed are skipped, not
// sent out of order.

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
  minCartValueMinor = 0,
): CartOutcome {
  if (facts.status !== 'open') return { match: false, reason: `cart is ${facts.status}` };
  if (facts.itemCount === 0) return { match: false, reason: 'cart is empty' };
  if (!facts.hasEmail) return { match: false, reason: 'cart has no email address' };
  if (facts.orderedSince) return { match: false, reason: 'ordered after the cart was last active' };
  if (facts.valueMinor < minCartValueMinor)
    return { match: false, reason: 'cart value below min_cart_value' };
  let step = -1;
  for (let i = 0; i < steps.length; i++) {
    if (now - facts.lastActivityAt >= steps[i]!.delayHours * hourMs) step = i;
  }
  if (step < 0) return { match: false, reason: `idle less than ${steps[0]?.delayHours ?? 0} h` };
  const dueAt = facts.lastActivityAt + steps[step]!.delayHours * hourMs;
  // The instance includes the activity time: a cart touched again is a new abandonment.
  return { match: true, step, dueAt, instance: cartRef(cartId, facts.lastActivityAt) };
}
