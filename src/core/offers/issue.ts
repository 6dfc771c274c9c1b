// The coupon a message is given at its first send attempt, and which code it
// gets. Pure: the sweep only notes on the message that it carries its step's
// offer and in which currency (messages.offer_currency); delivery turns that
// into a coupon here just before the message is rendered, and the repository
// writes it keyed by the message, so a retried or ambiguous send carries the
// code its first attempt was given. A message that is never sent (held out,
// cancelled, suppressed, still waiting) never has a coupon at all.
import type { Offer } from '../campaigns/types.ts';
import { dayMs } from '../time.ts';
import { cryptoRandom, generateCode, type RandomSource } from './code.ts';
import { type CouponTerms, termsIn } from './discount.ts';

/** A message about to be sent, as far as its coupon goes. */
export interface MessageToCode {
  id: string;
  campaignId: string;
  customerId: string | null;
  /** The currency the sweep noted its offer in; null when it carries none. */
  offerCurrency: string | null;
  /** The code an earlier attempt fixed; it is kept. */
  couponCode: string | null;
}

/** A coupon as it is written, one per message. */
export interface IssuedCoupon {
  code: string;
  messageId: string;
  campaignId: string;
  /** Set when only this customer may redeem it. */
  customerId: string | null;
  terms: CouponTerms;
  currency: string;
  minSubtotalMinor: number | null;
  expiresAt: number;
  usesAllowed: number;
  issuedAt: number;
}

export type CouponPlan =
  /** Nothing to issue: no offer noted, or the code is already fixed. */
  | { kind: 'none' }
  /** The sweep noted an offer, but the step carries none now (the campaign file changed): sent without one. */
  | { kind: 'offer_gone' }
  /** The offer names no figure in the noted currency any more: the message cannot go as planned. */
  | { kind: 'gap'; reason: string }
  | { kind: 'issue'; coupon: IssuedCoupon };

/**
 * What one message's first send attempt issues. `offer` is its step's offer
 * in the campaign as it is now; `taken` holds the codes already planned in
 * this batch (two equal codes would fail the whole write on the primary key).
 */
export function planCoupon(
  offer: Offer | null,
  message: MessageToCode,
  now: number,
  taken: Set<string>,
  random: RandomSource = cryptoRandom,
): CouponPlan {
  if (message.couponCode !== null || message.offerCurrency === null) return { kind: 'none' };
  if (!offer) return { kind: 'offer_gone' };
  const currency = message.offerCurrency.toUpperCase();
  const written = termsIn(offer, currency);
  if ('gap' in written) return { kind: 'gap', reason: written.gap };
  let code = generateCode(offer.codePrefix, random);
  while (taken.has(code)) code = generateCode(offer.codePrefix, random);
  taken.add(code);
  return {
    kind: 'issue',
    coupon: {
      code,
      messageId: message.id,
      campaignId: message.campaignId,
      customerId: offer.bindToCustomer ? message.customerId : null,
      terms: written.terms,
      currency,
      minSubtotalMinor: written.minSubtotalMinor,
      expiresAt: couponExpiry(offer, now),
      usesAllowed: offer.uses,
      issuedAt: now,
    },
  };
}

/**
 * A coupon expires this long after it is issued, that is after its
 * message's first send attempt: the shopper gets the offer's days from the
 * moment the mail goes out, however long it waited in the outbox (a send
 * window, a backlog, a checkout that was down). A retry keeps the expiry the
 * first attempt fixed. An offer with an end (`expires_at`: a sale's last
 * moment) never runs past it.
 */
export function couponExpiry(offer: Pick<Offer, 'expiresAfterDays' | 'expiresAt'>, issuedAt: number): number {
  const afterDays = issuedAt + offer.expiresAfterDays * dayMs;
  return offer.expiresAt == null ? afterDays : Math.min(afterDays, offer.expiresAt);
}
