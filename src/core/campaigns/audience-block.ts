// The optional `audience` block: who a campaign may mail, beyond its trigger.
// Every condition is optional; the ones given must all hold.
import type { z } from 'zod';
import { amount, countryCode, list, strict, text, wholeNumber } from './fields.ts';

const tag = text('a tag, 1-100 characters', 100);

export const audienceInput = strict(
  {
    min_orders: wholeNumber({ min: 0 }).optional().describe('At least this many purchases (paid orders).'),
    max_orders: wholeNumber({ min: 0 }).optional().describe('At most this many purchases.'),
    min_total_spent: amount().optional().describe('Lifetime spend of at least this, in the shop currency.'),
    max_total_spent: amount().optional().describe('Lifetime spend of at most this, in the shop currency.'),
    countries: list(countryCode(), 'a list of 2-letter ISO 3166 country codes like [GB, IE]', { min: 1 })
      .optional()
      .describe("Only customers whose country is one of these (customers without a country don't match)."),
    tags_any: list(tag, 'a list of tags', { min: 1, max: 100 })
      .optional()
      .describe('Only customers with at least one of these tags.'),
    tags_none: list(tag, 'a list of tags', { min: 1, max: 100 })
      .optional()
      .describe('Never customers with any of these tags (e.g. wholesale).'),
    min_last_order_value: amount()
      .optional()
      .describe('Their last purchase was worth at least this, in the shop currency.'),
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
    if (min !== undefined && max !== undefined && Number(max) < Number(min)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be at least ${low} (${min}), got ${max}`,
        path: [high],
      });
    }
  }
});

export type AudienceInput = z.output<typeof audienceInput>;
