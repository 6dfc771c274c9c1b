// Hand-written shapes of the JSON the API answers with, for the OpenAPI
// document. Responses are built in the route handlers (no zod schema to
// generate from), so these are descriptive, not used to validate. Pure data.
import type { JsonSchema } from './schemas.ts';

const money = { type: 'string', description: 'a decimal amount in the currency, e.g. "12.34"' };

export const responseSchemas: Record<string, JsonSchema> = {
  SweepReport: {
    type: 'object',
    required: ['now', 'dry_run', 'campaigns'],
    properties: {
      now: { type: 'string', format: 'date-time' },
      dry_run: { type: 'boolean' },
      campaigns: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            campaign_id: { type: 'string' },
            eligible: { type: 'integer' },
            excluded: { type: 'object', additionalProperties: { type: 'integer' } },
            held_out: { type: 'integer' },
            scheduled: { type: 'integer' },
            deferred: { type: 'integer' },
            already_written: { type: 'integer' },
            skipped: {
              type: 'object',
              properties: { no_email: { type: 'integer' }, already_messaged: { type: 'integer' } },
            },
          },
        },
      },
    },
  },
  CouponVerdict: {
    type: 'object',
    required: ['valid'],
    properties: {
      valid: { type: 'boolean' },
      reason: { type: 'string', description: 'only when valid is false' },
      code: { type: 'string' },
      kind: { type: 'string', enum: ['percent_off', 'amount_off', 'free_shipping'] },
      percent_off: { type: ['number', 'null'] },
      amount_off: { type: ['string', 'null'] },
      free_shipping: { type: 'boolean' },
      min_subtotal: { type: ['string', 'null'] },
      expires_at: { type: ['string', 'null'], format: 'date-time' },
      uses_left: { type: 'integer' },
      currency: { type: 'string' },
      discount: money,
    },
  },
  Redemption: {
    type: 'object',
    required: ['id', 'code', 'order_id', 'currency', 'order_total', 'discount', 'redeemed_at'],
    properties: {
      id: { type: 'string' },
      code: { type: 'string' },
      order_id: { type: 'string' },
      currency: { type: 'string' },
      order_total: money,
      discount: money,
      redeemed_at: { type: 'string', format: 'date-time' },
    },
  },
};
