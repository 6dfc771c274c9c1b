// What the selection rules work on: one trigger hit per row, with the facts a
// sweep's SQL gathered for it, and the decision each hit ends in.
import type { TriggerType } from '../campaigns/trigger-block.ts';

export interface Hit {
  campaignId: string;
  triggerKind: TriggerType;
  step: number;
  /** The trigger instance: dormancy episode, cart abandonment, waitlist entry. */
  instance: string;
  /** Groups hits that share a budget, e.g. one restock's allocation. */
  triggerRef: string;
  customerId: string | null;
  email: string;
  timezone: string | null;
  consent: boolean;
  suppressed: boolean;
  /** The customer's currency (src/core/money-by-currency.ts): their coupon is written in it. */
  currency: string;
  /** Why the audience filter refused the hit, when it did. */
  audienceFailure?: string | undefined;
  /** When the trigger says the message is due, before the send window. */
  dueAt: number;
  /**
   * Due times of the customer's other live marketing messages (by address when
   * there is no customer id), not counting earlier steps of this hit's own
   * series: the cap spaces conversations, not the steps within one.
   */
  recentMessageTimes: readonly number[];
  /** Created time of this campaign's last message to the customer, any status. */
  lastCampaignMessageAt: number | null;
  /** Only for --explain: the customer facts behind the decision, gathered whether the rules need them or not. */
  facts?: HitFacts | undefined;
  /**
   * Facts of the offer rule and exclude_if_messaged_by, gathered only when
   * the rule can apply to the campaign (undefined otherwise), never counting
   * this hit's own series: the latest coupon-carrying live message inside the
   * rule's days, a coupon the customer can still use, and the latest live
   * message of a campaign this one excludes by.
   */
  lastCouponMessage?: MessageFact | null | undefined;
  heldCoupon?: HeldCouponFact | null | undefined;
  messagedBy?: MessageFact | null | undefined;
}

/** Statuses of messages that went out or will: what "messaged" means to the cap and the offer rules. */
export const liveMessageStatuses = ['scheduled', 'sending', 'sent', 'ambiguous'] as const;

/** One earlier message: which campaign sent it and when it was (or is) due. */
export interface MessageFact {
  campaignId: string;
  dueAt: number;
}

/**
 * A coupon the customer holds: its campaign and when it expires (null:
 * never). `unsent` marks an offer-carrying message not sent yet: its coupon is
 * issued when it goes out, and the customer is as good as holding it.
 */
export interface HeldCouponFact {
  campaignId: string;
  expiresAt: number | null;
  unsent?: true | undefined;
}

export interface HitFacts {
  purchases: number | null;
  currency: string;
  totalSpentMinor: number | null;
  lastOrderValueMinor: number | null;
  /** First and last paid purchase (the dormant trigger's cadence reads them). */
  firstPurchaseAt?: number | undefined;
  lastPurchaseAt?: number | undefined;
  /** The trigger instance's own facts in words (a price drop's figures and the interest behind it). */
  trigger?: readonly string[] | undefined;
}

export const exclusionRules = [
  'suppressed',
  'no_consent',
  'audience',
  'messaged_by',
  'priority',
  'frequency_cap',
  'cooldown',
  'offer_rule',
  'allocation',
] as const;
export type ExclusionRule = (typeof exclusionRules)[number];

export type Decision =
  | { hit: Hit; outcome: 'scheduled'; dueAt: number; note?: string }
  | { hit: Hit; outcome: 'held_out'; dueAt: number }
  | { hit: Hit; outcome: 'excluded'; rule: ExclusionRule; detail: string };
