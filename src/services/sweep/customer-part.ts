// The part of a hit that comes from the customer's facts, the same for every
// trigger: time zone, consent, the audience verdict and the message history
// the frequency cap and cooldown read.
import type { Campaign, ShopSettings } from '../../core/campaigns/types.ts';
import { audienceFailure, parseTags } from '../../core/selection/audience.ts';
import type { Hit } from '../../core/selection/types.ts';
import { type CustomerFactsRow, parseTimes } from '../../db/sweeps/customer-fact-columns.ts';

export type CustomerPart = Pick<
  Hit,
  'timezone' | 'consent' | 'audienceFailure' | 'recentMessageTimes' | 'lastCampaignMessageAt'
>;

export function customerPart(
  row: CustomerFactsRow,
  campaign: Campaign,
  settings: ShopSettings,
): CustomerPart {
  return {
    timezone: row.timezone,
    // Without a customer row (a guest cart, an email-only sign-up) nobody said yes to marketing.
    consent: Boolean(row.marketing_consent),
    audienceFailure: audienceFailure(
      campaign.audience,
      {
        purchases: row.purchases ?? null,
        totalSpentMinor: row.total_spent ?? null,
        lastOrderValueMinor: row.last_order_value ?? null,
        boughtCategory: row.bought_category === undefined ? null : Boolean(row.bought_category),
        country: row.country,
        tags: parseTags(row.tags),
      },
      settings.currency,
    ),
    recentMessageTimes: parseTimes(row.recent_messages),
    lastCampaignMessageAt: row.last_campaign_message,
  };
}
