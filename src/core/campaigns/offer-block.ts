// The `offer` block of a campaign (or of one abandoned-cart step): what
// coupon a message carries. Input validation only; amounts become minor units
// (per currency, see src/core/money-by-currency.ts) in campaign.ts once the
// shop currency is known.
import { z } from 'zod';
import { parseInstant } from '../time.ts';
import { amounts, bool, expected, oneOf, pattern, show, strict, wholeNumber } from './fields.ts';

export const offerKinds = ['percent_off', 'amount_off', 'free_shipping'] as const;

const percentAllowed = 'a percentage from 1 to 100';
const amountAllowed = 'a decimal amount > 0 like 5 or 7.50, or one per currency like { GBP: 5, EUR: 6 }';

export const offerInput = strict(
  {
    kind: oneOf(offerKinds).describe('What the coupon gives.'),
    value: z
      .union([z.number(), z.string(), z.record(z.string(), z.union([z.number(), z.string()]))], {
        error: expected(`${percentAllowed} or ${amountAllowed}`),
      })
      .optional()
      .meta({
        allowed: `${percentAllowed} (percent_off), ${amountAllowed} (amount_off), left out (free_shipping)`,
      })
      .describe(
        'How much off: a percentage for percent_off; for amount_off an amount in the shop currency, or one per currency.',
      ),
    min_subtotal: amounts()
      .optional()
      .describe(
        "The coupon only applies to orders of at least this subtotal: one figure in the shop currency, or one per currency; the coupon is written in the customer's currency.",
      ),
    expires_after_days: wholeNumber({ min: 1, max: 365, unit: 'days' }).describe(
      'The coupon expires this many days after the message is sent.',
    ),
    expires_at: pattern('an instant like 2026-11-30T23:59:59Z', /\S/)
      .superRefine((value, ctx) => {
        const parsed = parseInstant(value);
        if (!parsed.ok)
          ctx.addIssue({
            code: 'custom',
            message: `must be an instant like 2026-11-30T23:59:59Z, got '${value}' (${parsed.reason})`,
          });
      })
      .optional()
      .describe(
        'The coupon expires at this instant at the latest (the end of a sale), even when expires_after_days would run longer.',
      ),
    code_prefix: pattern('2 to 10 capital letters or digits, like BACK', /^[A-Z0-9]{2,10}$/).describe(
      'Coupon codes start with this, followed by a random part (BACK-7KQ2XM).',
    ),
    uses: wholeNumber({ min: 1, max: 1000 }).default(1).describe('How many orders may redeem one coupon.'),
    bind_to_customer: bool()
      .default(true)
      .describe('Only the customer it was sent to may redeem it (checked by email at redemption).'),
  },
  'a mapping with kind, value, expires_after_days and code_prefix',
).superRefine((offer, ctx) => {
  const issue = (message: string) => ctx.addIssue({ code: 'custom', message, path: ['value'] });
  const { kind, value } = offer;
  if (kind === 'free_shipping') {
    if (value !== undefined) issue(`must be left out for free_shipping, got ${show(value)}`);
  } else if (value === undefined) {
    issue(`is required for ${kind}: ${kind === 'percent_off' ? percentAllowed : amountAllowed}`);
  } else if (kind === 'percent_off' && !(typeof value === 'number' && value >= 1 && value <= 100)) {
    issue(`must be ${percentAllowed} for percent_off, got ${show(value)}`);
  } else if (kind === 'amount_off') {
    const positive = amounts(true).safeParse(value);
    if (!positive.success) {
      for (const problem of positive.error.issues) {
        ctx.addIssue({ code: 'custom', message: problem.message, path: ['value', ...problem.path] });
      }
    }
  }
});

export type OfferInput = z.output<typeof offerInput>;
