// Browse abandonment as a pure rule over one customer: their latest product
// view is `hours` old (and not yet `max_hours`), no cart was touched at or
// after it and no paid order placed after it, and the product is still there
// to be shown and bought. One message per latest view (a view later starts a
// new one); the campaign's cooldown_days spaces them per customer. The sweep's
// SQL gathers these facts (src/db/sweeps/browse-hits.ts) and this decides.
import type { BrowseAbandonmentTrigger } from '../campaigns/types.ts';
import { hourMs } from '../time.ts';
import { browseRef } from './trigger-ref.ts';

export interface ProductView {
  productId: string;
  at: number;
}

/** As known at the sweep's `now`: views, carts and orders after it are not facts yet. */
export interface BrowseFacts {
  /** The customer's latest product view by now (latestProductView); null when they viewed none. */
  lastView: ProductView | null;
  /** The viewed product's stock now; null when the catalog does not have it. */
  productInStock: boolean | null;
  /** A cart of the customer was touched at or after the view (and by now). */
  cartedSince: boolean;
  /** The customer placed a paid order after the view (and by now). */
  orderedSince: boolean;
}

export type BrowseOutcome =
  | { match: true; dueAt: number; instance: string; productId: string }
  | { match: false; reason: string };

/** The latest of a customer's product views; of two in the same millisecond, the smaller product id. */
export function latestProductView(views: readonly ProductView[]): ProductView | null {
  let latest: ProductView | null = null;
  for (const view of views) {
    if (!latest || view.at > latest.at || (view.at === latest.at && view.productId < latest.productId))
      latest = view;
  }
  return latest;
}

export function matchBrowseAbandonment(
  trigger: Pick<BrowseAbandonmentTrigger, 'hours' | 'maxHours'>,
  facts: BrowseFacts,
  now: number,
): BrowseOutcome {
  const view = facts.lastView;
  if (!view) return { match: false, reason: 'no product viewed' };
  const idle = now - view.at;
  if (idle < trigger.hours * hourMs) {
    return {
      match: false,
      reason: `latest product view ${(idle / hourMs).toFixed(1)} h ago; the trigger waits ${trigger.hours} h`,
    };
  }
  if (idle > trigger.maxHours * hourMs) {
    return {
      match: false,
      reason: `latest product view ${(idle / hourMs).toFixed(1)} h ago, past max_hours ${trigger.maxHours}`,
    };
  }
  if (facts.orderedSince) return { match: false, reason: 'ordered after the view' };
  if (facts.cartedSince) return { match: false, reason: 'a cart was touched after the view' };
  if (facts.productInStock === null)
    return { match: false, reason: `product ${view.productId} is not in the catalog` };
  if (!facts.productInStock) return { match: false, reason: `product ${view.productId} is out of stock` };
  return {
    match: true,
    dueAt: view.at + trigger.hours * hourMs,
    instance: browseRef(view.productId, view.at),
    productId: view.productId,
  };
}
