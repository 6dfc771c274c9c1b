// Hand-written shapes of the campaign report's JSON (GET /v1/reports/...,
// `rekindle report --json`), for the OpenAPI document: what each field counts
// and what each rate divides by, in the words of core/reports/types.ts and
// the report's notes (core/reports/format.ts). Descriptive; pure data.
import type { JsonSchema } from './schemas.ts';

const integer = (description: string): JsonSchema => ({ type: 'integer', description });
const moneyItem: JsonSchema = {
  type: 'object',
  required: ['currency', 'minor', 'amount'],
  properties: {
    currency: { type: 'string' },
    minor: { type: 'integer', description: 'minor units (pence, cents)' },
    amount: { type: 'string', description: 'decimal amount in the currency, e.g. "12.30"' },
  },
};
const perCurrency = (description: string): JsonSchema => ({
  type: 'array',
  description: `${description} One entry per currency, sorted; never added across currencies.`,
  items: { $ref: '#/components/schemas/Money' },
});
const rate = (description: string): JsonSchema => ({
  type: 'object',
  description,
  required: ['count', 'of', 'per', 'rate'],
  properties: {
    count: { type: 'integer' },
    of: { type: 'integer', description: 'the denominator' },
    per: {
      type: 'string',
      description: "what `of` counts: 'messages sent', 'messages mailed' or 'trigger instances mailed'",
    },
    rate: { type: ['number', 'null'], description: 'count / of, from 0 to 1; null when of is 0' },
  },
});
const perSent = (what: string) =>
  rate(`${what} per message sent (status sent; delivery is known only when a provider reports it)`);
const group: JsonSchema = {
  type: 'object',
  properties: {
    size: { type: 'integer' },
    converted: { type: 'integer' },
    rate: { type: ['number', 'null'] },
  },
};

const outcomes: JsonSchema = {
  type: 'object',
  description:
    "A campaign's totals or one step's figures. Message counts count messages (a campaign's add up its steps'); redeemed and influenced count orders; conversion, rates.conversion and revenuePerRecipient count `unit`s: a step's messages, the campaign's trigger instances (one customer's cart, restock or dormancy episode).",
  properties: {
    scheduled: integer('messages planned for mailing: every status but held_out'),
    heldOut: integer('messages held out (the control group), due or not'),
    heldOutDue: integer('held-out messages whose due time has passed'),
    sent: integer('messages sent'),
    delivered: integer('messages with a delivered event'),
    bounced: integer('messages with a bounce'),
    opened: integer('messages opened, privacy proxies included'),
    openedExcludingProxy: integer('messages opened by a person'),
    clicked: integer('messages with a click'),
    unsubscribed: integer('messages that led to an unsubscribe'),
    complained: integer('messages marked as spam'),
    redeemed: integer('orders that used the campaign coupon'),
    influenced: integer('orders without it inside the attribution window'),
    revenue: perCurrency(
      'Revenue of redeemed and influenced orders, net of coupon discounts (order totals are after the discount).',
    ),
    redeemedRevenue: perCurrency('Revenue of redeemed orders.'),
    heldOutRevenue: perCurrency("Held-out customers' orders inside the window."),
    discount: perCurrency('What the coupons took off redeemed orders (redemptions.discount_minor).'),
    grossRevenue: perCurrency('revenue + discount: before the coupons.'),
    unit: { type: 'string', enum: ['messages', 'trigger instances'] },
    rates: {
      type: 'object',
      properties: {
        openedPeople: perSent('Opened by a person'),
        openedAll: perSent('Opened, privacy proxies included'),
        clicked: perSent('Clicked'),
        unsubscribed: perSent('Unsubscribed'),
        bounced: perSent('Bounced'),
        complained: perSent('Complaints'),
        conversion: rate('Converted over mailed, in `unit`s'),
      },
    },
    revenuePerRecipient: {
      type: 'array',
      description: 'Per currency with any revenue, sorted.',
      items: {
        type: 'object',
        properties: {
          currency: { type: 'string' },
          mailed: {
            description:
              "mailed revenue in the currency over the mailed group's size (every member), rounded to the minor unit",
            oneOf: [{ $ref: '#/components/schemas/Money' }, { type: 'null' }],
          },
          heldOut: {
            description: 'the same for the held-out group; null with no control group',
            oneOf: [{ $ref: '#/components/schemas/Money' }, { type: 'null' }],
          },
          incremental: {
            type: 'object',
            description:
              "mailed minus held out. enough: true gives difference and ci95 {low, high}, a 95% Welch interval (unequal variances, t quantile at the Welch-Satterthwaite degrees of freedom) over the members' revenue, and significant; enough: false gives noControlGroup and reason (needs 30 per group and 5 buyers).",
          },
        },
      },
    },
    conversion: {
      type: 'object',
      description: 'mailed and heldOut groups in `unit`s, and the lift (Newcombe hybrid score 95% interval)',
      properties: { mailed: group, heldOut: group, lift: { type: 'object' } },
    },
  },
};

export const reportSchemas: Record<string, JsonSchema> = {
  Money: moneyItem,
  ReportOutcomes: outcomes,
  CampaignReport: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      name: { type: ['string', 'null'] },
      attributionDays: { type: 'integer' },
      timeZone: {
        type: 'string',
        description: "the IANA zone of the daily rows' days: the shop's settings timezone",
      },
      totals: { $ref: '#/components/schemas/ReportOutcomes' },
      steps: {
        type: 'array',
        items: {
          allOf: [
            { $ref: '#/components/schemas/ReportOutcomes' },
            { properties: { step: integer('from 0') } },
          ],
        },
      },
      daily: {
        type: 'array',
        description: 'only on /v1/reports/campaigns/{id} and report --daily; days with activity',
        items: {
          type: 'object',
          properties: {
            day: { type: 'string', format: 'date', description: 'a calendar day in timeZone' },
            sends: { type: 'integer' },
            opens: { type: 'integer', description: 'messages first opened that day' },
            clicks: { type: 'integer', description: 'messages first clicked that day' },
            redemptions: { type: 'integer' },
            revenue: perCurrency('Revenue of orders placed that day.'),
          },
        },
      },
      links: {
        type: 'object',
        properties: {
          links: {
            type: 'array',
            description: 'each link clicked by 2 people or more, most clicks first',
            items: {
              type: 'object',
              properties: {
                url: { type: 'string' },
                people: integer('distinct recipients who clicked it'),
                clicks: integer('every click on it'),
              },
            },
          },
          fewPeople: {
            type: 'object',
            description: "links fewer people clicked, summed and not named (they may be one recipient's own)",
            properties: { links: { type: 'integer' }, clicks: { type: 'integer' } },
          },
        },
      },
      rejectedCodes: { type: 'object' },
    },
  },
};

/** The period fields both report answers carry (core/reports/range.ts, rangeJson). */
export const reportMeta: Record<string, JsonSchema> = {
  generatedAt: { type: 'string', format: 'date-time' },
  since: { type: ['string', 'null'], format: 'date-time' },
  from: { type: ['string', 'null'], format: 'date', description: 'first day, in timeZone' },
  to: { type: ['string', 'null'], format: 'date', description: 'last day, included, in timeZone' },
  timeZone: { type: 'string' },
};

// The report's period (core/reports/range.ts): messages sent in it, and what followed them.
export const rangeParameters: JsonSchema[] = [
  {
    name: 'from',
    in: 'query',
    required: false,
    description: "only messages sent from this day on (YYYY-MM-DD, in the shop's time zone); blank: no bound",
    schema: { type: 'string', format: 'date' },
  },
  {
    name: 'to',
    in: 'query',
    required: false,
    description: 'only messages sent up to this day, included; opens, clicks and orders after it still count',
    schema: { type: 'string', format: 'date' },
  },
  {
    name: 'since',
    in: 'query',
    required: false,
    description: 'only messages sent from this ISO 8601 time with offset (instead of from)',
    schema: { type: 'string', format: 'date-time' },
  },
];
