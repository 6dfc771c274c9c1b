import { describe, expect, it } from 'vitest';
import { campaignSchema } from '../../src/core/campaigns/campaign.ts';
import { needsMarketingConsent } from '../../src/core/campaigns/consent.ts';
import { cronProblem } from '../../src/core/campaigns/cron.ts';
import { describeSchemaIssues } from '../../src/core/campaigns/issues.ts';
import { settingsSchema } from '../../src/core/campaigns/settings.ts';
import type { NonSubscriberSend } from '../../src/core/campaigns/types.ts';

const minimal = {
  brand: { name: 'Shop' },
  sender: { from_name: 'Shop', from_email: 'Hello@Shop.Example' },
  postal_address: '1 High Street, Bath',
  timezone: 'Europe/London',
  currency: 'GBP',
};

function problems(input: unknown): string[] {
  const result = settingsSchema.safeParse(input);
  return result.success ? [] : describeSchemaIssues(result.error.issues).map((f) => f.message);
}

describe('settings file', () => {
  it('fills documented defaults', () => {
    expect(settingsSchema.parse(minimal)).toEqual({
      brand: { name: 'Shop', logoUrl: null, color: null },
      sender: { fromName: 'Shop', fromEmail: 'Hello@Shop.Example', replyTo: null },
      postalAddress: '1 High Street, Bath',
      timezone: 'Europe/London',
      currency: 'GBP',
      frequencyCap: { maxMessages: 2, perDays: 7 },
      quietHours: null,
      offers: { minDaysBetweenCoupons: null, whileUnredeemed: false },
      schedules: { dormantCron: '0 3 * * *', cartCron: '*/5 * * * *' },
      consent: { nonSubscribersMayReceive: [] },
      links: { unsubscribeBaseUrl: null },
      webhooks: [],
      browse: { retentionDays: 90 },
    });
  });

  it('takes a browse retention of 1 to 730 days', () => {
    expect(settingsSchema.parse({ ...minimal, browse: { retention_days: 30 } }).browse).toEqual({
      retentionDays: 30,
    });
    expect(problems({ ...minimal, browse: { retention_days: 0 } })).toHaveLength(1);
    expect(problems({ ...minimal, browse: { retention_days: 731 } })).toHaveLength(1);
    expect(problems({ ...minimal, browse: { keep: 3 } })).toHaveLength(1);
  });

  it('requires the postal address, which marketing law needs', () => {
    const { postal_address: _, ...rest } = minimal;
    expect(problems(rest)).toEqual(['postal_address is required: the postal address, 1-500 characters']);
  });

  it('refuses unknown time zones, currencies and keys', () => {
    expect(problems({ ...minimal, timezone: 'Europe/Londn', currency: 'EURO', colour: 'red' })).toEqual([
      "timezone must be an IANA time zone like Europe/London, got 'Europe/Londn'",
      "currency must be a 3-letter ISO 4217 currency code like EUR or GBP, got 'EURO'",
      'colour is not a known field (allowed here: brand, sender, postal_address, timezone, currency, frequency_cap, quiet_hours, offers, schedules, consent, links, webhooks, browse)',
    ]);
  });

  it('accepts only safe links for the logo and the unsubscribe base, naming the field', () => {
    const links = (url: string) => ({
      ...minimal,
      brand: { name: 'Shop', logo_url: url },
      links: { unsubscribe_base_url: url },
    });
    for (const url of ['https://shop.example/logo.png', 'HTTP://shop.example/u']) {
      expect(problems(links(url))).toEqual([]);
    }
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'java\tscript:alert(1)',
      ' https://shop.example/logo.png',
      'data:image/png;base64,AAAA',
      'vbscript:msgbox(1)',
      '//evil.example/logo.png',
      'https://shop.example/logo.png\u0000',
    ]) {
      const found = problems(links(url));
      expect(found, url).toHaveLength(2);
      expect(found[0]).toMatch(/^brand\.logo_url must be an absolute http\(s\) URL/);
      expect(found[1]).toMatch(/^links\.unsubscribe_base_url must be an absolute http\(s\) URL/);
    }
  });

  it('parses quiet hours spanning midnight into minutes', () => {
    expect(
      settingsSchema.parse({ ...minimal, quiet_hours: { start: '21:00', end: '08:00' } }).quietHours,
    ).toEqual({
      startMinute: 1260,
      endMinute: 480,
    });
  });

  it('checks cron expressions', () => {
    expect(problems({ ...minimal, schedules: { cart_cron: '*/5 * * *' } })).toEqual([
      'schedules.cart_cron must be a 5-field cron expression like "0 3 * * *" (minute hour day month weekday), got \'*/5 * * *\' (it has 4 fields, not 5)',
    ]);
    expect(cronProblem('0 3 * * mon-fri')).toBeUndefined();
    expect(cronProblem('*/15 8-20 1,15 jan *')).toBeUndefined();
    expect(cronProblem('60 3 * * *')).toBe("has a bad minute field '60'");
    expect(cronProblem('0 20-8 * * *')).toBe("has a bad hour field '20-8'");
  });

  it('only lists known non-subscriber sends', () => {
    expect(problems({ ...minimal, consent: { non_subscribers_may_receive: ['dormant'] } })).toEqual([
      "consent.non_subscribers_may_receive[0] must be one of abandoned_cart_first_step, back_in_stock, got 'dormant'",
    ]);
  });
});

describe('needsMarketingConsent', () => {
  const email = { template: 'a.mjml', subject: 's' };
  const cart = campaignSchema('GBP').parse({
    name: 'Cart',
    consent: 'shop_policy',
    trigger: {
      type: 'abandoned_cart',
      steps: [
        { delay_hours: 1, email },
        { delay_hours: 24, email },
      ],
    },
  });
  const settings = (allowed: NonSubscriberSend[]) =>
    settingsSchema.parse({ ...minimal, consent: { non_subscribers_may_receive: allowed } });

  it('lets a shop_policy cart campaign mail only its first step to non-subscribers when the shop allows it', () => {
    const allowing = settings(['abandoned_cart_first_step']);
    expect(needsMarketingConsent({ ...cart, id: 'cart' }, allowing, 0)).toBe(false);
    expect(needsMarketingConsent({ ...cart, id: 'cart' }, allowing, 1)).toBe(true);
    expect(needsMarketingConsent({ ...cart, id: 'cart' }, settings([]), 0)).toBe(true);
  });

  it('always needs consent for campaigns that require it', () => {
    const strict = { ...cart, id: 'cart', consent: 'required' as const };
    expect(needsMarketingConsent(strict, settings(['abandoned_cart_first_step']), 0)).toBe(true);
  });
});
