// The shapes of a campaign report: the facts the database aggregates hand in,
// and the report built from them (what the CLI, the API and the dashboard
// show). Types only.
import type { InvalidReason } from '../offers/evaluate.ts';
import type { Lift } from './stats.ts';

/** Message and event counts of one campaign step, as SQL aggregates them. */
export interface StepCounts {
  /** Messages planned for mailing: every status but held_out. */
  scheduled: number;
  heldOut: number;
  /** Held-out messages whose due time has passed: the control group's size. */
  heldOutDue: number;
  /** Still waiting in the outbox (scheduled, sending, or ambiguous awaiting its one retry). */
  pending: number;
  sent: number;
  /**
   * Resent once after an ambiguous or interrupted send (the sender died with
   * it in flight): possibly delivered twice, with the same Message-ID.
   */
  resent: number;
  failed: number;
  cancelled: number;
  suppressed: number;
  /** Messages with at least one such event (each message counted once). */
  delivered: number;
  bounced: number;
  opened: number;
  /** Opened by a person: an open that was not a privacy proxy's prefetch. */
  openedExcludingProxy: number;
  clicked: number;
  unsubscribed: number;
  complained: number;
}

export interface StepFacts extends StepCounts {
  campaignId: string;
  step: number;
}

/** Per campaign, trigger instances (customer x cart/episode/restock) per group. */
export interface InstanceFacts {
  campaignId: string;
  mailed: number;
  heldOutDue: number;
}

export interface DailyFacts {
  campaignId: string;
  /**
   * Start of a quarter hour (epoch ms, UTC). Every UTC offset in use is a
   * whole number of quarter hours, so the core can put each quarter in its
   * day in the shop's time zone; SQL knows no time zones.
   */
  at: number;
  sends: number;
  /** Messages first opened (any open) in that quarter hour. */
  opens: number;
  /** Messages first clicked in that quarter hour. */
  clicks: number;
}

export interface AttributedFact {
  campaignId: string;
  step: number;
  /** Identifies the trigger instance the message belongs to. */
  instanceKey: string;
  messageId: string;
  kind: 'redeemed' | 'influenced';
  group: 'mailed' | 'held_out';
  currency: string;
  /** The order total: after any coupon discount. */
  totalMinor: number;
  /** What the coupon took off a redeemed order (redemptions.discount_minor); 0 for influenced orders. */
  discountMinor: number;
  placedAt: number;
}

/** Per campaign and clicked URL (the message's stored link at the click's index). */
export interface LinkFacts {
  campaignId: string;
  url: string;
  /** Click events on it. */
  clicks: number;
  /** Distinct recipients (customer, or address without one) who clicked it. */
  people: number;
}

/** Per campaign and reason, the coupon codes ingested orders carried that the redemption rule refused. */
export interface RejectionFacts {
  campaignId: string;
  reason: InvalidReason;
  count: number;
}

export interface CampaignInfo {
  id: string;
  name: string | null;
  attributionDays: number;
}

export interface ReportFacts {
  steps: StepFacts[];
  instances: InstanceFacts[];
  daily: DailyFacts[];
  attributed: AttributedFact[];
  rejections: RejectionFacts[];
  links: LinkFacts[];
}

export interface Money {
  currency: string;
  minor: number;
  /** Decimal text in the currency's units, e.g. "12.30". */
  amount: string;
}

export interface Conversion {
  mailed: { size: number; converted: number; rate: number | null };
  heldOut: { size: number; converted: number; rate: number | null };
  lift: Lift;
}

/** What conversion and the per-recipient figures count: a step's messages, or the campaign's trigger instances. */
export type ConversionUnit = 'messages' | 'trigger instances';

/** `count` of `of`, with what `of` counts. */
export interface Rate {
  count: number;
  of: number;
  /** What the denominator `of` counts: 'messages sent', or for conversion the unit mailed. */
  per: string;
  /** count / of; null when `of` is 0. */
  rate: number | null;
}

/**
 * Rates a marketer reads. Every one but conversion is per message sent (status
 * sent): delivery is only known when a mail provider reports it, so
 * `delivered` would shrink the base for SMTP shops. Conversion is converted
 * over mailed, counted in the report's unit (messages for a step, trigger
 * instances for the campaign), as in `conversion`.
 */
export interface Rates {
  openedPeople: Rate;
  /** Opens including privacy proxies' prefetches. */
  openedAll: Rate;
  clicked: Rate;
  unsubscribed: Rate;
  bounced: Rate;
  complained: Rate;
  conversion: Rate;
}

/**
 * One currency's revenue per recipient: the group's revenue in it over the
 * group's size in the report's unit (every member, buyers or not), rounded to
 * the minor unit.
 */
export interface RevenuePerRecipient {
  currency: string;
  /** Null when no one was mailed. */
  mailed: Money | null;
  /** Null when no one was held out (no control group). */
  heldOut: Money | null;
  /** mailed - heldOut, with its 95% interval (stats.ts, revenueDifference). */
  incremental: IncrementalRevenue;
}

export type IncrementalRevenue =
  | {
      enough: true;
      difference: Money;
      ci95: { low: Money; high: Money };
      /** True when the interval excludes zero. */
      significant: boolean;
    }
  | { enough: false; noControlGroup: boolean; reason: string };

export interface Outcomes extends StepCounts {
  /** Orders that used the campaign's coupon. */
  redeemed: number;
  /** Orders without its coupon inside the attribution window of a send or click. */
  influenced: number;
  /**
   * Revenue of redeemed and influenced orders, per currency. Net of coupon
   * discounts: order totals are recorded after the discount.
   */
  revenue: Money[];
  /** Revenue of redeemed orders only. */
  redeemedRevenue: Money[];
  /** Revenue of held-out customers' orders inside the window (the control group). */
  heldOutRevenue: Money[];
  /** What the coupons took off redeemed orders, per currency. */
  discount: Money[];
  /** revenue + discount: what the orders would have come to without the coupons. */
  grossRevenue: Money[];
  /** The unit of `conversion`, `rates.conversion` and `revenuePerRecipient`. */
  unit: ConversionUnit;
  rates: Rates;
  revenuePerRecipient: RevenuePerRecipient[];
  conversion: Conversion;
}

export interface StepReport extends Outcomes {
  step: number;
}

export interface DayReport {
  /** A calendar day in the report's `timeZone`, YYYY-MM-DD. */
  day: string;
  sends: number;
  opens: number;
  clicks: number;
  redemptions: number;
  /** Redeemed and influenced revenue of orders placed that day, per currency. */
  revenue: Money[];
}

export interface LinkClicks {
  /** Links clicked by at least `linkMinimumPeople` people, most clicked first. */
  links: { url: string; people: number; clicks: number }[];
  /**
   * Links each clicked by fewer people, summed and not named: such a link may
   * be one recipient's own (a cart's recovery link, a code in the URL).
   */
  fewPeople: { links: number; clicks: number };
}

export interface CampaignReport {
  id: string;
  name: string | null;
  attributionDays: number;
  /** The IANA zone of the daily rows' days (the shop's). */
  timeZone: string;
  /**
   * Campaign totals. The message counts add up the steps' messages; conversion,
   * rates.conversion and revenuePerRecipient count trigger instances.
   */
  totals: Outcomes;
  steps: StepReport[];
  daily: DayReport[];
  links: LinkClicks;
  /**
   * Codes of the campaign's coupons that ingested orders used although the
   * rule refused them (expired, used up, another customer's...): the shop's
   * checkout accepted a code Rekindle holds invalid. Never counted as
   * redemptions.
   */
  rejectedCodes: RejectedCodes;
}

export interface RejectedCodes {
  total: number;
  byReason: Partial<Record<InvalidReason, number>>;
}
