// Field builders for campaign and settings files. Each field states what it
// allows once, as `allowed` metadata: the same text is used in the error
// message ("must be <allowed>, got 'ninety'") and in the generated reference,
// so the two cannot drift. Never throws and never reads anything outside.
import { z } from 'zod';
import { closestName } from '../closest-name.ts';
import { isSafeLink } from '../safe-link.ts';
import { isTimeZone } from '../time.ts';

type RawIssue = z.core.$ZodRawIssue;

/** How a given YAML value is quoted back to the user in an error message. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** An error function: "is required: <allowed>" or "must be <allowed>, got <input>". */
export function expected(allowed: string) {
  return (issue: RawIssue) =>
    issue.input === undefined ? `is required: ${allowed}` : `must be ${allowed}, got ${show(issue.input)}`;
}

/**
 * Like `expected`, for text fields: YAML reads `code_prefix: 2024` as a number,
 * so say how to make it text.
 */
export function expectedText(allowed: string) {
  const plain = expected(allowed);
  return (issue: RawIssue) => {
    const kind = typeof issue.input;
    if (kind !== 'number' && kind !== 'boolean') return plain(issue);
    return `${plain(issue)} (YAML read that as a ${kind}; put it in quotes to make it text)`;
  };
}

/**
 * A strict mapping: unknown keys are errors, because a misspelt key would
 * otherwise silently switch a rule off. The unknown-keys message has one line
 * per key, in the order of `issue.keys` (issues.ts splits it).
 */
export function strict<T extends z.core.$ZodLooseShape>(shape: T, allowed: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => unknownKeyMessage(key, known)).join('\n');
      }
      return expected(allowed)(issue);
    },
  });
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const guess = closestName(key, known);
  const hint = guess ? `did you mean '${guess}'? ` : '';
  return `is not a known field (${hint}allowed here: ${known.join(', ')})`;
}

/** A whole number; its allowed text is derived from the bounds so the two cannot disagree. */
export function wholeNumber(range: { min?: number; max?: number; unit?: string } = {}) {
  const { min, max, unit } = range;
  const bounds =
    min !== undefined && max !== undefined
      ? ` from ${min} to ${max}`
      : min !== undefined
        ? ` >= ${min}`
        : max !== undefined
          ? ` <= ${max}`
          : '';
  const allowed = `a whole number${unit ? ` of ${unit}` : ''}${bounds}`;
  const error = expected(allowed);
  let schema = z.number({ error }).int({ error });
  if (min !== undefined) schema = schema.min(min, { error });
  if (max !== undefined) schema = schema.max(max, { error });
  return schema.meta({ allowed });
}

export function number(allowed: string, range: { gt?: number; min?: number; max?: number } = {}) {
  const error = expected(allowed);
  let schema = z.number({ error });
  if (range.gt !== undefined) schema = schema.gt(range.gt, { error });
  if (range.min !== undefined) schema = schema.min(range.min, { error });
  if (range.max !== undefined) schema = schema.max(range.max, { error });
  return schema.meta({ allowed });
}

export function bool(allowed = 'true or false') {
  return z.boolean({ error: expected(allowed) }).meta({ allowed });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const allowed = `one of ${values.join(', ')}`;
  return z.enum(values, { error: expected(allowed) }).meta({ allowed });
}

export function text(allowed: string, max: number) {
  const error = expectedText(allowed);
  return z.string({ error }).trim().min(1, { error }).max(max, { error }).meta({ allowed });
}

export function pattern(allowed: string, regex: RegExp) {
  const error = expectedText(allowed);
  return z.string({ error }).regex(regex, { error }).meta({ allowed });
}

export function list<T extends z.ZodType>(item: T, allowed: string, size: { min?: number; max?: number }) {
  const error = expected(allowed);
  return z
    .array(item, { error })
    .min(size.min ?? 0, { error })
    .max(size.max ?? 1000, { error })
    .meta({ allowed });
}

const decimalText = /^\d+(\.\d+)?$/;

/**
 * A money amount as written in the file (12.50 or "12.50"); it is turned into
 * minor units of the shop currency once the settings file is known.
 */
export function amount(allowed = 'a decimal amount >= 0 like 40 or 12.50') {
  const error = expected(allowed);
  return z
    .union([z.string(), z.number()], { error })
    .refine((value) => (typeof value === 'number' ? value >= 0 : decimalText.test(value.trim())), {
      error,
    })
    .meta({ allowed });
}

/** As written in a file: one amount (the shop currency) or a mapping of currency code to amount. */
export type AmountsInput = string | number | Readonly<Record<string, string | number>>;

/**
 * A money amount for every currency the shop sells in: 40 (in the shop
 * currency) or { GBP: 40, EUR: 45 }; see src/core/money-by-currency.ts.
 */
export function amounts(positive = false) {
  const one = positive ? 'a decimal amount > 0 like 5 or 7.50' : 'a decimal amount >= 0 like 40 or 12.50';
  const allowed = `${one}, or one per currency like { GBP: 40, EUR: 45 }`;
  const isAmount = (value: unknown) =>
    typeof value === 'number'
      ? positive
        ? value > 0
        : value >= 0
      : typeof value === 'string' && decimalText.test(value.trim()) && (!positive || Number(value) > 0);
  return z
    .custom<AmountsInput>(
      (value) => typeof value === 'string' || typeof value === 'number' || isMapping(value),
      { error: expected(allowed) },
    )
    .superRefine((value, ctx) => {
      if (!isMapping(value)) {
        if (!isAmount(value))
          ctx.addIssue({ code: 'custom', message: `must be ${allowed}, got ${show(value)}` });
        return;
      }
      const entries = Object.entries(value);
      if (entries.length === 0)
        ctx.addIssue({ code: 'custom', message: `must be ${allowed}, got an empty mapping` });
      for (const [code, each] of entries) {
        if (!isCurrencyCode(code)) {
          ctx.addIssue({
            code: 'custom',
            path: [code],
            message: `is not a currency: keys must be 3-letter ISO 4217 codes like EUR or GBP`,
          });
        } else if (!isAmount(each)) {
          ctx.addIssue({ code: 'custom', path: [code], message: `must be ${one}, got ${show(each)}` });
        }
      }
    })
    .meta({ allowed });
}

function isMapping(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
}

const clock = /^([01]?\d|2[0-3]):[0-5]\d$/;

/** A time of day as "HH:MM"; parsed to minutes after midnight by `minuteOfDay`. */
export function clockTime() {
  return pattern('a time of day like 09:00 or 20:30 (24-hour HH:MM)', clock);
}

export function minuteOfDay(text: string): number {
  const [hours = '0', minutes = '0'] = text.split(':');
  return Number(hours) * 60 + Number(minutes);
}

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

export function countryCode() {
  const allowed = 'a 2-letter ISO 3166 country code like GB or DE';
  return z
    .string({ error: expected(allowed) })
    .refine(isCountry, { error: expected(allowed) })
    .transform((code) => code.toUpperCase())
    .meta({ allowed });
}

// Intl knows every assigned region code; aliases such as UK are refused
// because shop platforms send the canonical code (GB) and UK would never match.
const notCountries = new Set(['EU', 'EZ', 'UN', 'QO']);

function isCountry(code: string): boolean {
  if (!/^[A-Za-z]{2}$/.test(code) || notCountries.has(code.toUpperCase())) return false;
  try {
    const region = new Intl.Locale('und', { region: code.toUpperCase() }).maximize().region;
    const name = new Intl.DisplayNames(['en'], { type: 'region' }).of(code.toUpperCase());
    return region === code.toUpperCase() && name !== undefined && name !== code.toUpperCase();
  } catch {
    return false;
  }
}

export function currencyCode() {
  const allowed = 'a 3-letter ISO 4217 currency code like EUR or GBP';
  return z
    .string({ error: expected(allowed) })
    .refine(isCurrencyCode, {
      error: expected(allowed),
    })
    .meta({ allowed });
}

export function timeZone() {
  const allowed = 'an IANA time zone like Europe/London';
  return z
    .string({ error: expected(allowed) })
    .refine(isTimeZone, { error: expected(allowed) })
    .meta({ allowed });
}

/** A link that may reach an email: core/safe-link.ts decides, as it does for every such URL. */
export function absoluteUrl(allowed = 'an absolute http(s) URL like https://shop.example/unsubscribe') {
  const error = expected(allowed);
  return z.string({ error }).refine(isSafeLink, { error }).meta({ allowed });
}

export function emailAddress(allowed = 'an email address like hello@shop.example') {
  const error = expected(allowed);
  return z.string({ error }).trim().pipe(z.email({ error })).meta({ allowed });
}
