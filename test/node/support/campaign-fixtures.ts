// Normalized campaigns and settings for sweep tests, built in code so a test
// says exactly which rule it exercises.
import type { Audience, Campaign, Offer, ShopSettings } from '../../../src/core/campaigns/types.ts';

export const noAudience: Audience = {
  minOrders: null,
  maxOrders: null,
  minTotalSpent: null,
  maxTotalSpent: null,
  countries: null,
  tagsAny: null,
  tagsNone: [],
  minLastOrderValue: null,
  categoriesBought: null,
};

export function shopSettings(overrides: Partial<ShopSettings> = {}): ShopSettings {
  return {
    brand: { name: 'Test Shop', logoUrl: null, color: null },
    sender: { fromName: 'Test Shop', fromEmail: 'hello@shop.example', replyTo: null },
    postalAddress: '1 High Street, London',
    timezone: 'Europe/London',
    currency: 'GBP',
    frequencyCap: { maxMessages: 1, perDays: 3 },
    quietHours: null,
    offers: { minDaysBetweenCoupons: null, whileUnredeemed: false },
    schedules: { dormantCron: '0 3 * * *', cartCron: '*/5 * * * *' },
    consent: { nonSubscribersMayReceive: [] },
    links: { unsubscribeBaseUrl: null },
    ...overrides,
  };
}

export function dormantCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: 'winback',
    name: 'We miss you',
    enabled: true,
    priority: 50,
    cooldownDays: 60,
    holdoutPercent: 0,
    attributionDays: 7,
    onFrequencyCap: 'defer',
    consent: 'required',
    trigger: { type: 'dormant', days: 90, maxDays: 365, minOrders: 1, cadenceFactor: null },
    audience: noAudience,
    excludeIfMessagedBy: null,
    steps: [{ index: 0, delayHours: 0, email: { template: 'winback.mjml', subject: 'Hi' }, offer: null }],
    sendWindow: null,
    ...overrides,
  };
}

/** A back-in-stock campaign mailing one waiting shopper per unit restocked, consent required. */
export function backInStockCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: 'bis',
    name: 'Back in stock',
    enabled: true,
    priority: 90,
    cooldownDays: 0,
    holdoutPercent: 0,
    attributionDays: 7,
    onFrequencyCap: 'defer',
    consent: 'required',
    trigger: { type: 'back_in_stock', includeCarts: false, allocation: { mode: 'per_unit', factor: 1 } },
    audience: noAudience,
    excludeIfMessagedBy: null,
    steps: [
      { index: 0, delayHours: 0, email: { template: 'back-in-stock.mjml', subject: 'Back' }, offer: null },
    ],
    sendWindow: null,
    ...overrides,
  };
}

/** The shipped win-back offer: 15% off over 40.00, 14 days, single use, bound to the customer. */
export const winbackOffer: Offer = {
  kind: 'percent_off',
  percent: 15,
  minSubtotal: { GBP: 4000 },
  expiresAfterDays: 14,
  codePrefix: 'BACK',
  uses: 1,
  bindToCustomer: true,
};

/** A browse-abandonment campaign: 4 hours after the latest product view, up to 48; consent required. */
export function newArrivalsCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: 'arrivals',
    name: 'New in for you',
    enabled: true,
    priority: 40,
    cooldownDays: 0,
    holdoutPercent: 0,
    attributionDays: 7,
    onFrequencyCap: 'defer',
    consent: 'required',
    trigger: {
      type: 'new_arrivals',
      days: 14,
      minProducts: 1,
      maxProducts: 3,
      idleDays: { min: null, max: null },
    },
    audience: noAudience,
    excludeIfMessagedBy: null,
    steps: [
      { index: 0, delayHours: 0, email: { template: 'new-arrivals.mjml', subject: 'New' }, offer: null },
    ],
    sendWindow: null,
    ...overrides,
  };
}

export function browseCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: 'browse',
    name: 'Still thinking about it?',
    enabled: true,
    priority: 70,
    cooldownDays: 14,
    holdoutPercent: 0,
    attributionDays: 3,
    onFrequencyCap: 'defer',
    consent: 'required',
    trigger: { type: 'browse_abandonment', hours: 4, maxHours: 48 },
    audience: noAudience,
    excludeIfMessagedBy: null,
    steps: [
      { index: 0, delayHours: 0, email: { template: 'browse-abandonment.mjml', subject: 'Hi' }, offer: null },
    ],
    sendWindow: null,
    ...overrides,
  };
}

/** A price-drop campaign: 10% or more off, interest in the 30 days before, drops up to 72 h old; consent required. */
export function priceDropCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: 'price-drop',
    name: 'Now for less',
    enabled: true,
    priority: 60,
    cooldownDays: 7,
    holdoutPercent: 0,
    attributionDays: 3,
    onFrequencyCap: 'defer',
    consent: 'required',
    trigger: { type: 'price_drop', minPercent: 10, days: 30, maxHours: 72 },
    audience: noAudience,
    excludeIfMessagedBy: null,
    steps: [{ index: 0, delayHours: 0, email: { template: 'price-drop.mjml', subject: 'Hi' }, offer: null }],
    sendWindow: null,
    ...overrides,
  };
}

/** A replenishment campaign: 3 days before the interval is up, up to 14 days late, learning from 5 re-buys; consent required. */
export function replenishmentCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: 'refill',
    name: 'Running low?',
    enabled: true,
    priority: 50,
    cooldownDays: 7,
    holdoutPercent: 0,
    attributionDays: 7,
    onFrequencyCap: 'defer',
    consent: 'required',
    trigger: {
      type: 'replenishment',
      daysBefore: 3,
      maxDaysLate: 14,
      learn: { minIntervals: 5 },
      categories: null,
    },
    audience: noAudience,
    excludeIfMessagedBy: null,
    steps: [
      { index: 0, delayHours: 0, email: { template: 'replenishment.mjml', subject: 'Hi' }, offer: null },
    ],
    sendWindow: null,
    ...overrides,
  };
}
