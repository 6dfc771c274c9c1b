// The shop settings file (campaigns/settings.yaml, a reserved name): brand,
// sender, the law's postal address, time zone, currency and the shop-wide
// sending rules. Input schema plus normalization; pure.
import type { z } from 'zod';
import { defaultBrowseRetentionDays } from '../tracking/browse-events.ts';
import { endpointUrl } from '../webhooks/endpoint-url.ts';
import { cronProblem } from './cron.ts';
import {
  absoluteUrl,
  bool,
  clockTime,
  currencyCode,
  emailAddress,
  list,
  minuteOfDay,
  oneOf,
  pattern,
  strict,
  text,
  timeZone,
  wholeNumber,
} from './fields.ts';
import type { ShopSettings } from './types.ts';
import { webhooksBlock } from './webhooks-block.ts';

/** File names (without extension) that are settings, not campaigns. */
export const settingsFileId = 'settings';

function cron(fallback: string) {
  const allowed = 'a 5-field cron expression like "0 3 * * *" (minute hour day month weekday)';
  return pattern(allowed, /\S/)
    .superRefine((value, ctx) => {
      const problem = cronProblem(value);
      if (problem)
        ctx.addIssue({ code: 'custom', message: `must be ${allowed}, got '${value}' (it ${problem})` });
    })
    .default(fallback);
}

export const settingsInput = strict(
  {
    brand: strict(
      {
        name: text('a name, 1-100 characters', 100).describe('The shop name, used in emails.'),
        logo_url: absoluteUrl().optional().describe('Logo shown in the email header.'),
        color: pattern('a hex color like #1a73e8', /^#[0-9A-Fa-f]{6}$/)
          .optional()
          .describe('Accent color for buttons and links.'),
      },
      'a mapping with name',
    ).describe('How emails present the shop.'),
    sender: strict(
      {
        from_name: text('a name, 1-100 characters', 100).describe('Display name in the From header.'),
        from_email: emailAddress().describe('Address in the From header.'),
        reply_to: emailAddress().optional().describe('Where replies go, when not from_email.'),
      },
      'a mapping with from_name and from_email',
    ).describe('Who the emails come from.'),
    postal_address: text('the postal address, 1-500 characters', 500).describe(
      "The shop's physical postal address, printed in every marketing email's footer (required by CAN-SPAM and similar laws).",
    ),
    timezone: timeZone().describe(
      "The shop's time zone: customers without one get send windows and quiet hours in it; reports use it.",
    ),
    currency: currencyCode().describe(
      "The shop's currency: a campaign amount given as one figure (min_subtotal, amount_off, audience spend) is in it; give { GBP: 40, EUR: 45 } to reach customers who buy in others.",
    ),
    frequency_cap: strict(
      {
        max_messages: wholeNumber({ min: 1, max: 100 }).describe(
          'At most this many marketing emails per customer...',
        ),
        per_days: wholeNumber({ min: 1, max: 365, unit: 'days' }).describe(
          '...in any window of this many days.',
        ),
      },
      'a mapping with max_messages and per_days',
    )
      .default({ max_messages: 2, per_days: 7 })
      .describe(
        "Shop-wide limit across all campaigns; a campaign's frequency.on_cap says what happens beyond it.",
      ),
    quiet_hours: strict(
      {
        start: clockTime().describe('Quiet hours begin (local time).'),
        end: clockTime().describe(
          'Quiet hours end; earlier than start means overnight, e.g. 21:00 to 08:00.',
        ),
      },
      'a mapping with start and end, like { start: "21:00", end: "08:00" }',
    )
      .optional()
      .describe("No marketing email is sent between start and end in the recipient's time zone."),
    offers: strict(
      {
        min_days_between_coupons: wholeNumber({ min: 1, max: 365, unit: 'days' })
          .optional()
          .describe(
            'No message carrying a coupon goes to a customer who was sent (or has scheduled) another coupon-carrying message, from any campaign, within this many days. Held-out and cancelled messages do not count; the earlier steps of the same abandoned-cart series do not block its later ones.',
          ),
        while_unredeemed: bool()
          .default(false)
          .describe(
            'true: no message carrying a coupon goes to a customer who holds a coupon they can still use (sent or scheduled, not expired, uses left), however old; again not counting the same cart series.',
          ),
      },
      'a mapping with min_days_between_coupons and while_unredeemed',
    )
      .prefault({})
      .describe(
        'The shop-wide offer rule against stacked discounts; it judges only messages that carry an offer, so a step without one is never held back by it.',
      ),
    schedules: strict(
      {
        dormant_cron: cron('0 3 * * *').describe('When the nightly dormant sweep runs.'),
        cart_cron: cron('*/5 * * * *').describe('When the abandoned-cart sweep runs.'),
      },
      'a mapping with dormant_cron and cart_cron',
    )
      .prefault({})
      .describe('When the sweeps run.'),
    consent: strict(
      {
        non_subscribers_may_receive: list(
          oneOf(['abandoned_cart_first_step', 'back_in_stock']),
          'a list of abandoned_cart_first_step, back_in_stock',
          { max: 2 },
        )
          .default([])
          .describe(
            "Sends the shop's law allows without marketing consent; only campaigns with consent: shop_policy use this.",
          ),
      },
      'a mapping with non_subscribers_may_receive',
    )
      .prefault({})
      .describe('What may go to customers without marketing consent.'),
    links: strict(
      {
        unsubscribe_base_url: absoluteUrl()
          .optional()
          .describe("Base of unsubscribe links, when not the server's public URL."),
      },
      'a mapping with unsubscribe_base_url',
    )
      .prefault({})
      .describe('Links put into emails.'),
    webhooks: webhooksBlock,
    browse: strict(
      {
        retention_days: wholeNumber({ min: 1, max: 730, unit: 'days' })
          .default(defaultBrowseRetentionDays)
          .describe('Browse events older than this are not stored, and stored ones are deleted.'),
      },
      'a mapping with retention_days',
    )
      .prefault({})
      .describe('What shoppers looked at on the shop (POST /v1/events/browse).'),
  },
  'a mapping with brand, sender, postal_address, timezone and currency',
).superRefine((settings, ctx) => {
  const quiet = settings.quiet_hours;
  if (quiet && minuteOfDay(quiet.start) === minuteOfDay(quiet.end)) {
    ctx.addIssue({
      code: 'custom',
      message: `must differ from start (${quiet.start})`,
      path: ['quiet_hours', 'end'],
    });
  }
});

export type SettingsInput = z.output<typeof settingsInput>;

export const settingsSchema = settingsInput.transform(
  (s): ShopSettings => ({
    brand: { name: s.brand.name, logoUrl: s.brand.logo_url ?? null, color: s.brand.color ?? null },
    sender: {
      fromName: s.sender.from_name,
      fromEmail: s.sender.from_email,
      replyTo: s.sender.reply_to ?? null,
    },
    postalAddress: s.postal_address,
    timezone: s.timezone,
    currency: s.currency,
    frequencyCap: { maxMessages: s.frequency_cap.max_messages, perDays: s.frequency_cap.per_days },
    quietHours: s.quiet_hours
      ? { startMinute: minuteOfDay(s.quiet_hours.start), endMinute: minuteOfDay(s.quiet_hours.end) }
      : null,
    offers: {
      minDaysBetweenCoupons: s.offers.min_days_between_coupons ?? null,
      whileUnredeemed: s.offers.while_unredeemed,
    },
    schedules: { dormantCron: s.schedules.dormant_cron, cartCron: s.schedules.cart_cron },
    consent: { nonSubscribersMayReceive: [...new Set(s.consent.non_subscribers_may_receive)] },
    links: { unsubscribeBaseUrl: s.links.unsubscribe_base_url ?? null },
    webhooks: s.webhooks.map((w) => ({
      url: endpointUrl(w.url) ?? w.url,
      events: [...new Set(w.events)],
      secretEnv: w.secret_env,
    })),
    browse: { retentionDays: s.browse.retention_days },
  }),
);
