// Turns a campaign file's decimal amount into minor units of the shop
// currency, reporting a problem on the field's path instead of throwing.
import type { z } from 'zod';
import { currencyExponent, toMinorUnits } from '../money.ts';
import { show } from './fields.ts';

export function toMinor(
  amount: string | number,
  currency: string,
  ctx: z.RefinementCtx,
  path: (string | number)[],
): number {
  const parsed = toMinorUnits(amount, currency);
  if (parsed.ok) return parsed.value;
  const places = currencyExponent(currency);
  ctx.addIssue({
    code: 'custom',
    message: `must be an amount in ${currency} with at most ${places} decimal place${places === 1 ? '' : 's'}, got ${show(amount)}`,
    path,
  });
  return 0;
}
