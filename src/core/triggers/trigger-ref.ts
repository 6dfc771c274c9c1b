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

import { daysAgo, formatInstant, utcDay } from '../time.ts';

/** Formats of the strings, for the SQL that must build the same ones. */
export const triggerRefParts = {
  dormant: 'lp',
  cart: 'cart',
  /** Between the cart id and its activity time: ids may hold '@', the time never does. */
  cartAt: '@',
  restock: 'restock',
  waitlist: 'wl',
  heldCart: 'bis',
  /** Between the product id and the cart id of a held-cart instance. */
  heldCartCart: 'cart',
  view: 'view',
  /** Between the product id and the view time, as in a cart ref. */
  viewAt: '@',
  send: 'send',
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

/** `send<ms>` -> the send time; null for another shape. */
export function parseAudienceSendRef(ref: string): number | null {
  if (!ref.startsWith(p.send)) return null;
  const digits = ref.slice(p.send.length);
  return /^-?\d+$/.test(digits) ? Number(digits) : null;
}

/** `lp<ms>` -> the last purchase time; null for another shape. */
export function parseDormantRef(ref: string): number | null {
  if (!ref.startsWith(p.dormant)) return null;
  const digits = ref.slice(p.dormant.length);
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

/** `<prefix><id><separator><ms>`, the id free to hold the separator: split at its last one. */
function splitAt(ref: string, prefix: string, separator: string): { id: string; at: number } | null {
  const at = ref.lastIndexOf(separator);
  if (!ref.startsWith(prefix) || at <= prefix.length) return null;
  const time = ref.slice(at + separator.length);
  if (!/^-?\d+$/.test(time)) return null;
  return { id: ref.slice(prefix.length, at), at: Number(time) };
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
  const view = parseBrowseRef(instance);
  if (view) {
    const at = formatInstant(view.viewedAt).slice(0, 16).replace('T', ' ');
    return `product ${view.productId} viewed ${at} UTC`;
  }
  // Product and cart ids may hold the separator, so a held-cart instance is not split.
  if (instance.startsWith(p.waitlist)) return 'back in stock for a waitlist sign-up';
  if (instance.startsWith(p.heldCart)) return 'back in stock, held in an open cart';
  return instance;
}
