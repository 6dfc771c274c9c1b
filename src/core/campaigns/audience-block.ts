// The optional `audience` block: who a campaign may mail, beyond its trigger.
// Every condition is optional; the ones given must all hold.
import type { z } from 'zod';
import { amounts, countryCode, list, strict, text, wholeNumber } from './fields.ts';

const tag = text('a tag, 1-100 characters', 100);

export const audienceInput = strict(
  {
    min_orders: wholeNumber({ min: 0 }).optional().describe('At least this many purchases (paid orders).'),
    max_orders: wholeNumber({ min: 0 }).optional().describe('At most this many purchases.'),
    min_total_spent: amounts()
      .optional()
      .describe(
        "Lifetime spend of at least this: one figure in the shop currency, or one per currency; a customer's spend counts their orders in their currency only.",
      ),
    max_total_spent: amounts()
      .optional()
      .describe('Lifetime spend of at most this, per currency like min_total_spent.'),
    countries: list(countryCode(), 'a list of 2-letter ISO 3166 country codes like [GB, IE]', { min: 1 })
      .optional()
      .describe("Only customers whose country is one of these (customers without a country don't match)."),
    tags_any: list(tag, 'a list of tags', { min: 1, max: 100 })
      .optional()
      .describe('Only customers with at least one of these tags.'),
    tags_none: list(tag, 'a list of tags', { min: 1, max: 100 })
      .optional()
      .describe('Never customers with any of these tags (e.g. wholesale).'),
    min_last_order_value: amounts()
      .optional()
      .describe(
        'Their last purchase in their currency was worth at least this, per currency like min_total_spent.',
      ),
    categories_bought: list(text('a product category', 200), 'a list of product categories', {
      min: 1,
      max: 100,
    })
      .optional()
      .describe('Only customers who ever bought a product in one of these categories.'),
  },
  'a mapping of audience conditions like min_orders or countries',
).superRefine((audience, ctx) => {
  const pairs = [
    ['min_orders', 'max_orders'],
    ['min_total_spent', 'max_total_spent'],
  ] as const;
  for (const [low, high] of pairs) {
    const min = audience[low];
    const max = audience[high];
    if (min === undefined || max === undefined) continue;
    // Compared per currency: a figure alone is the shop currency, which the
    // settings name and this block does not know, so only like with like.
    const perCurrency = (value: typeof min) =>
      typeof value === 'object' ? Object.entries(value) : [['', value] as const];
    const mins = new Map(perCurrency(min));
    for (const [currency, most] of perCurrency(max)) {
      const least = mins.get(currency);
      if (least !== undefined && Number(most) < Number(least)) {
        ctx.addIssue({
          code: 'custom',
          message: `must be at least ${low} (${least}${currency ? ` ${currency}` : ''}), got ${most}`,
          path: currency ? [high, currency] : [high],
        });
      }
    }
  }
});

export type AudienceInput = z.output<typeof audienceInput>;
