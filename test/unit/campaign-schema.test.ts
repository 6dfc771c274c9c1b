import { describe, expect, it } from 'vitest';
import { campaignIdProblem, campaignSchema } from '../../src/core/campaigns/campaign.ts';
import { describeSchemaIssues } from '../../src/core/campaigns/issues.ts';

const email = { template: 'winback.mjml', subject: 'Hello' };
const dormant = { name: 'Winback', trigger: { type: 'dormant', days: 90 }, email };
const offer = { kind: 'percent_off', value: 15, expires_after_days: 14, code_prefix: 'BACK' };
const step = (delay_hours: number, extra: Record<string, unknown> = {}) => ({ delay_hours, email, ...extra });
const cart = (steps: unknown[]) => ({ name: 'Cart', trigger: { type: 'abandoned_cart', steps } });

function problems(input: unknown, currency = 'EUR'): string[] {
  const result = campaignSchema(currency).safeParse(input);
  return result.success ? [] : describeSchemaIssues(result.error.issues).map((f) => f.message);
}

function parse(input: unknown, currency = 'EUR') {
  const result = campaignSchema(currency).safeParse(input);
  if (!result.success) throw new Error(describeSchemaIssues(result.error.issues)[0]?.message);
  return result.data;
}

describe('dormant trigger', () => {
  it('days: 1 is the smallest accepted value', () => {
    expect(parse({ ...dormant, trigger: { type: 'dormant', days: 1 } }).trigger).toMatchObject({ days: 1 });
  });

  it('days: 0 is refused, saying what is allowed and what was given', () => {
    expect(problems({ ...dormant, trigger: { type: 'dormant', days: 0 } })).toEqual([
      'trigger.days must be a whole number of days >= 1, got 0',
    ]);
  });

  it("days: 'ninety' is refused with the value quoted back", () => {
    expect(problems({ ...dormant, trigger: { type: 'dormant', days: 'ninety' } })).toEqual([
      "trigger.days must be a whole number of days >= 1, got 'ninety'",
    ]);
  });

  it('a missing days says it is required and what it must be', () => {
    expect(problems({ ...dormant, trigger: { type: 'dormant' } })).toEqual([
      'trigger.days is required: a whole number of days >= 1',
    ]);
  });

  it('max_days must be more than days', () => {
    expect(problems({ ...dormant, trigger: { type: 'dormant', days: 90, max_days: 90 } })).toEqual([
      'trigger.max_days must be more than days (90), got 90',
    ]);
    expect(parse({ ...dormant, trigger: { type: 'dormant', days: 90, max_days: 91 } }).trigger).toMatchObject(
      {
        maxDays: 91,
      },
    );
  });

  it('cadence_factor needs min_orders >= 2', () => {
    expect(problems({ ...dormant, trigger: { type: 'dormant', days: 30, cadence_factor: 1.5 } })).toEqual([
      'trigger.cadence_factor needs min_orders >= 2 (a gap between orders needs two orders), got min_orders 1',
    ]);
    const ok = parse({
      ...dormant,
      trigger: { type: 'dormant', days: 30, min_orders: 2, cadence_factor: 1.5 },
    });
    expect(ok.trigger).toEqual({
      type: 'dormant',
      days: 30,
      maxDays: null,
      minOrders: 2,
      cadenceFactor: 1.5,
    });
  });

  it('cadence_factor must be more than 1', () => {
    expect(
      problems({ ...dormant, trigger: { type: 'dormant', days: 30, min_orders: 2, cadence_factor: 1 } }),
    ).toEqual(['trigger.cadence_factor must be a number > 1, like 1.5, got 1']);
  });
});

describe('unknown keys and trigger types', () => {
  it('an unknown key is an error that suggests the likely field and lists the allowed ones', () => {
    expect(problems({ ...dormant, trigger: { type: 'dormant', days: 90, max_dayz: 100 } })).toEqual([
      "trigger.max_dayz is not a known field (did you mean 'max_days'? allowed here: type, days, max_days, min_orders, cadence_factor)",
    ]);
  });

  it('a misspelt top-level key is reported, alongside the required field it left missing', () => {
    const { email: _, ...withoutEmail } = dormant;
    expect(problems({ ...withoutEmail, emial: email })).toEqual([
      "emial is not a known field (did you mean 'email'? allowed here: name, enabled, priority, cooldown_days, holdout_percent, attribution_days, frequency, consent, trigger, audience, exclude_if_messaged_by, offer, email, send_window)",
      'email is required for dormant campaigns: a mapping with template and subject',
    ]);
  });

  it('an unknown trigger type names the allowed ones', () => {
    expect(problems({ ...dormant, trigger: { type: 'dormat', days: 90 } })).toEqual([
      "trigger.type must be one of dormant, abandoned_cart, back_in_stock, browse_abandonment, audience, new_arrivals, price_drop, replenishment, got 'dormat'",
    ]);
  });

  it('a trigger that is not a mapping says so', () => {
    expect(problems({ ...dormant, trigger: 'dormant' })).toEqual([
      "trigger must be a mapping with type: dormant, abandoned_cart, back_in_stock, browse_abandonment, audience, new_arrivals, price_drop, replenishment, got 'dormant'",
    ]);
  });
});

describe('abandoned_cart trigger', () => {
  it('steps must have strictly increasing delays', () => {
    expect(problems(cart([step(1), step(24), step(24)]))).toEqual([
      "trigger.steps[2].delay_hours must be more than the previous step's delay_hours (24), got 24",
    ]);
    expect(problems(cart([step(24), step(1)]))).toEqual([
      "trigger.steps[1].delay_hours must be more than the previous step's delay_hours (24), got 1",
    ]);
  });

  it('allows 1 to 5 steps', () => {
    expect(problems(cart([]))).toEqual([
      'trigger.steps must be a list of 1 to 5 steps, got a list of 0 items',
    ]);
    expect(problems(cart([1, 2, 3, 4, 5].map((h) => step(h))))).toEqual([]);
    expect(problems(cart([1, 2, 3, 4, 5, 6].map((h) => step(h))))).toEqual([
      'trigger.steps must be a list of 1 to 5 steps, got a list of 6 items',
    ]);
  });

  it('normalizes steps with their own offers, in minor units of the shop currency', () => {
    const parsed = parse(
      cart([
        step(1),
        step(24, { offer: { ...offer, kind: 'amount_off', value: '7.50', min_subtotal: 30 } }),
        step(72, { offer: { kind: 'free_shipping', expires_after_days: 2, code_prefix: 'SHIP' } }),
      ]),
    );
    expect(parsed.steps.map((s) => [s.index, s.delayHours, s.offer?.kind ?? null])).toEqual([
      [0, 1, null],
      [1, 24, 'amount_off'],
      [2, 72, 'free_shipping'],
    ]);
    expect(parsed.steps[1]?.offer).toMatchObject({
      amount: { EUR: 750 },
      minSubtotal: { EUR: 3000 },
      uses: 1,
    });
  });

  it('takes email and offer per step, never at the top', () => {
    expect(problems({ ...cart([step(1)]), email, offer })).toEqual([
      'email is given per step for abandoned_cart campaigns (trigger.steps[].email); move it there',
      'offer is given per step for abandoned_cart campaigns (trigger.steps[].offer); move it there',
    ]);
  });
});

describe('back_in_stock trigger', () => {
  const bis = (trigger: Record<string, unknown>) => ({
    name: 'Back',
    email,
    trigger: { type: 'back_in_stock', ...trigger },
  });

  it('defaults to mailing every waitlist entry, without carts', () => {
    expect(parse(bis({})).trigger).toEqual({
      type: 'back_in_stock',
      includeCarts: false,
      allocation: { mode: 'all' },
    });
  });

  it('per_unit allocation defaults its factor to 1 and refuses a factor below 1', () => {
    expect(parse(bis({ allocation: { mode: 'per_unit' } })).trigger).toMatchObject({
      allocation: { mode: 'per_unit', factor: 1 },
    });
    expect(problems(bis({ allocation: { mode: 'per_unit', factor: 0.5 } }))).toEqual([
      'trigger.allocation.factor must be a number >= 1, got 0.5',
    ]);
  });

  it('a factor with mode all is refused rather than ignored', () => {
    expect(problems(bis({ allocation: { mode: 'all', factor: 2 } }))).toEqual([
      'trigger.allocation.factor only applies to mode per_unit, got factor 2 with mode all',
    ]);
  });

  it('needs a top-level email', () => {
    expect(problems({ name: 'Back', trigger: { type: 'back_in_stock' } })).toEqual([
      'email is required for back_in_stock campaigns: a mapping with template and subject',
    ]);
  });
});

describe('offer', () => {
  it('percent_off accepts 1 to 100 and refuses 101', () => {
    expect(parse({ ...dormant, offer: { ...offer, value: 100 } }).steps[0]?.offer).toMatchObject({
      percent: 100,
    });
    expect(problems({ ...dormant, offer: { ...offer, value: 101 } })).toEqual([
      'offer.value must be a percentage from 1 to 100 for percent_off, got 101',
    ]);
  });

  it('free_shipping takes no value', () => {
    expect(problems({ ...dormant, offer: { ...offer, kind: 'free_shipping', value: 5 } })).toEqual([
      'offer.value must be left out for free_shipping, got 5',
    ]);
  });

  it('code_prefix must be 2-10 capital letters or digits', () => {
    for (const prefix of ['back', 'B', 'WELCOMEBACK1', 'BA-CK']) {
      expect(problems({ ...dormant, offer: { ...offer, code_prefix: prefix } })).toEqual([
        `offer.code_prefix must be 2 to 10 capital letters or digits, like BACK, got '${prefix}'`,
      ]);
    }
    expect(problems({ ...dormant, offer: { ...offer, code_prefix: 'BACK2024' } })).toEqual([]);
    expect(problems({ ...dormant, offer: { ...offer, code_prefix: 2024 } })).toEqual([
      'offer.code_prefix must be 2 to 10 capital letters or digits, like BACK, got 2024 (YAML read that as a number; put it in quotes to make it text)',
    ]);
  });

  it('amounts must fit the shop currency', () => {
    const amountOff = { ...offer, kind: 'amount_off', value: 12.5 };
    expect(parse({ ...dormant, offer: amountOff }, 'EUR').steps[0]?.offer).toMatchObject({
      amount: { EUR: 1250 },
    });
    expect(problems({ ...dormant, offer: amountOff }, 'JPY')).toEqual([
      'offer.value must be an amount in JPY with at most 0 decimal places, got 12.5',
    ]);
  });

  it('defaults to one use, bound to the customer', () => {
    expect(parse({ ...dormant, offer }).steps[0]?.offer).toEqual({
      kind: 'percent_off',
      percent: 15,
      minSubtotal: null,
      expiresAfterDays: 14,
      expiresAt: null,
      codePrefix: 'BACK',
      uses: 1,
      bindToCustomer: true,
    });
  });
});

describe('campaign fields', () => {
  it('fills defaults for a minimal campaign', () => {
    expect(parse(dormant)).toMatchObject({
      enabled: true,
      priority: 0,
      cooldownDays: 0,
      holdoutPercent: 0,
      attributionDays: 7,
      onFrequencyCap: 'defer',
      consent: 'required',
      sendWindow: null,
      steps: [{ index: 0, delayHours: 0, email, offer: null }],
    });
  });

  it('enabled: false still validates the campaign and marks it', () => {
    expect(parse({ ...dormant, enabled: false }).enabled).toBe(false);
    expect(problems({ ...dormant, enabled: false, trigger: { type: 'dormant', days: 0 } })).toHaveLength(1);
    expect(problems({ ...dormant, enabled: 'no' })).toEqual(["enabled must be true or false, got 'no'"]);
  });

  it('holdout_percent is 0 to 50', () => {
    expect(parse({ ...dormant, holdout_percent: 50 }).holdoutPercent).toBe(50);
    expect(problems({ ...dormant, holdout_percent: 51 })).toEqual([
      'holdout_percent must be a percentage from 0 to 50, got 51',
    ]);
  });

  it('frequency.on_cap is defer or drop', () => {
    expect(parse({ ...dormant, frequency: { on_cap: 'drop' } }).onFrequencyCap).toBe('drop');
    expect(problems({ ...dormant, frequency: { on_cap: 'skip' } })).toEqual([
      "frequency.on_cap must be one of defer, drop, got 'skip'",
    ]);
  });

  it('audience checks ranges, countries and converts money', () => {
    const audience = { min_total_spent: '50', countries: ['GB', 'ie'], tags_none: ['wholesale'] };
    expect(parse({ ...dormant, audience }).audience).toMatchObject({
      minTotalSpent: { EUR: 5000 },
      countries: ['GB', 'IE'],
      tagsNone: ['wholesale'],
      tagsAny: null,
    });
    expect(problems({ ...dormant, audience: { countries: ['UK'], min_orders: 3, max_orders: 2 } })).toEqual([
      "audience.countries[0] must be a 2-letter ISO 3166 country code like GB or DE, got 'UK'",
      'audience.max_orders must be at least min_orders (3), got 2',
    ]);
  });

  it('money is one figure in the shop currency or one per currency, each checked for its currency', () => {
    const audience = { min_total_spent: { GBP: 200, EUR: '230', JPY: 30000 }, max_total_spent: { GBP: 150 } };
    expect(problems({ ...dormant, audience })).toEqual([
      'audience.max_total_spent.GBP must be at least min_total_spent (200 GBP), got 150',
    ]);
    const ok = { min_total_spent: { GBP: 200, EUR: '230.50', JPY: 30000 } };
    expect(parse({ ...dormant, audience: ok }, 'GBP').audience.minTotalSpent).toEqual({
      GBP: 20000,
      EUR: 23050,
      JPY: 30000,
    });
    expect(
      problems({ ...dormant, audience: { min_total_spent: { GBP: 1, Euro: 2, JPY: 1.5, USD: 'lots' } } }),
    ).toEqual([
      'audience.min_total_spent.Euro is not a currency: keys must be 3-letter ISO 4217 codes like EUR or GBP',
      "audience.min_total_spent.USD must be a decimal amount >= 0 like 40 or 12.50, got 'lots'",
    ]);
    expect(problems({ ...dormant, audience: { min_total_spent: { GBP: 1, JPY: 1.5 } } })).toEqual([
      'audience.min_total_spent.JPY must be an amount in JPY with at most 0 decimal places, got 1.5',
    ]);
    const offerPer = { ...offer, kind: 'amount_off', value: { GBP: 5, EUR: 0 }, min_subtotal: { GBP: 40 } };
    expect(problems({ ...dormant, offer: offerPer })).toEqual([
      'offer.value.EUR must be a decimal amount > 0 like 5 or 7.50, got 0',
    ]);
  });

  it('send_window takes local clock times and weekdays', () => {
    const window = { start: '09:00', end: '20:30', days: ['mon', 'fri'] };
    expect(parse({ ...dormant, send_window: window }).sendWindow).toEqual({
      startMinute: 540,
      endMinute: 1230,
      days: ['mon', 'fri'],
    });
    expect(problems({ ...dormant, send_window: { start: '9am', end: '20:00' } })).toEqual([
      "send_window.start must be a time of day like 09:00 or 20:30 (24-hour HH:MM), got '9am'",
    ]);
  });

  it('template must be an .mjml file name without a folder', () => {
    expect(problems({ ...dormant, email: { ...email, template: '../secrets.mjml' } })).toEqual([
      "email.template must be a file name in emails/ ending in .mjml, like winback.mjml, got '../secrets.mjml'",
    ]);
  });
});

describe('campaign ids', () => {
  it('accept lower-case letters, digits and dashes', () => {
    expect(campaignIdProblem('winback-vip-2')).toBeUndefined();
    expect(campaignIdProblem('Winback')).toMatch(/got 'Winback'$/);
    expect(campaignIdProblem('-winback')).toMatch(/got '-winback'$/);
    expect(campaignIdProblem('win_back')).toMatch(/lower-case letters, digits and dashes/);
  });
});
