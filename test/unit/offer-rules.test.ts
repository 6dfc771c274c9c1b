// The rules against stacked offers, pure: the shop-wide offer rule (settings
// `offers`) and a campaign's exclude_if_messaged_by, their file fields, and
// where decide() runs them.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { campaignSchema } from '../../src/core/campaigns/campaign.ts';
import { describeSchemaIssues } from '../../src/core/campaigns/issues.ts';
import { settingsSchema } from '../../src/core/campaigns/settings.ts';
import type { Campaign, OfferRule } from '../../src/core/campaigns/types.ts';
import { messagedByFact, messagedByFacts, messagedByRefusal } from '../../src/core/selection/messaged-by.ts';
import {
  offerFactNeeds,
  offerFacts,
  offerRuleFacts,
  offerRuleRefusal,
  type PastMessage,
} from '../../src/core/selection/offer-rule.ts';
import { decide, newSelectionState } from '../../src/core/selection/select.ts';
import type { Hit } from '../../src/core/selection/types.ts';
import { dormantCampaign, shopSettings, winbackOffer } from '../node/support/campaign-fixtures.ts';

const day = 86_400_000;
const now = Date.parse('2026-11-23T12:00:00Z');

const hit = (facts: Partial<Hit> = {}, campaignId = 'vip'): Hit => ({
  campaignId,
  triggerKind: 'dormant',
  step: 0,
  instance: `lp${now - 120 * day}`,
  triggerRef: `lp${now - 120 * day}`,
  customerId: 'c1',
  email: 'c1@example.com',
  timezone: null,
  currency: 'GBP',
  consent: true,
  suppressed: false,
  dueAt: now,
  recentMessageTimes: [],
  lastCampaignMessageAt: null,
  ...facts,
});

const withOffer = (overrides: Partial<Campaign> = {}) =>
  dormantCampaign({
    id: 'vip',
    priority: 60,
    steps: [{ index: 0, delayHours: 0, email: { template: 'vip.mjml', subject: 'Hi' }, offer: winbackOffer }],
    ...overrides,
  });
const spacing: OfferRule = { minDaysBetweenCoupons: 30, whileUnredeemed: false };
const unredeemed: OfferRule = { minDaysBetweenCoupons: null, whileUnredeemed: true };

describe('offer rule', () => {
  it('refuses a coupon within the days of another coupon-carrying message, naming campaign and days', () => {
    const h = hit({ lastCouponMessage: { campaignId: 'winback', dueAt: now - 21 * day } });
    expect(offerRuleRefusal(h, withOffer(), spacing, now)).toBe(
      'sent a coupon by winback 21 days ago (settings offers.min_days_between_coupons is 30)',
    );
    expect(offerRuleRefusal(h, withOffer(), { ...spacing, minDaysBetweenCoupons: 21 }, now)).toBeUndefined();
    const scheduled = hit({ lastCouponMessage: { campaignId: 'winback', dueAt: now + 2 * day } });
    expect(offerRuleRefusal(scheduled, withOffer(), spacing, now)).toBe(
      'a coupon by winback is scheduled for 2026-11-25 (settings offers.min_days_between_coupons is 30)',
    );
  });

  it('refuses while the customer holds a usable coupon, and not once it expired', () => {
    const h = (expiresAt: number | null) => hit({ heldCoupon: { campaignId: 'winback', expiresAt } });
    expect(offerRuleRefusal(h(now + 5 * day), withOffer(), unredeemed, now)).toBe(
      'holds an unused coupon from winback, valid until 2026-11-28 (settings offers.while_unredeemed is true)',
    );
    expect(offerRuleRefusal(h(null), withOffer(), unredeemed, now)).toMatch(/winback, with no expiry/);
    expect(offerRuleRefusal(h(now), withOffer(), unredeemed, now)).toBeUndefined();
    expect(offerRuleRefusal(h(now + day), withOffer(), spacing, now)).toBeUndefined();
  });

  it('leaves a step without an offer alone, and asks for no facts for a campaign without one', () => {
    const h = hit({
      lastCouponMessage: { campaignId: 'winback', dueAt: now - day },
      heldCoupon: { campaignId: 'winback', expiresAt: null },
    });
    const both = { minDaysBetweenCoupons: 30, whileUnredeemed: true };
    expect(offerRuleRefusal(h, dormantCampaign({ id: 'vip' }), both, now)).toBeUndefined();
    expect(offerFactNeeds(dormantCampaign(), both, now)).toEqual({ couponsSince: null, heldCouponsAt: null });
    expect(offerFactNeeds(withOffer(), both, now)).toEqual({
      couponsSince: now - 30 * day,
      heldCouponsAt: now,
    });
    expect(offerFactNeeds(withOffer(), unredeemed, now)).toEqual({ couponsSince: null, heldCouponsAt: now });
  });

  it('says its facts for --explain whatever the outcome, and nothing while it is off', () => {
    const both = { minDaysBetweenCoupons: 30, whileUnredeemed: true };
    expect(
      offerRuleFacts(hit({ lastCouponMessage: null, heldCoupon: null }), withOffer(), both, now),
    ).toEqual(['no other coupon-carrying message in the last 30 days', 'holds no unused coupon']);
    const facts = { lastCouponMessage: { campaignId: 'winback', dueAt: now - 40 * day }, heldCoupon: null };
    expect(offerRuleFacts(hit(facts), withOffer(), spacing, now)).toEqual([
      'sent a coupon by winback 40 days ago',
    ]);
    expect(offerRuleFacts(hit(facts), dormantCampaign(), both, now)).toEqual([
      'this step carries no offer: the offer rule does not apply',
    ]);
    expect(
      offerRuleFacts(hit(facts), withOffer(), { minDaysBetweenCoupons: null, whileUnredeemed: false }, now),
    ).toEqual([]);
  });

  it('finds the facts in a history: live, coupon-carrying, outside the own series, latest first', () => {
    const coupon = { expiresAt: now + 3 * day, uses: 0, usesAllowed: 1 };
    const message = (m: Partial<PastMessage>): PastMessage => ({
      campaignId: 'winback',
      triggerRef: 'lp1',
      status: 'sent',
      dueAt: now - 10 * day,
      coupon,
      ...m,
    });
    const needs = { couponsSince: now - 30 * day, heldCouponsAt: now };
    const own = { campaignId: 'cart', triggerRef: 'cartk@1' };
    const history = [
      message({ dueAt: now - 40 * day, coupon: { ...coupon, expiresAt: null } }),
      message({ dueAt: now - 5 * day, status: 'held_out' }),
      message({ dueAt: now - 4 * day, status: 'cancelled' }),
      message({ dueAt: now - 3 * day, coupon: null }),
      message({ campaignId: 'cart', triggerRef: 'cartk@1', dueAt: now - day }),
      message({ campaignId: 'b-other', dueAt: now - 10 * day, coupon: { ...coupon, uses: 1 } }),
      message({ campaignId: 'a-other', dueAt: now - 10 * day }),
    ];
    expect(offerFacts(history, needs, own)).toEqual({
      lastCouponMessage: { campaignId: 'b-other', dueAt: now - 10 * day },
      heldCoupon: { campaignId: 'winback', expiresAt: null },
    });
    expect(offerFacts(history, needs, null).lastCouponMessage).toEqual({
      campaignId: 'cart',
      dueAt: now - day,
    });
    expect(offerFacts(history, { couponsSince: null, heldCouponsAt: null }, null)).toEqual({});
  });

  it('counts an offer noted on a message not sent yet: coupon-carrying, and a coupon still to come', () => {
    const noted = (m: Partial<PastMessage>): PastMessage => ({
      campaignId: 'winback',
      triggerRef: 'lp1',
      status: 'scheduled',
      dueAt: now + day,
      coupon: null,
      offer: true,
      ...m,
    });
    const needs = { couponsSince: now - 30 * day, heldCouponsAt: now };
    const pending = [
      noted({}),
      noted({ campaignId: 'a-other', status: 'held_out' }),
      noted({ offer: false }),
    ];
    expect(offerFacts(pending, needs, null)).toEqual({
      lastCouponMessage: { campaignId: 'winback', dueAt: now + day },
      heldCoupon: { campaignId: 'winback', expiresAt: null, unsent: true },
    });
    // A coupon in hand is named before one still to come, whatever its campaign id.
    const inHand = { expiresAt: now + 3 * day, uses: 0, usesAllowed: 1 };
    expect(
      offerFacts([noted({ campaignId: 'z-next' }), noted({ status: 'sent', coupon: inHand })], needs, null)
        .heldCoupon,
    ).toEqual({ campaignId: 'winback', expiresAt: now + 3 * day });
    const h = hit({ heldCoupon: { campaignId: 'winback', expiresAt: null, unsent: true } });
    expect(offerRuleRefusal(h, withOffer(), unredeemed, now)).toBe(
      'is to get a coupon from winback with a message not sent yet (settings offers.while_unredeemed is true)',
    );
  });
});

describe('exclude_if_messaged_by', () => {
  const vip = dormantCampaign({ id: 'vip', excludeIfMessagedBy: { campaigns: ['winback'], withinDays: 30 } });

  it('refuses inside the window, naming campaign and days; lets through outside it', () => {
    const at = (dueAt: number, campaignId = 'winback') => hit({ messagedBy: { campaignId, dueAt } });
    expect(messagedByRefusal(at(now - 12 * day), vip, now)).toBe(
      'messaged by winback 12 days ago (exclude_if_messaged_by within 30 days)',
    );
    expect(messagedByRefusal(at(now - 30 * day), vip, now)).toBeUndefined();
    expect(messagedByRefusal(at(now - day, 'cart'), vip, now)).toBeUndefined();
    expect(messagedByRefusal(at(now - day), dormantCampaign({ id: 'vip' }), now)).toBeUndefined();
  });

  it('says its fact for --explain whatever the outcome', () => {
    expect(messagedByFacts(hit({ messagedBy: null }), vip, now)).toEqual([
      'not messaged by winback in the last 30 days',
    ]);
    expect(
      messagedByFacts(hit({ messagedBy: { campaignId: 'winback', dueAt: now - day } }), vip, now),
    ).toEqual(['messaged by winback 1 day ago']);
    expect(messagedByFacts(hit({ messagedBy: null }), dormantCampaign(), now)).toEqual([]);
  });

  it('finds the latest live message of the named campaigns in the window', () => {
    const m = (campaignId: string, status: string, dueAt: number): PastMessage => ({
      campaignId,
      triggerRef: 'x',
      status,
      dueAt,
      coupon: null,
    });
    const needs = { campaigns: ['winback', 'cart'], since: now - 30 * day };
    expect(
      messagedByFact(
        [
          m('winback', 'sent', now - 20 * day),
          m('cart', 'sending', now - 15 * day),
          m('winback', 'held_out', now - 2 * day),
          m('other', 'sent', now - day),
          m('winback', 'sent', now - 31 * day),
        ],
        needs,
      ),
    ).toEqual({ campaignId: 'cart', dueAt: now - 15 * day });
    expect(messagedByFact([m('winback', 'cancelled', now)], needs)).toBeNull();
  });
});

describe('decide', () => {
  const settings = shopSettings({ offers: { minDaysBetweenCoupons: 30, whileUnredeemed: false } });
  const recent = { lastCouponMessage: { campaignId: 'winback', dueAt: now - 21 * day } };

  it('a customer the offer rule refuses stays free for a lower-priority campaign without an offer', () => {
    const state = newSelectionState();
    expect(decide(hit(recent), withOffer(), settings, state, now)).toMatchObject({
      outcome: 'excluded',
      rule: 'offer_rule',
    });
    const plain = dormantCampaign({ id: 'newsletter', priority: 10 });
    expect(decide(hit(recent, 'newsletter'), plain, settings, state, now).outcome).toBe('scheduled');
  });

  it('exclude_if_messaged_by runs before priority, the offer rule after the cooldown', () => {
    const state = newSelectionState();
    decide(hit({}, 'urgent'), dormantCampaign({ id: 'urgent', priority: 99 }), settings, state, now);
    const vip = withOffer({ excludeIfMessagedBy: { campaigns: ['winback'], withinDays: 30 } });
    const messaged = { messagedBy: { campaignId: 'winback', dueAt: now - day } };
    expect(decide(hit(messaged), vip, settings, state, now)).toMatchObject({ rule: 'messaged_by' });
    expect(decide(hit(recent), vip, settings, state, now)).toMatchObject({ rule: 'priority' });
    const cooled = { ...recent, lastCampaignMessageAt: now - day };
    expect(decide(hit(cooled), vip, settings, newSelectionState(), now)).toMatchObject({ rule: 'cooldown' });
  });
});

describe('the file fields', () => {
  const minimal = {
    brand: { name: 'Shop' },
    sender: { from_name: 'Shop', from_email: 'hello@shop.example' },
    postal_address: '1 High Street, Bath',
    timezone: 'Europe/London',
    currency: 'GBP',
  };
  const problems = (result: z.ZodSafeParseResult<unknown>) =>
    result.success ? [] : describeSchemaIssues(result.error.issues).map((f) => f.message);

  it('settings offers: both rules optional, days bounded', () => {
    expect(settingsSchema.parse(minimal).offers).toEqual({
      minDaysBetweenCoupons: null,
      whileUnredeemed: false,
    });
    expect(
      settingsSchema.parse({ ...minimal, offers: { min_days_between_coupons: 30, while_unredeemed: true } })
        .offers,
    ).toEqual({ minDaysBetweenCoupons: 30, whileUnredeemed: true });
    expect(
      problems(settingsSchema.safeParse({ ...minimal, offers: { min_days_between_coupons: 0 } })),
    ).toEqual(['offers.min_days_between_coupons must be a whole number of days from 1 to 365, got 0']);
    expect(problems(settingsSchema.safeParse({ ...minimal, offers: { min_days: 30 } }))[0]).toMatch(
      /^offers\.min_days is not a known field \(allowed here: min_days_between_coupons, while_unredeemed\)$/,
    );
  });

  it('campaign exclude_if_messaged_by: campaigns and within_days, both required', () => {
    const dormant = {
      name: 'VIP',
      trigger: { type: 'dormant', days: 90 },
      email: { template: 'vip.mjml', subject: 'Hi' },
    };
    const parse = (block: unknown) =>
      campaignSchema('GBP').safeParse({ ...dormant, exclude_if_messaged_by: block });
    expect(parse({ campaigns: ['winback'], within_days: 30 }).data?.excludeIfMessagedBy).toEqual({
      campaigns: ['winback'],
      withinDays: 30,
    });
    expect(campaignSchema('GBP').parse(dormant).excludeIfMessagedBy).toBeNull();
    expect(problems(parse({ campaigns: [], within_days: 30 }))).toEqual([
      'exclude_if_messaged_by.campaigns must be a list of 1 to 50 campaign ids, got a list of 0 items',
    ]);
    expect(problems(parse({ campaigns: ['winback'] }))).toEqual([
      'exclude_if_messaged_by.within_days is required: a whole number of days from 1 to 3650',
    ]);
  });
});
