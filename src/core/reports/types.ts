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
  /** UTC date, YYYY-MM-DD. */
  day: string;
  sends: number;
  /** Messages first opened (any open) that day. */
  opens: number;
  /** Messages first clicked that day. */
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
  totalMinor: number;
  placedAt: number;
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

export interface Outcomes extends StepCounts {
  /** Orders that used the campaign's coupon. */
  redeemed: number;
  /** Orders without its coupon inside the attribution window of a send or click. */
  influenced: number;
  /** Revenue of redeemed and influenced orders, per currency. */
  revenue: Money[];
  /** Revenue of redeemed orders only. */
  redeemedRevenue: Money[];
  /** Revenue of held-out customers' orders inside the window (the control group). */
  heldOutRevenue: Money[];
  conversion: Conversion;
}

export interface StepReport extends Outcomes {
  step: number;
}

export interface DayReport {
  day: string;
  sends: number;
  opens: number;
  clicks: number;
  redemptions: number;
  /** Redeemed and influenced revenue of orders placed that day. */
  revenue: Money[];
}

export interface CampaignReport {
  id: string;
  name: string | null;
  attributionDays: number;
  /** Campaign totals; the conversion counts trigger instances, not messages. */
  totals: Outcomes;
  steps: StepReport[];
  daily: DayReport[];
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
