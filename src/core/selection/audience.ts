// Campaign eligibility beyond the trigger: the audience conditions, checked
// against facts the sweep's SQL gathered. Each refusal names its condition so
// a dry run can say why a customer was left out.

import type { Audience } from '../campaigns/types.ts';
import { fromMinorUnits } from '../money.ts';

export interface AudienceFacts {
  purchases: number | null;
  totalSpentMinor: number | null;
  lastOrderValueMinor: number | null;
  boughtCategory: boolean | null;
  country: string | null;
  tags: readonly string[];
}

/** Which facts a campaign's audience needs, so SQL computes only those. */
export interface AudienceNeeds {
  purchases: boolean;
  totalSpent: boolean;
  lastOrderValue: boolean;
  categories: readonly string[] | undefined;
}

export function audienceNeeds(audience: Audience): AudienceNeeds {
  return {
    purchases: audience.minOrders !== null || audience.maxOrders !== null,
    totalSpent: audience.minTotalSpentMinor !== null || audience.maxTotalSpentMinor !== null,
    lastOrderValue: audience.minLastOrderValueMinor !== null,
    categories: audience.categoriesBought ?? undefined,
  };
}

/** The first audience condition the facts fail, or undefined when all hold. */
export function audienceFailure(
  audience: Audience,
  facts: AudienceFacts,
  currency: string,
): string | undefined {
  const money = (minor: number) => `${fromMinorUnits(minor, currency)} ${currency}`;
  const purchases = facts.purchases ?? 0;
  if (audience.minOrders !== null && purchases < audience.minOrders) {
    return `${purchases} purchase(s), audience.min_orders is ${audience.minOrders}`;
  }
  if (audience.maxOrders !== null && purchases > audience.maxOrders) {
    return `${purchases} purchase(s), audience.max_orders is ${audience.maxOrders}`;
  }
  const spent = facts.totalSpentMinor ?? 0;
  if (audience.minTotalSpentMinor !== null && spent < audience.minTotalSpentMinor) {
    return `spent ${money(spent)}, audience.min_total_spent is ${money(audience.minTotalSpentMinor)}`;
  }
  if (audience.maxTotalSpentMinor !== null && spent > audience.maxTotalSpentMinor) {
    return `spent ${money(spent)}, audience.max_total_spent is ${money(audience.maxTotalSpentMinor)}`;
  }
  if (audience.countries && audience.countries.length > 0) {
    if (!facts.country || !audience.countries.includes(facts.country)) {
      return `country ${facts.country ?? 'unknown'} is not in audience.countries`;
    }
  }
  if (
    audience.tagsAny &&
    audience.tagsAny.length > 0 &&
    !audience.tagsAny.some((tag) => facts.tags.includes(tag))
  ) {
    return 'has none of audience.tags_any';
  }
  const forbidden = audience.tagsNone.find((tag) => facts.tags.includes(tag));
  if (forbidden) return `tagged '${forbidden}', in audience.tags_none`;
  if (audience.minLastOrderValueMinor !== null) {
    const last = facts.lastOrderValueMinor ?? 0;
    if (last < audience.minLastOrderValueMinor) {
      return `last order ${money(last)}, audience.min_last_order_value is ${money(audience.minLastOrderValueMinor)}`;
    }
  }
  if (audience.categoriesBought && audience.categoriesBought.length > 0 && !facts.boughtCategory) {
    return 'never bought from audience.categories_bought';
  }
  return undefined;
}

export function parseTags(json: string | null): string[] {
  if (!json) return [];
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((tag): tag is string => typeof tag === 'string') : [];
  } catch {
    return [];
  }
}
