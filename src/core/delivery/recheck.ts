// The last look at a claimed message before it is sent: the facts the sweep
// saw may have changed since it planned the message (the customer
// unsubscribed, ordered, the cart converted, the product sold out again, the
// campaign was switched off, the viewed product sold out, a dropped price
// went back up, the customer re-bought the product a reminder is for). Returns why the message must be cancelled, or
// null to send it. Pure: the facts are read by the outbox repository.
import { needsMarketingConsent } from '../campaigns/consent.ts';
import type { Campaign, CampaignStep, ShopSettings } from '../campaigns/types.ts';
import { parseBrowseRef, parseCartRef, parseDormantRef, parseReplenishRef } from '../triggers/trigger-ref.ts';

export const cancelReasons = [
  'no_address',
  'suppressed',
  'erased',
  'consent_withdrawn',
  'campaign_removed',
  'campaign_disabled',
  'step_removed',
  'ordered',
  'cart_converted',
  'cart_deleted',
  'cart_changed',
  'sold_out',
  'price_restored',
  'rebought',
  /** Not from the recheck: the view builder found nothing left to show (a product or cart gone). */
  'content_unavailable',
] as const;
export type CancelReason = (typeof cancelReasons)[number];

/** What the database says now about one claimed message. */
export interface RecheckFacts {
  campaignId: string;
  step: number;
  triggerKind: string;
  /** The message has an address to go to. */
  hasAddress: boolean;
  /** The customer row's suppression, or the address's hash in the suppression table. */
  suppressed: boolean;
  erased: boolean;
  /** False without a customer row: nobody said yes to marketing. */
  consent: boolean;
  /**
   * A paid order placed after the purchase, cart activity or product view that
   * started this trigger instance; for price_drop, a paid order holding the
   * product at or after the drop.
   */
  orderedSince: boolean;
  /** abandoned_cart only: the cart as it is now; null when it no longer exists. */
  cart?: { status: 'open' | 'converted' | 'deleted'; lastActivityAt: number } | null | undefined;
  /** abandoned_cart only: the cart activity the message was planned for. */
  plannedCartActivityAt?: number | null | undefined;
  /** back_in_stock and browse_abandonment: whether the restocked or viewed product is in stock now; null when unknown. */
  productInStock?: boolean | null | undefined;
  /** price_drop only: the product sells above the dropped price now, or in another currency (priceHolds). */
  priceRestored?: boolean | undefined;
  /** replenishment only: a paid order holding the product placed after the purchase the reminder is for. */
  reboughtSince?: boolean | undefined;
}

export type RecheckResult =
  | { send: true; campaign: Campaign; step: CampaignStep }
  | { send: false; reason: CancelReason };

export function recheck(
  facts: RecheckFacts,
  campaigns: { settings: ShopSettings; campaigns: readonly Campaign[] },
): RecheckResult {
  if (!facts.hasAddress) return { send: false, reason: 'no_address' };
  if (facts.suppressed) return { send: false, reason: 'suppressed' };
  if (facts.erased) return { send: false, reason: 'erased' };
  const campaign = campaigns.campaigns.find((c) => c.id === facts.campaignId);
  if (!campaign) return { send: false, reason: 'campaign_removed' };
  if (!campaign.enabled) return { send: false, reason: 'campaign_disabled' };
  const step = campaign.steps[facts.step];
  if (!step) return { send: false, reason: 'step_removed' };
  if (!facts.consent && needsMarketingConsent(campaign, campaigns.settings, facts.step)) {
    return { send: false, reason: 'consent_withdrawn' };
  }
  if (
    facts.triggerKind === 'dormant' ||
    facts.triggerKind === 'abandoned_cart' ||
    facts.triggerKind === 'browse_abandonment' ||
    facts.triggerKind === 'price_drop'
  ) {
    if (facts.orderedSince) return { send: false, reason: 'ordered' };
  }
  if (facts.triggerKind === 'abandoned_cart') {
    const cart = facts.cart;
    if (!cart || cart.status === 'deleted') return { send: false, reason: 'cart_deleted' };
    if (cart.status === 'converted') return { send: false, reason: 'cart_converted' };
    // Touched again since: the sweep plans a reminder for the new abandonment instead.
    if (facts.plannedCartActivityAt != null && cart.lastActivityAt !== facts.plannedCartActivityAt) {
      return { send: false, reason: 'cart_changed' };
    }
  }
  if (facts.triggerKind === 'replenishment' && facts.reboughtSince)
    return { send: false, reason: 'rebought' };
  if (facts.productInStock === false) {
    return { send: false, reason: 'sold_out' };
  }
  if (facts.priceRestored) return { send: false, reason: 'price_restored' };
  return { send: true, campaign, step };
}

/**
 * What a message's trigger ref says about when its trigger started, read by
 * its owner (src/core/triggers/trigger-ref.ts): dormant `lp<last purchase
 * ms>`, abandoned cart `cart<cart id>@<last activity ms>`, browse abandonment
 * `view<product id>@<view ms>`, replenishment `refill<product id>@<purchase
 * ms>`. Null when the ref has another shape.
 */
export function parseTriggerRef(
  triggerKind: string,
  triggerRef: string,
): { since: number; cartId?: string; productId?: string } | null {
  if (triggerKind === 'dormant') {
    const since = parseDormantRef(triggerRef);
    return since === null ? null : { since };
  }
  if (triggerKind === 'abandoned_cart') {
    const cart = parseCartRef(triggerRef);
    return cart && { since: cart.lastActivityAt, cartId: cart.cartId };
  }
  if (triggerKind === 'browse_abandonment') {
    const view = parseBrowseRef(triggerRef);
    return view && { since: view.viewedAt, productId: view.productId };
  }
  if (triggerKind === 'replenishment') {
    const refill = parseReplenishRef(triggerRef);
    return refill && { since: refill.boughtAt, productId: refill.productId };
  }
  return null;
}
