// The one owner of the trigger strings a sweep writes on a message and
// delivery and rendering read back: trigger refs (`trigger_ref`, one per
// trigger episode or shared budget) and trigger instances (the last part of
// the dedupe key). Formats and parses them; the SQL that builds the same
// strings (src/db/sweeps/trigger-ref-sql.ts) is made from the constants here,
// and a test on a real libSQL file shows both forms agree.
//
//   dormant        ref = instance = lp<last purchase ms>
//   abandoned cart ref = instance = cart<cart id>@<last activity ms>
//   back in stock  ref = restock<restocks row id>;
//                  instance = wl<waitlist entry id> | bis<product id>cart<cart id>
//   browse         ref = instance = view<product id>@<view ms>
//   audience send  ref = instance = send<send time ms>
//   price drop     ref = instance = drop<price_drops row id>
//   new arrivals   instance = new<first-in-stock ms of the batch's newest product>;
//                  ref = the instance followed by the batch's product ids, a JSON array
//   replenishment  ref = instance = refill<product id>@<purchase ms>

import { daysAgo, formatInstant, utcDay } from '../time.ts';

/** Formats of the strings, for the SQL that must build the same ones. */
export const triggerRefParts = {
  dormant: 'lp',
  cart: 'cart',
  /** Between the cart id and its activity time: ids may hold '@', the time never does. */
  cartAt: '@',
  restock: 'restock',
  priceDrop: 'drop',
  waitlist: 'wl',
  heldCart: 'bis',
  /** Between the product id and the cart id of a held-cart instance. */
  heldCartCart: 'cart',
  view: 'view',
  /** Between the product id and the view time, as in a cart ref. */
  viewAt: '@',
  send: 'send',
  newArrivals: 'new',
  refill: 'refill',
  /** Between the product id and the purchase time, as in a cart ref. */
  refillAt: '@',
} as const;

const p = triggerRefParts;

/** One dormancy episode per last purchase: buying again starts a new one. */
export function dormantRef(lastPurchaseAt: number): string {
  return `${p.dormant}${lastPurchaseAt}`;
}

/** A cart touched again is a new abandonment: the activity time is part of the ref. */
export function cartRef(cartId: string, lastActivityAt: number): string {
  return `${p.cart}${cartId}${p.cartAt}${lastActivityAt}`;
}

/** Every message one restock allows shares this ref (and so the restock's allocation). */
export function restockRef(restockId: number | string): string {
  return `${p.restock}${restockId}`;
}

/** The instance of a back-in-stock message to a waitlist entry. */
export function waitlistInstance(entryId: string): string {
  return `${p.waitlist}${entryId}`;
}

/** The instance of a back-in-stock message to an open cart holding the product. */
export function heldCartInstance(productId: string, cartId: string): string {
  return `${p.heldCart}${productId}${p.heldCartCart}${cartId}`;
}

/** One browse abandonment per latest product view: viewing again starts a new one. */
export function browseRef(productId: string, viewedAt: number): string {
  return `${p.view}${productId}${p.viewAt}${viewedAt}`;
}

/** One audience send per send time: a recurring send makes a new one each time. */
export function audienceSendRef(sendTime: number): string {
  return `${p.send}${sendTime}`;
}

/** One new-arrivals message per batch, named by its newest product's first-in-stock time. */
export function newArrivalsInstance(newestArrivalAt: number): string {
  return `${p.newArrivals}${newestArrivalAt}`;
}

/** The instance followed by the batch's product ids as a JSON array: the message lists exactly these. */
export function newArrivalsRef(newestArrivalAt: number, productIds: readonly string[]): string {
  return `${newArrivalsInstance(newestArrivalAt)}${JSON.stringify(productIds)}`;
}

/** `new<ms>` or `new<ms>[ids]` -> the newest arrival's time and the ids (none for an instance); null for another shape. */
export function parseNewArrivalsRef(ref: string): { newestAt: number; productIds: string[] } | null {
  const match = /^(-?\d+)(\[.*\])?$/s.exec(
    ref.startsWith(p.newArrivals) ? ref.slice(p.newArrivals.length) : '',
  );
  if (!match) return null;
  let productIds: unknown = [];
  try {
    productIds = match[2] === undefined ? [] : JSON.parse(match[2]);
  } catch {
    return null;
  }
  if (!Array.isArray(productIds) || !productIds.every((id) => typeof id === 'string')) return null;
  return { newestAt: Number(match[1]), productIds };
}

/** `send<ms>` -> the send time; null for another shape. */
export function parseAudienceSendRef(ref: string): number | null {
  return timeAfter(ref, p.send);
}

/** `lp<ms>` -> the last purchase time; null for another shape. */
export function parseDormantRef(ref: string): number | null {
  return timeAfter(ref, p.dormant);
}

/** `<prefix><ms>` -> the time; null for another shape. */
function timeAfter(ref: string, prefix: string): number | null {
  if (!ref.startsWith(prefix)) return null;
  const digits = ref.slice(prefix.length);
  return /^-?\d+$/.test(digits) ? Number(digits) : null;
}

/** `cart<id>@<ms>` -> the cart id and its activity time; null for another shape. */
export function parseCartRef(ref: string): { cartId: string; lastActivityAt: number } | null {
  const split = splitAt(ref, p.cart, p.cartAt);
  return split && { cartId: split.id, lastActivityAt: split.at };
}

/** `view<product id>@<ms>` -> the product and the view time; null for another shape. */
export function parseBrowseRef(ref: string): { productId: string; viewedAt: number } | null {
  const split = splitAt(ref, p.view, p.viewAt);
  return split && { productId: split.id, viewedAt: split.at };
}

/** One replenishment reminder per latest purchase of a product: buying it again starts a new one. */
export function replenishRef(productId: string, boughtAt: number): string {
  return `${p.refill}${productId}${p.refillAt}${boughtAt}`;
}

/** `refill<product id>@<ms>` -> the product and the purchase time; null for another shape. */
export function parseReplenishRef(ref: string): { productId: string; boughtAt: number } | null {
  const split = splitAt(ref, p.refill, p.refillAt);
  return split && { productId: split.id, boughtAt: split.at };
}

/** `<prefix><id><separator><ms>`, the id free to hold the separator: split at its last one. */
function splitAt(ref: string, prefix: string, separator: string): { id: string; at: number } | null {
  const at = ref.lastIndexOf(separator);
  if (!ref.startsWith(prefix) || at <= prefix.length) return null;
  const time = ref.slice(at + separator.length);
  if (!/^-?\d+$/.test(time)) return null;
  return { id: ref.slice(prefix.length, at), at: Number(time) };
}

/** One price-drop message per customer per drop: the drop's row id. */
export function priceDropRef(dropId: number): string {
  return `${p.priceDrop}${dropId}`;
}

/** `drop<id>` -> the price_drops row id; null for another shape. */
export function parsePriceDropRef(ref: string): number | null {
  if (!ref.startsWith(p.priceDrop)) return null;
  const digits = ref.slice(p.priceDrop.length);
  return /^\d+$/.test(digits) ? Number(digits) : null;
}

/** `restock<id>` -> the restocks row id; null for another shape. */
export function parseRestockRef(ref: string): number | null {
  if (!ref.startsWith(p.restock)) return null;
  const digits = ref.slice(p.restock.length);
  return /^\d+$/.test(digits) ? Number(digits) : null;
}

/**
 * A trigger instance in words, for a marketer (`sweep --explain`): the facts
 * it stands for, never the internal string (`lp1773833443586`).
 */
export function describeInstance(instance: string, now: number): string {
  const lastPurchase = parseDormantRef(instance);
  if (lastPurchase !== null) return `last purchase ${utcDay(lastPurchase)}, ${daysAgo(lastPurchase, now)}`;
  const cart = parseCartRef(instance);
  if (cart) {
    const at = formatInstant(cart.lastActivityAt).slice(0, 16).replace('T', ' ');
    return `cart ${cart.cartId} left ${at} UTC`;
  }
  const send = parseAudienceSendRef(instance);
  if (send !== null) return `the send of ${formatInstant(send).slice(0, 16).replace('T', ' ')} UTC`;
  const arrivals = parseNewArrivalsRef(instance);
  if (arrivals !== null)
    return `new arrivals up to ${formatInstant(arrivals.newestAt).slice(0, 16).replace('T', ' ')} UTC`;
  const refill = parseReplenishRef(instance);
  if (refill) {
    const at = formatInstant(refill.boughtAt).slice(0, 16).replace('T', ' ');
    return `product ${refill.productId} bought ${at} UTC, ${daysAgo(refill.boughtAt, now)}`;
  }
  const view = parseBrowseRef(instance);
  if (view) {
    const at = formatInstant(view.viewedAt).slice(0, 16).replace('T', ' ');
    return `product ${view.productId} viewed ${at} UTC`;
  }
  const drop = parsePriceDropRef(instance);
  if (drop !== null) return `price drop ${drop}`;
  // Product and cart ids may hold the separator, so a held-cart instance is not split.
  if (instance.startsWith(p.waitlist)) return 'back in stock for a waitlist sign-up';
  if (instance.startsWith(p.heldCart)) return 'back in stock, held in an open cart';
  return instance;
}
