// The shop-wide offer rule (settings `offers`): no new coupon to a customer
// who got another coupon-carrying message within min_days_between_coupons,
// nor, with while_unredeemed, while they hold a coupon they can still use.
// Only a step that carries an offer is judged, and a series' own earlier
// coupons never block its later steps (the facts leave them out, as the
// frequency cap's do). Pure: the sweep's SQL gathers the facts, and
// `offerFacts` says which facts that SQL must find (tested against it).
import type { Campaign, OfferRule } from '../campaigns/types.ts';
import { dayMs, daysAgo, utcDay } from '../time.ts';
import { type HeldCouponFact, type Hit, liveMessageStatuses, type MessageFact } from './types.ts';

/** Which facts the rule needs for a campaign's hits; null fields are not gathered. */
export interface OfferFactNeeds {
  /** Coupon-carrying messages due after this count. */
  couponsSince: number | null;
  /** Coupons still usable at this time count. */
  heldCouponsAt: number | null;
}

export const noOfferFacts: OfferFactNeeds = { couponsSince: null, heldCouponsAt: null };

export function offerFactNeeds(campaign: Campaign, rule: OfferRule, now: number): OfferFactNeeds {
  if (!campaign.steps.some((step) => step.offer !== null)) return noOfferFacts;
  return {
    couponsSince: rule.minDaysBetweenCoupons === null ? null : now - rule.minDaysBetweenCoupons * dayMs,
    heldCouponsAt: rule.whileUnredeemed ? now : null,
  };
}

/** Why the rule refuses the hit, or undefined when it lets it through. */
export function offerRuleRefusal(
  hit: Hit,
  campaign: Campaign,
  rule: OfferRule,
  now: number,
): string | undefined {
  if (!carriesOffer(campaign, hit.step)) return undefined;
  const last = hit.lastCouponMessage;
  const days = rule.minDaysBetweenCoupons;
  if (days !== null && last && last.dueAt > now - days * dayMs) {
    return `${couponSent(last, now)} (settings offers.min_days_between_coupons is ${days})`;
  }
  const held = hit.heldCoupon;
  if (rule.whileUnredeemed && held && (held.expiresAt === null || held.expiresAt > now)) {
    return `${couponHeld(held)} (settings offers.while_unredeemed is true)`;
  }
  return undefined;
}

/** The rule's facts in words, for --explain whatever the outcome; none while the rule is off. */
export function offerRuleFacts(hit: Hit, campaign: Campaign, rule: OfferRule, now: number): string[] {
  const days = rule.minDaysBetweenCoupons;
  if (days === null && !rule.whileUnredeemed) return [];
  if (!carriesOffer(campaign, hit.step)) return ['this step carries no offer: the offer rule does not apply'];
  const facts: string[] = [];
  const last = hit.lastCouponMessage;
  if (days !== null && last !== undefined)
    facts.push(last ? couponSent(last, now) : `no other coupon-carrying message in the last ${days} days`);
  const held = hit.heldCoupon;
  if (rule.whileUnredeemed && held !== undefined)
    facts.push(held ? couponHeld(held) : 'holds no unused coupon');
  return facts;
}

function carriesOffer(campaign: Campaign, step: number): boolean {
  return Boolean(campaign.steps.find((each) => each.index === step)?.offer);
}

function couponSent(last: MessageFact, now: number): string {
  return last.dueAt <= now
    ? `sent a coupon by ${last.campaignId} ${daysAgo(last.dueAt, now)}`
    : `a coupon by ${last.campaignId} is scheduled for ${utcDay(last.dueAt)}`;
}

function couponHeld(held: HeldCouponFact): string {
  if (held.unsent) return `is to get a coupon from ${held.campaignId} with a message not sent yet`;
  const until = held.expiresAt === null ? 'with no expiry' : `valid until ${utcDay(held.expiresAt)}`;
  return `holds an unused coupon from ${held.campaignId}, ${until}`;
}

/** One earlier message to the customer, with the coupon it carried, as the tables hold them. */
export interface PastMessage {
  campaignId: string;
  triggerRef: string;
  status: string;
  dueAt: number;
  /** Its coupon, once issued (at the message's first send attempt). */
  coupon: { expiresAt: number | null; uses: number; usesAllowed: number } | null;
  /** The sweep noted it carries its step's offer (messages.offer_currency): coupon-carrying before its coupon exists. */
  offer?: boolean | undefined;
}

/** The hit's own series (an abandoned cart's steps), whose messages never count against it. */
export interface OwnSeries {
  campaignId: string;
  triggerRef: string;
}

const live = new Set<string>(liveMessageStatuses);

/**
 * The facts the sweep's SQL must find in a customer's messages: the latest
 * coupon-carrying live message due after couponsSince (its coupon issued, or
 * its offer noted and the coupon still to come), and the coupon of a live
 * message that is unexpired with uses left (the one lasting longest), else
 * one still to come with a message not sent yet. Ties go to the larger
 * campaign id, as the SQL orders them.
 */
export function offerFacts(
  history: readonly PastMessage[],
  needs: OfferFactNeeds,
  ownSeries: OwnSeries | null,
): Pick<Hit, 'lastCouponMessage' | 'heldCoupon'> {
  const others = history.filter(
    (m) =>
      live.has(m.status) &&
      (m.coupon !== null || m.offer === true) &&
      !(ownSeries && m.campaignId === ownSeries.campaignId && m.triggerRef === ownSeries.triggerRef),
  );
  const facts: Pick<Hit, 'lastCouponMessage' | 'heldCoupon'> = {};
  if (needs.couponsSince !== null) {
    const since = needs.couponsSince;
    facts.lastCouponMessage = latest(
      others
        .filter((m) => m.dueAt > since)
        .map((m): MessageFact => ({ campaignId: m.campaignId, dueAt: m.dueAt })),
      (f) => f.dueAt,
    );
  }
  if (needs.heldCouponsAt !== null) {
    const at = needs.heldCouponsAt;
    const held = others.flatMap((m): HeldCouponFact[] => {
      const c = m.coupon;
      if (!c) return [{ campaignId: m.campaignId, expiresAt: null, unsent: true }];
      const usable = c.uses < c.usesAllowed && (c.expiresAt === null || c.expiresAt > at);
      return usable ? [{ campaignId: m.campaignId, expiresAt: c.expiresAt }] : [];
    });
    // A coupon in hand is named before one still to come.
    facts.heldCoupon = latest(held, (f) =>
      f.unsent ? Number.NEGATIVE_INFINITY : (f.expiresAt ?? Number.POSITIVE_INFINITY),
    );
  }
  return facts;
}

/** The fact with the largest key, ties to the larger campaign id; null for none. */
export function latest<T extends { campaignId: string }>(
  facts: readonly T[],
  key: (fact: T) => number,
): T | null {
  let best: T | null = null;
  for (const fact of facts) {
    if (!best || key(fact) > key(best) || (key(fact) === key(best) && fact.campaignId > best.campaignId)) {
      best = fact;
    }
  }
  return best;
}
