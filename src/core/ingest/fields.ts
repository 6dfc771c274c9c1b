// Field schemas shared by every ingested record, so an id, a time or an amount
// is checked and explained the same way on the API and in file imports. Every
// text field starts from `text`: a string that reaches the database must be
// well-formed Unicode.
import { z } from 'zod';
import { type RoundedAmount, toMinorUnits, toRoundedMinorUnits } from '../money.ts';
import { amountProblem, linesTotalProblem, lineValueProblem, maxLineQuantity } from '../money-bounds.ts';
import { isSafeLink, safeLinkRule } from '../safe-link.ts';
import { isTimeZone, parseInstant } from '../time.ts';

/**
 * A string with no lone UTF-16 surrogate (JSON's "\ud800" decodes to one).
 * It has no UTF-8 form: SQLite would store it as bytes that abort the libSQL
 * driver on read. Refused here, before any other check, so the error says why.
 */
export function text(params?: Parameters<typeof z.string>[0]) {
  return wellFormed(z.string(params));
}

/** `schema` (any string schema) that also refuses a lone surrogate, as text() does. */
export function wellFormed<S extends z.ZodType<string, string>>(schema: S): S {
  return schema.refine((value) => value.isWellFormed(), {
    message: 'must be valid Unicode text (it holds a lone surrogate such as \\ud800)',
    abort: true,
  });
}

export const externalId = text({
  error: (issue) =>
    typeof issue.input === 'number'
      ? 'ids must be sent as strings (large numeric ids lose digits as JSON numbers)'
      : 'expected a string id',
})
  .trim()
  .min(1, 'must not be blank')
  .max(255, 'must be at most 255 characters');

export const instant = z.string({ error: 'expected an ISO 8601 time with offset' }).transform((text, ctx) => {
  const parsed = parseInstant(text);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', message: parsed.reason });
  return z.NEVER;
});

export const currency = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, 'expected a 3-letter ISO 4217 currency code like EUR')
  .transform((code) => code.toUpperCase());

/** A decimal as text or JSON number; converted once the currency is known. */
export const decimal = z.union(
  [
    z
      .string()
      .trim()
      .regex(/^[+-]?\d+(\.\d*)?$/, 'expected a decimal amount like 12.34'),
    z.number().finite(),
  ],
  { error: 'expected a decimal amount like 12.34' },
);

export const email = text().trim().toLowerCase().pipe(z.email('expected an email address'));

export const optionalText = text()
  .trim()
  .max(2000)
  .nullish()
  .transform((v) => (v ? v : null));

export const country = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, 'expected a 2-letter ISO 3166 country code like GB')
  .transform((code) => code.toUpperCase());

export const timezone = z
  .string()
  .refine(isTimeZone, { message: 'expected an IANA time zone like Europe/London' });

// Every stored URL can end up in an email, so only safe links are stored.
export const url = z.string({ error: `expected ${safeLinkRule}` }).refine(isSafeLink, {
  error: `expected ${safeLinkRule} (no other scheme, no spaces or control characters)`,
});

export const tags = z.array(text().trim().min(1).max(100)).max(100);

/** A line's quantity: whole, not 0, negative for a returned line. */
export const quantity = z
  .number()
  .int('quantity must be a whole number')
  .refine((q) => q !== 0, 'quantity must not be 0')
  .refine(
    (q) => Math.abs(q) <= maxLineQuantity,
    `quantity must be between -${maxLineQuantity} and ${maxLineQuantity}`,
  );

/**
 * Converts `amount` (a decimal) to minor units of `currency`, reporting a
 * failure on `path` so the error names the field. Holds it to the bounds of
 * money-bounds.ts: never negative, never past maxAmountMinor.
 */
export function minorUnits(
  amount: string | number,
  currencyCode: string,
  ctx: z.RefinementCtx,
  path: (string | number)[],
): number {
  const parsed = toMinorUnits(amount, currencyCode);
  const problem = parsed.ok ? amountProblem(parsed.value, currencyCode) : parsed.reason;
  if (problem === null && parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', message: problem ?? 'invalid amount', path });
  return 0;
}

/**
 * A line's unit price, which unlike every other amount may be finer than the
 * currency's minor unit: rounded half-even for storage, kept exact for the
 * lines' total (see money.ts). The bounds hold as for minorUnits.
 */
export function linePrice(
  amount: string | number,
  currencyCode: string,
  ctx: z.RefinementCtx,
  path: (string | number)[],
): RoundedAmount {
  const parsed = toRoundedMinorUnits(amount, currencyCode);
  // A negative price that rounds to 0 is still negative.
  const problem = !parsed.ok
    ? parsed.reason
    : (parsed.value.fine?.units ?? 0n) < 0n
      ? 'must not be negative'
      : amountProblem(parsed.value.minor, currencyCode);
  if (problem === null && parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', message: problem ?? 'invalid amount', path });
  return { minor: 0 };
}

export interface PricedLine {
  quantity: number;
  unitPriceMinor: number;
}

/**
 * The value of `lines` (sum of quantity x unit price), reporting a line or a
 * sum past the bounds on the field that caused it. Exact: every term and
 * every partial sum stays far below 2^53.
 */
export function linesValue(
  lines: readonly PricedLine[],
  currencyCode: string,
  ctx: z.RefinementCtx,
  path: (string | number)[] = ['items'],
): number {
  let total = 0;
  lines.forEach((line, i) => {
    const problem = lineValueProblem(line.quantity, line.unitPriceMinor, currencyCode);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [...path, i, 'quantity'] });
    else total += line.quantity * line.unitPriceMinor;
  });
  const problem = linesTotalProblem(total, currencyCode);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, path });
  return total;
}
