// Field schemas shared by every ingested record, so an id, a time or an amount
// is checked and explained the same way on the API and in file imports.
import { z } from 'zod';
import { toMinorUnits } from '../money.ts';
import { isSafeLink, safeLinkRule } from '../safe-link.ts';
import { isTimeZone, parseInstant } from '../time.ts';

export const externalId = z
  .string({
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

export const email = z.string().trim().toLowerCase().pipe(z.email('expected an email address'));

export const optionalText = z
  .string()
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

export const tags = z.array(z.string().trim().min(1).max(100)).max(100);

/**
 * Converts `amount` (a decimal) to minor units of `currency`, reporting a
 * failure on `path` so the error names the field.
 */
export function minorUnits(
  amount: string | number,
  currencyCode: string,
  ctx: z.RefinementCtx,
  path: (string | number)[],
): number {
  const parsed = toMinorUnits(amount, currencyCode);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', message: parsed.reason, path });
  return 0;
}
