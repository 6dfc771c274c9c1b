// The normalized campaign and settings that the engine works with, produced
// by campaignSchema/settingsSchema from the snake_case files: camelCase keys,
// money in integer minor units per currency (MoneyByCurrency), clock times in minutes
// after midnight, every default filled in. Types only.
import type { MoneyByCurrency } from '../money-by-currency.ts';
import type { OutgoingEventType } from '../webhooks/events.ts';
import type { Weekday } from './fields.ts';

export type { Weekday };

export type Offer = {
  minSubtotal: MoneyByCurrency | null;
  expiresAfterDays: number;
  /** The coupon never outlives this instant (a sale's end), however many days are left; null or left out = no such end. */
  expiresAt?: number | null;
  codePrefix: string;
  uses: number;
  bindToCustomer: boolean;
} & (
  | { kind: 'percent_off'; percent: number }
  | { kind: 'amount_off'; amount: MoneyByCurrency }
  | { kind: 'free_shipping' }
);

export interface EmailSpec {
  /** File name inside the emails folder. */
  template: string;
  /** Liquid source of the subject line. */
  subject: string;
}

/**
 * One message of a campaign. Abandoned-cart campaigns have one step per
 * reminder; the other triggers' campaigns have exactly one (index 0).
 */
export interface CampaignStep {
  index: number;
  /** Hours of cart inactivity before this step; 0 for single-step campaigns. */
  delayHours: number;
  email: EmailSpec;
  offer: Offer | null;
}

export interface DormantTrigger {
  type: 'dormant';
  days: number;
  maxDays: number | null;
  minOrders: number;
  /** Overdue rule: last purchase > factor x the customer's median gap; null = off. */
  cadenceFactor: number | null;
}

export interface AbandonedCartTrigger {
  type: 'abandoned_cart';
  minCartValue: MoneyByCurrency | null;
}

export interface BackInStockTrigger {
  type: 'back_in_stock';
  includeCarts: boolean;
  /** per_unit: mail at most ceil(units restocked x factor) entries per restock. */
  allocation: { mode: 'all' } | { mode: 'per_unit'; factor: number };
}

/** A product viewed and left: no cart or paid order after the customer's latest product view. */
export interface BrowseAbandonmentTrigger {
  type: 'browse_abandonment';
  /** Hours after the latest product view before the message is due. */
  hours: number;
  /** A latest view older than this many hours no longer fires. */
  maxHours: number;
}

/** A scheduled send to everyone the audience matches at `send_at`: once, or at each cron time (UTC). */
export interface AudienceSendTrigger {
  type: 'audience';
  sendAt: { at: number } | { cron: string };
  /** Days since the last purchase at the send; null = no bound. */
  idleDays: { min: number | null; max: number | null };
  /** At most this many messages due per hour from the send on; null = all at once. */
  perHour: number | null;
  /** Sweeps up to this many hours after a send time still make that send. */
  catchUpHours: number;
}

/** A product the customer viewed, carted or waited for got at least min_percent cheaper: one message per drop. */
export interface PriceDropTrigger {
  type: 'price_drop';
  /** The fall, (from - to) / from, in whole percent at least this. */
  minPercent: number;
  /** The view, cart activity or waitlist sign-up within this many days before the drop. */
  days: number;
  /** A drop older than this many hours at the sweep no longer fires. */
  maxHours: number;
}

/** Products new in the categories a customer bought or browsed: one message per batch of arrivals. */
export interface NewArrivalsTrigger {
  type: 'new_arrivals';
  /** Products first in stock within this many days are new. */
  days: number;
  /** Fewer new products than this for the customer: no message. */
  minProducts: number;
  /** One message lists at most this many, newest first. */
  maxProducts: number;
  /** Days since the last purchase at the sweep; null = no bound (as an audience send's idle_days). */
  idleDays: { min: number | null; max: number | null };
}

/** A consumable due again: N days after the customer's latest purchase of a product, until they re-buy it. */
export interface ReplenishmentTrigger {
  type: 'replenishment';
  /** Mail this many days before the interval is up. */
  daysBefore: number;
  /** A purchase whose interval was up more than this many days ago is no longer mailed. */
  maxDaysLate: number;
  /** Learn the interval of a product without replenish_days from its re-buys; null = off (learn: false). */
  learn: { minIntervals: number } | null;
  /** Only products in these categories; null = every product. */
  categories: string[] | null;
}

export type Trigger =
  | NewArrivalsTrigger
  | DormantTrigger
  | AbandonedCartTrigger
  | BackInStockTrigger
  | BrowseAbandonmentTrigger
  | AudienceSendTrigger
  | PriceDropTrigger
  | ReplenishmentTrigger;

/** Conditions that must all hold; null (or an empty list) means "no condition". */
export interface Audience {
  minOrders: number | null;
  maxOrders: number | null;
  minTotalSpent: MoneyByCurrency | null;
  maxTotalSpent: MoneyByCurrency | null;
  countries: string[] | null;
  tagsAny: string[] | null;
  tagsNone: string[];
  minLastOrderValue: MoneyByCurrency | null;
  categoriesBought: string[] | null;
}

export interface SendWindow {
  startMinute: number;
  /** Less than startMinute when the window spans midnight. */
  endMinute: number;
  days: Weekday[];
}

export interface Campaign {
  /** The file name without extension. */
  id: string;
  name: string;
  enabled: boolean;
  /** Higher wins when several campaigns want the same customer; ties go to the smaller id. */
  priority: number;
  cooldownDays: number;
  holdoutPercent: number;
  attributionDays: number;
  /** What happens to a message the shop-wide frequency cap blocks. */
  onFrequencyCap: 'defer' | 'drop';
  /**
   * required: every send needs marketing consent. shop_policy: the sends listed
   * in settings consent.nonSubscribersMayReceive may also go to non-subscribers.
   */
  consent: 'required' | 'shop_policy';
  trigger: Trigger;
  audience: Audience;
  /** Leave out customers the named campaigns messaged (live messages) within withinDays; null = no such rule. */
  excludeIfMessagedBy: { campaigns: string[]; withinDays: number } | null;
  steps: CampaignStep[];
  sendWindow: SendWindow | null;
}

export type NonSubscriberSend = 'abandoned_cart_first_step' | 'back_in_stock';

/**
 * The shop-wide offer rule: no new coupon within minDaysBetweenCoupons days of
 * another coupon-carrying message (null = no spacing), nor, with
 * whileUnredeemed, while the customer holds a coupon they can still use.
 */
export interface OfferRule {
  minDaysBetweenCoupons: number | null;
  whileUnredeemed: boolean;
}

export interface ShopSettings {
  brand: { name: string; logoUrl: string | null; color: string | null };
  sender: { fromName: string; fromEmail: string; replyTo: string | null };
  postalAddress: string;
  timezone: string;
  currency: string;
  frequencyCap: { maxMessages: number; perDays: number };
  quietHours: { startMinute: number; endMinute: number } | null;
  offers: OfferRule;
  schedules: { dormantCron: string; cartCron: string };
  consent: { nonSubscribersMayReceive: NonSubscriberSend[] };
  links: { unsubscribeBaseUrl: string | null };
  /**
   * The shop's endpoints for events (core/webhooks/events.ts). The settings
   * schema always fills it; settings built in code may leave it out (none).
   */
  webhooks?: WebhookEndpointSettings[];
  /** Browse events (core/tracking/browse-events.ts); settings built in code may leave it out (the default). */
  browse?: { retentionDays: number };
}

export interface WebhookEndpointSettings {
  /** Normalized (core/webhooks/endpoint-url.ts): the endpoint's identity. */
  url: string;
  /** Each once. */
  events: OutgoingEventType[];
  /** The environment variable holding the signing secret. */
  secretEnv: string;
}

export interface CampaignSet {
  settings: ShopSettings;
  /** Sorted by id; disabled campaigns included (enabled: false). */
  campaigns: Campaign[];
}
