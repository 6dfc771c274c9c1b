// The part of a hit that comes from the customer's facts, the same for every
// trigger: time zone, currency, consent, the audience verdict (with the
// step's offer: a coupon amount the file gives no figure for in the
// customer's currency leaves them out too) and the message history the
// frequency cap, cooldown, offer rule and exclude_if_messaged_by read.
import type { Campaign, ShopSettings } from '../../core/campaigns/types.ts';
import { termsIn } from '../../core/offers/discount.ts';
import { audienceFailure, parseTags } from '../../core/selection/audience.ts';
import type { Hit } from '../../core/selection/types.ts';
import { type CustomerFactsRow, parseTimes } from '../../db/sweeps/customer-fact-columns.ts';
import { parseHeldCoupon, parseMessageFact } from '../../db/sweeps/offer-history-columns.ts';

export type CustomerPart = Pick<
  Hit,
  | 'timezone'
  | 'currency'
  | 'consent'
  | 'audienceFailure'
  | 'recentMessageTimes'
  | 'lastCampaignMessageAt'
  | 'facts'
  | 'lastCouponMessage'
  | 'heldCoupon'
  | 'messagedBy'
>;

export function customerPart(
  row: CustomerFactsRow,
  campaign: Campaign,
  settings: ShopSettings,
  /**
   * The step the hit is for, the trigger's own currency (a cart's) when the
   * row has none, and whether --explain wants the facts kept on the hit.
   */
  at: { step?: number; currency?: string; explain?: boolean } = {},
): CustomerPart {
  const currency = row.currency ?? at.currency ?? settings.currency;
  const facts = {
    purchases: row.purchases ?? null,
    currency,
    totalSpentMinor: row.total_spent ?? null,
    lastOrderValueMinor: row.last_order_value ?? null,
  };
  return {
    ...(at.explain ? { facts } : {}),
    timezone: row.timezone,
    currency,
    // Without a customer row (a guest cart, an email-only sign-up) nobody said yes to marketing.
    consent: Boolean(row.marketing_consent),
    audienceFailure:
      audienceFailure(campaign.audience, {
        ...facts,
        boughtCategory: row.bought_category === undefined ? null : Boolean(row.bought_category),
        country: row.country,
        tags: parseTags(row.tags),
      }) ?? offerGap(campaign, at.step ?? 0, currency),
    recentMessageTimes: parseTimes(row.recent_messages),
    lastCampaignMessageAt: row.last_campaign_message,
    lastCouponMessage: parseMessageFact(row.last_coupon_message),
    heldCoupon: parseHeldCoupon(row.held_coupon),
    messagedBy: parseMessageFact(row.messaged_by),
  };
}

export function offerGap(campaign: Campaign, step: number, currency: string): string | undefined {
  const offer = campaign.steps.find((each) => each.index === step)?.offer;
  if (!offer) return undefined;
  const terms = termsIn(offer, currency);
  return 'gap' in terms ? `buys in ${currency}; ${terms.gap}` : undefined;
}
