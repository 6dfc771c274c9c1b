// One campaign file (campaigns/<id>.yaml): the input schema, which is the
// single source for validation, types and the reference, and its
// normalization into a Campaign. Pure: the loader does the reading.
import type { z } from 'zod';
import type { MoneyByCurrency } from '../money-by-currency.ts';
import { parseInstant } from '../time.ts';
import { audienceInput } from './audience-block.ts';
import { emailInput, sendWindowInput } from './email-block.ts';
import {
  type AmountsInput,
  bool,
  minuteOfDay,
  number,
  oneOf,
  strict,
  text,
  weekdays,
  wholeNumber,
} from './fields.ts';
import { messagedByInput } from './messaged-by-block.ts';
import { toMinorByCurrency } from './money.ts';
import { type OfferInput, offerInput } from './offer-block.ts';
import { parseSendAt, type TriggerInput, triggerInput, triggerTypes } from './trigger-block.ts';
import type { Audience, AudienceSendTrigger, Campaign, CampaignStep, Offer, Trigger } from './types.ts';

export const campaignIdPattern = /^[a-z0-9][a-z0-9-]*$/;

export const campaignInput = strict(
  {
    name: text('a name, 1-100 characters', 100).describe('Shown in reports and on the dashboard.'),
    enabled: bool().default(true).describe('false: still validated, never sends.'),
    priority: wholeNumber({ min: -1000, max: 1000 })
      .default(0)
      .describe('One campaign per customer per sweep: the highest priority wins; ties go to the smaller id.'),
    cooldown_days: wholeNumber({ min: 0, max: 3650, unit: 'days' })
      .default(0)
      .describe('After this campaign mails a customer, it skips them for this many days.'),
    holdout_percent: number('a percentage from 0 to 50', { min: 0, max: 50 })
      .default(0)
      .describe(
        'Share of eligible customers kept as a control group (recorded, not mailed) to measure lift.',
      ),
    attribution_days: wholeNumber({ min: 1, max: 365, unit: 'days' })
      .default(7)
      .describe(
        'An order within this many days of a send (or of a held-out decision) counts for the campaign.',
      ),
    frequency: strict(
      {
        on_cap: oneOf(['defer', 'drop'])
          .default('defer')
          .describe('defer: send once the cap allows; drop: skip the message.'),
      },
      'a mapping with on_cap',
    )
      .prefault({})
      .describe('What happens to a message the shop-wide frequency cap blocks.'),
    consent: oneOf(['required', 'shop_policy'])
      .default('required')
      .describe(
        'required: every send needs marketing consent. shop_policy: sends that settings consent.non_subscribers_may_receive lists may also go to non-subscribers.',
      ),
    trigger: triggerInput,
    audience: audienceInput
      .optional()
      .describe('Who may be mailed, beyond the trigger; all given conditions must hold.'),
    exclude_if_messaged_by: messagedByInput
      .optional()
      .describe(
        'Skips customers the named campaigns messaged recently (sent, sending, scheduled or ambiguous; not held out or cancelled). A customer skipped here stays free for the other campaigns of the sweep.',
      ),
    offer: offerInput
      .optional()
      .describe('The coupon each message carries. abandoned_cart campaigns give it per step instead.'),
    email: emailInput
      .optional()
      .describe('The email to send. Required for every trigger but abandoned_cart, which gives it per step.'),
    send_window: sendWindowInput
      .optional()
      .describe("When mail may go out, in the customer's time zone (the shop's when unknown)."),
  },
  'a mapping with name, trigger and email',
).superRefine(
  (campaign, ctx) => {
    // Runs even when other fields failed (`when` below), so a new file shows
    // all of its problems at once; hence the defensive reads.
    const type: unknown = (campaign.trigger as { type?: unknown } | undefined)?.type;
    if (type === 'abandoned_cart') {
      for (const key of ['email', 'offer'] as const) {
        if (campaign[key] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            message: `is given per step for abandoned_cart campaigns (trigger.steps[].${key}); move it there`,
            path: [key],
          });
        }
      }
    } else if ((triggerTypes as readonly unknown[]).includes(type) && campaign.email === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `is required for ${type} campaigns: a mapping with template and subject`,
        path: ['email'],
      });
    }
  },
  {
    when: (payload) =>
      typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
  },
);

export type CampaignInput = z.output<typeof campaignInput>;

/** Validates a campaign file's content and normalizes it for the shop currency. */
export function campaignSchema(currency: string) {
  return campaignInput.transform((input, ctx): Omit<Campaign, 'id'> => {
    const money = (value: AmountsInput | undefined, path: (string | number)[]) =>
      value === undefined ? null : toMinorByCurrency(value, currency, ctx, path);
    const offer = (value: OfferInput | undefined, path: (string | number)[]) =>
      value === undefined ? null : normalizeOffer(value, currency, ctx, path);
    const trigger = input.trigger;
    const steps: CampaignStep[] =
      trigger.type === 'abandoned_cart'
        ? trigger.steps.map((step, index) => ({
            index,
            delayHours: step.delay_hours,
            email: step.email,
            offer: offer(step.offer, ['trigger', 'steps', index, 'offer']),
          }))
        : // superRefine guarantees email for these types
          [{ index: 0, delayHours: 0, email: input.email!, offer: offer(input.offer, ['offer']) }];
    const a = input.audience ?? {};
    const audience: Audience = {
      minOrders: a.min_orders ?? null,
      maxOrders: a.max_orders ?? null,
      minTotalSpent: money(a.min_total_spent, ['audience', 'min_total_spent']),
      maxTotalSpent: money(a.max_total_spent, ['audience', 'max_total_spent']),
      countries: a.countries ?? null,
      tagsAny: a.tags_any ?? null,
      tagsNone: a.tags_none ?? [],
      minLastOrderValue: money(a.min_last_order_value, ['audience', 'min_last_order_value']),
      categoriesBought: a.categories_bought ?? null,
    };
    const window = input.send_window;
    return {
      name: input.name,
      enabled: input.enabled,
      priority: input.priority,
      cooldownDays: input.cooldown_days,
      holdoutPercent: input.holdout_percent,
      attributionDays: input.attribution_days,
      onFrequencyCap: input.frequency.on_cap,
      consent: input.consent,
      trigger: normalizeTrigger(trigger, (value) => money(value, ['trigger', 'min_cart_value'])),
      audience,
      excludeIfMessagedBy: input.exclude_if_messaged_by
        ? {
            campaigns: input.exclude_if_messaged_by.campaigns,
            withinDays: input.exclude_if_messaged_by.within_days,
          }
        : null,
      steps,
      sendWindow: window
        ? {
            startMinute: minuteOfDay(window.start),
            endMinute: minuteOfDay(window.end),
            days: window.days ?? [...weekdays],
          }
        : null,
    };
  });
}

function normalizeTrigger(
  trigger: TriggerInput,
  money: (value: AmountsInput | undefined) => MoneyByCurrency | null,
): Trigger {
  switch (trigger.type) {
    case 'dormant':
      return {
        type: 'dormant',
        days: trigger.days,
        maxDays: trigger.max_days ?? null,
        minOrders: trigger.min_orders,
        cadenceFactor: trigger.cadence_factor ?? null,
      };
    case 'abandoned_cart':
      return { type: 'abandoned_cart', minCartValue: money(trigger.min_cart_value) };
    case 'back_in_stock': {
      const { mode, factor } = trigger.allocation;
      return {
        type: 'back_in_stock',
        includeCarts: trigger.include_carts,
        allocation: mode === 'all' ? { mode } : { mode, factor: factor ?? 1 },
      };
    }
    case 'browse_abandonment':
      return { type: 'browse_abandonment', hours: trigger.hours, maxHours: trigger.max_hours };
    case 'price_drop':
      return {
        type: 'price_drop',
        minPercent: trigger.min_percent,
        days: trigger.days,
        maxHours: trigger.max_hours,
      };
    case 'audience': {
      // The schema has checked send_at.
      const sendAt = parseSendAt(trigger.send_at) as AudienceSendTrigger['sendAt'];
      return {
        type: 'audience',
        sendAt,
        idleDays: { min: trigger.idle_days?.min ?? null, max: trigger.idle_days?.max ?? null },
        perHour: trigger.per_hour ?? null,
        catchUpHours: trigger.catch_up_hours,
      };
    }
    case 'new_arrivals':
      return {
        type: 'new_arrivals',
        days: trigger.days,
        minProducts: trigger.min_products,
        maxProducts: trigger.max_products,
        idleDays: { min: trigger.idle_days?.min ?? null, max: trigger.idle_days?.max ?? null },
      };
    case 'replenishment':
      return {
        type: 'replenishment',
        daysBefore: trigger.days_before,
        maxDaysLate: trigger.max_days_late,
        learn: trigger.learn === false ? null : { minIntervals: trigger.learn.min_intervals },
        categories: trigger.categories ?? null,
      };
  }
}

function normalizeOffer(
  offer: OfferInput,
  currency: string,
  ctx: z.RefinementCtx,
  path: (string | number)[],
): Offer {
  const common = {
    minSubtotal:
      offer.min_subtotal === undefined
        ? null
        : toMinorByCurrency(offer.min_subtotal, currency, ctx, [...path, 'min_subtotal']),
    expiresAfterDays: offer.expires_after_days,
    expiresAt:
      offer.expires_at === undefined ? null : (parseInstant(offer.expires_at) as { value: number }).value,
    codePrefix: offer.code_prefix,
    uses: offer.uses,
    bindToCustomer: offer.bind_to_customer,
  };
  // offerInput's refinement has already checked value against kind.
  if (offer.kind === 'percent_off') return { ...common, kind: 'percent_off', percent: Number(offer.value) };
  if (offer.kind === 'amount_off') {
    return {
      ...common,
      kind: 'amount_off',
      amount: toMinorByCurrency(offer.value ?? 0, currency, ctx, [...path, 'value']),
    };
  }
  return { ...common, kind: 'free_shipping' };
}

/**
 * Campaign order wherever ids break a tie: by code unit, as SQLite's default
 * BINARY collation orders them, so SQL and code agree.
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Why a file name cannot be a campaign id, or undefined when it can. */
export function campaignIdProblem(id: string): string | undefined {
  if (campaignIdPattern.test(id)) return undefined;
  return `the file name must be a campaign id: lower-case letters, digits and dashes, starting with a letter or digit (like winback-vip), got '${id}'`;
}

/**
 * Where a step's fields sit in the campaign file, so checks on a normalized
 * step can point back at the line: per step for abandoned_cart, top level else.
 */
export function stepSourcePath(campaign: Campaign, stepIndex: number): (string | number)[] {
  return campaign.trigger.type === 'abandoned_cart' ? ['trigger', 'steps', stepIndex] : [];
}
