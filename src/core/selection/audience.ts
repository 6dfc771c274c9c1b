// Campaign eligibility beyond the trigger: the audience conditions, checked
// against facts the sweep's SQL gathered. Each refusal names its condition so
// a dry run can say why a customer was left out.

import type { Audience, Campaign } from '../campaigns/types.ts';
import { amountIn, type MoneyByCurrency, moneyGap } from '../money-by-currency.ts';
import { moneyView } from '../rendering/format.ts';

export interface AudienceFacts {
  purchases: number | null;
  /** The customer's currency (customerCurrency): spend and last order count orders in it only. */
  currency: string;
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
  /** The customer's currency: for money conditions and for coupons with amounts. */
  currency: boolean;
}

/**
 * The facts a campaign's rules need; with `explain`, every money and order
 * fact as well, which --explain shows whatever the campaign asks.
 */
export function audienceNeeds(
  campaign: Pick<Campaign, 'audience' | 'steps'>,
  options: { explain?: boolean } = {},
): AudienceNeeds {
  const needs = campaignNeeds(campaign);
  return options.explain
    ? { ...needs, purchases: true, totalSpent: true, lastOrderValue: true, currency: true }
    : needs;
}

function campaignNeeds(campaign: Pick<Campaign, 'audience' | 'steps'>): AudienceNeeds {
  const { audience } = campaign;
  const money =
    audience.minTotalSpent !== null || audience.maxTotalSpent !== null || audience.minLastOrderValue !== null;
  const offerMoney = campaign.steps.some(
    ({ offer }) => offer !== null && (offer.minSubtotal !== null || offer.kind === 'amount_off'),
  );
  return {
    currency: money || offerMoney,
    purchases: audience.minOrders !== null || audience.maxOrders !== null,
    totalSpent: audience.minTotalSpent !== null || audience.maxTotalSpent !== null,
    lastOrderValue: audience.minLastOrderValue !== null,
    categories: audience.categoriesBought ?? undefined,
  };
}

/** The first audience condition the facts fail, or undefined when all hold. */
export function audienceFailure(audience: Audience, facts: AudienceFacts): string | undefined {
  const { currency } = facts;
  const money = (minor: number) => moneyView(minor, currency).display;
  const purchases = facts.purchases ?? 0;
  if (audience.minOrders !== null && purchases < audience.minOrders) {
    return `${purchases} purchase(s), audience.min_orders is ${audience.minOrders}`;
  }
  if (audience.maxOrders !== null && purchases > audience.maxOrders) {
    return `${purchases} purchase(s), audience.max_orders is ${audience.maxOrders}`;
  }
  const gap =
    moneyGap('audience.min_total_spent', audience.minTotalSpent, currency) ??
    moneyGap('audience.max_total_spent', audience.maxTotalSpent, currency) ??
    moneyGap('audience.min_last_order_value', audience.minLastOrderValue, currency);
  if (gap) return `buys in ${currency}; ${gap}`;
  const spent = facts.totalSpentMinor ?? 0;
  const min = threshold(audience.minTotalSpent, currency);
  if (min !== undefined && spent < min) {
    return `spent ${money(spent)} (orders in ${currency}), audience.min_total_spent is ${money(min)}`;
  }
  const max = threshold(audience.maxTotalSpent, currency);
  if (max !== undefined && spent > max) {
    return `spent ${money(spent)} (orders in ${currency}), audience.max_total_spent is ${money(max)}`;
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
  const minLast = threshold(audience.minLastOrderValue, currency);
  if (minLast !== undefined) {
    const last = facts.lastOrderValueMinor ?? 0;
    if (last < minLast) {
      return `last order ${money(last)}, audience.min_last_order_value is ${money(minLast)}`;
    }
  }
  if (audience.categoriesBought && audience.categoriesBought.length > 0 && !facts.boughtCategory) {
    return 'never bought from audience.categories_bought';
  }
  return undefined;
}

function threshold(money: MoneyByCurrency | null, currency: string): number | undefined {
  return money === null ? undefined : amountIn(money, currency);
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
