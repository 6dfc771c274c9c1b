// The `trigger` block: what makes a campaign fire, one variant per `type`.
// Input validation only; the sweeps that evaluate triggers live elsewhere.
import { z } from 'zod';
import { parseInstant } from '../time.ts';
import { cronProblem } from './cron.ts';
import { emailInput } from './email-block.ts';
import {
  amounts,
  bool,
  expected,
  list,
  number,
  oneOf,
  pattern,
  show,
  strict,
  text,
  wholeNumber,
} from './fields.ts';
import { offerInput } from './offer-block.ts';

export const triggerTypes = [
  'dormant',
  'abandoned_cart',
  'back_in_stock',
  'browse_abandonment',
  'audience',
  'new_arrivals',
  'price_drop',
  'replenishment',
] as const;
export type TriggerType = (typeof triggerTypes)[number];

const typeField = <T extends TriggerType>(type: T) => z.literal(type).describe('The trigger type.');

const dormantInput = strict(
  {
    type: typeField('dormant'),
    days: wholeNumber({ min: 1, unit: 'days' }).describe(
      'Fires when the last purchase is more than this many days ago.',
    ),
    max_days: wholeNumber({ min: 1, unit: 'days' })
      .optional()
      .describe('Stops firing once the last purchase is more than this many days ago; more than days.'),
    min_orders: wholeNumber({ min: 1 })
      .default(1)
      .describe('Only customers with at least this many purchases.'),
    cadence_factor: number('a number > 1, like 1.5', { gt: 1 })
      .optional()
      .describe(
        'Also requires the customer to be overdue: last purchase more than this times their own median gap between orders. Needs min_orders >= 2.',
      ),
  },
  'a mapping with type and days',
).superRefine((trigger, ctx) => {
  if (trigger.max_days !== undefined && trigger.max_days <= trigger.days) {
    ctx.addIssue({
      code: 'custom',
      message: `must be more than days (${trigger.days}), got ${trigger.max_days}`,
      path: ['max_days'],
    });
  }
  if (trigger.cadence_factor !== undefined && trigger.min_orders < 2) {
    ctx.addIssue({
      code: 'custom',
      message: `needs min_orders >= 2 (a gap between orders needs two orders), got min_orders ${trigger.min_orders}`,
      path: ['cadence_factor'],
    });
  }
});

const cartStepInput = strict(
  {
    delay_hours: number('a number of hours > 0, like 1 or 0.5', { gt: 0 }).describe(
      'Hours of cart inactivity before this step is sent; larger than the previous step.',
    ),
    offer: offerInput.optional().describe('The coupon this step carries, if any.'),
    email: emailInput.describe('The email this step sends.'),
  },
  'a mapping with delay_hours and email',
);

const abandonedCartInput = strict(
  {
    type: typeField('abandoned_cart'),
    steps: list(cartStepInput, 'a list of 1 to 5 steps', { min: 1, max: 5 }).describe(
      'The reminder series, in order of delay.',
    ),
    min_cart_value: amounts()
      .optional()
      .describe(
        'Only carts worth at least this in their currency: one figure in the shop currency, or one per currency; carts in a currency it gives no figure for are not reminded.',
      ),
  },
  'a mapping with type and steps',
).superRefine((trigger, ctx) => {
  for (const [i, step] of trigger.steps.entries()) {
    const previous = trigger.steps[i - 1];
    if (previous && step.delay_hours <= previous.delay_hours) {
      ctx.addIssue({
        code: 'custom',
        message: `must be more than the previous step's delay_hours (${previous.delay_hours}), got ${step.delay_hours}`,
        path: ['steps', i, 'delay_hours'],
      });
    }
  }
});

const allocationInput = strict(
  {
    mode: oneOf(['all', 'per_unit']).describe(
      'all: mail every waitlist entry at once; per_unit: at most ceil(units restocked x factor) per restock, the rest stay queued.',
    ),
    factor: number('a number >= 1', { min: 1 })
      .optional()
      .describe('per_unit only: entries mailed per restocked unit (default 1).'),
  },
  'a mapping with mode (all or per_unit) and, for per_unit, factor',
).superRefine((allocation, ctx) => {
  if (allocation.mode === 'all' && allocation.factor !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `only applies to mode per_unit, got factor ${allocation.factor} with mode all`,
      path: ['factor'],
    });
  }
});

const backInStockInput = strict(
  {
    type: typeField('back_in_stock'),
    include_carts: bool()
      .default(false)
      .describe('Also mail customers whose open cart holds the restocked product.'),
    allocation: allocationInput
      .prefault({ mode: 'all' })
      .describe('How many waitlist entries one restock may mail.'),
  },
  'a mapping with type',
);

const browseAbandonmentInput = strict(
  {
    type: typeField('browse_abandonment'),
    hours: number('a number of hours > 0, like 2 or 0.5', { gt: 0 }).describe(
      "Fires this many hours after the customer's latest product view, when no cart or paid order followed it.",
    ),
    max_hours: number('a number of hours > 0, like 72', { gt: 0 })
      .default(72)
      .describe(
        'Stops firing once the latest product view is more than this many hours old; more than hours.',
      ),
  },
  'a mapping with type and hours',
).superRefine((trigger, ctx) => {
  if (trigger.max_hours <= trigger.hours) {
    ctx.addIssue({
      code: 'custom',
      message: `must be more than hours (${trigger.hours}), got ${trigger.max_hours}`,
      path: ['max_hours'],
    });
  }
});

const sendAtAllowed =
  'an instant like 2026-11-27T09:00:00Z, or a 5-field cron expression in UTC like "0 9 * * 1" for a recurring send';

/** `send_at` as the engine reads it: one instant, or a cron expression (UTC). */
export function parseSendAt(text: string): { at: number } | { cron: string } | { problem: string } {
  const instant = parseInstant(text);
  if (instant.ok) return { at: instant.value };
  if (/^\d{4}-/.test(text.trim())) return { problem: instant.reason };
  const problem = cronProblem(text);
  return problem
    ? { problem: `is no instant, and as a cron expression it ${problem}` }
    : { cron: text.trim() };
}

const idleDaysInput = strict(
  {
    min: wholeNumber({ min: 0, unit: 'days' })
      .optional()
      .describe('Only customers whose last purchase is at least this many days before the send.'),
    max: wholeNumber({ min: 1, unit: 'days' })
      .optional()
      .describe(
        'Only customers whose last purchase is at most this many days before the send; more than min.',
      ),
  },
  'a mapping with min and/or max',
).superRefine((idle, ctx) => {
  if (idle.min !== undefined && idle.max !== undefined && idle.max <= idle.min) {
    ctx.addIssue({
      code: 'custom',
      message: `must be more than min (${idle.min}), got ${idle.max}`,
      path: ['max'],
    });
  }
});

const audienceSendInput = strict(
  {
    type: typeField('audience'),
    send_at: pattern(sendAtAllowed, /\S/)
      .superRefine((value, ctx) => {
        const parsed = parseSendAt(value);
        if ('problem' in parsed)
          ctx.addIssue({
            code: 'custom',
            message: `must be ${sendAtAllowed}, got '${value}' (it ${parsed.problem})`,
          });
      })
      .describe(
        'When the send goes out to everyone the audience matches at that moment: once at an instant, or at every time a cron expression (UTC) names.',
      ),
    idle_days: idleDaysInput
      .optional()
      .describe(
        'Only customers idle this long at the send: days since their last purchase (needs a purchase).',
      ),
    per_hour: wholeNumber({ min: 1 })
      .optional()
      .describe(
        'Spreads the send: at most this many messages due per hour from send_at on (then the send window); all at once when left out.',
      ),
    catch_up_hours: number('a number of hours from 1 to 168', { min: 1, max: 168 })
      .default(24)
      .describe('A sweep this long after send_at still makes the send; later ones leave it.'),
  },
  'a mapping with type and send_at',
);

const newArrivalsInput = strict(
  {
    type: typeField('new_arrivals'),
    days: wholeNumber({ min: 1, max: 90, unit: 'days' }).describe(
      'Products first in stock within this many days are new arrivals.',
    ),
    min_products: wholeNumber({ min: 1, max: 12 })
      .default(1)
      .describe("No message until at least this many are new in the customer's categories."),
    max_products: wholeNumber({ min: 1, max: 12 })
      .default(4)
      .describe('One message lists at most this many, newest first; at least min_products.'),
    idle_days: idleDaysInput
      .optional()
      .describe('Only customers idle this long: days since their last purchase (needs a purchase).'),
  },
  'a mapping with type and days',
).superRefine((trigger, ctx) => {
  if (trigger.max_products < trigger.min_products) {
    ctx.addIssue({
      code: 'custom',
      message: `must be at least min_products (${trigger.min_products}), got ${trigger.max_products}`,
      path: ['max_products'],
    });
  }
});

const priceDropInput = strict(
  {
    type: typeField('price_drop'),
    min_percent: wholeNumber({ min: 1, max: 90 }).describe(
      'Fires when a product falls by at least this many percent of its old price.',
    ),
    days: wholeNumber({ min: 1, max: 365, unit: 'days' }).describe(
      'Customers who viewed the product, had it in a cart or joined its waitlist within this many days before the drop.',
    ),
    max_hours: wholeNumber({ min: 1, max: 720, unit: 'hours' })
      .default(72)
      .describe('A drop more than this many hours old no longer fires (a late sweep catches up within it).'),
  },
  'a mapping with type, min_percent and days',
);

const replenishmentLearnInput = strict(
  {
    min_intervals: wholeNumber({ min: 1, max: 1000 })
      .default(5)
      .describe(
        'A learned interval is used only when it is the median of at least this many re-buy intervals.',
      ),
  },
  'a mapping with min_intervals, or false',
);

const replenishmentInput = strict(
  {
    type: typeField('replenishment'),
    days_before: wholeNumber({ min: 0, max: 60, unit: 'days' })
      .default(0)
      .describe(
        "Mails this many days before the product's interval is up (never sooner than a day after the purchase).",
      ),
    max_days_late: wholeNumber({ min: 1, max: 180, unit: 'days' })
      .default(14)
      .describe(
        'A purchase whose interval was up more than this many days ago is no longer mailed (a late sweep catches up within it).',
      ),
    learn: z
      .union([z.literal(false), replenishmentLearnInput], {
        error: expected('a mapping with min_intervals, or false'),
      })
      .prefault({})
      .meta({ allowed: 'a mapping with min_intervals (a whole number >= 1, default 5), or false' })
      .describe(
        "For a product without replenish_days: its interval is the median gap in days between customers' consecutive purchases of it. false: only products with replenish_days are mailed.",
      ),
    categories: list(text('a product category', 200), 'a list of product categories', { min: 1, max: 100 })
      .optional()
      .describe("Only products in these categories count (the shop's consumables)."),
  },
  'a mapping with type',
);

const triggerAllowed = `a mapping with type: ${triggerTypes.join(', ')}`;

export const triggerInput = z
  .discriminatedUnion(
    'type',
    [
      dormantInput,
      abandonedCartInput,
      backInStockInput,
      browseAbandonmentInput,
      audienceSendInput,
      newArrivalsInput,
      priceDropInput,
      replenishmentInput,
    ],
    {
      error: (issue) => {
        if (issue.code === 'invalid_union' && isRecord(issue.input)) {
          const type = issue.input.type;
          const allowed = `one of ${triggerTypes.join(', ')}`;
          return type === undefined ? `is required: ${allowed}` : `must be ${allowed}, got ${show(type)}`;
        }
        return expected(triggerAllowed)(issue);
      },
    },
  )
  .describe('What makes the campaign fire.');

export type TriggerInput = z.output<typeof triggerInput>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
