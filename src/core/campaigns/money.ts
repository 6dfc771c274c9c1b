// Turns a campaign file's decimal amounts into minor units (of the shop
// currency, or of each currency a mapping names), reporting a problem on the
// field's path instead of throwing.
import type { z } from 'zod';
import { currencyExponent, toMinorUnits } from '../money.ts';
import type { MoneyByCurrency } from '../money-by-currency.ts';
import { type AmountsInput, show } from './fields.ts';

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

/**
 * A campaign file's amount for every currency it names: one figure is the
 * shop currency's; a mapping gives each currency its own.
 */
export function toMinorByCurrency(
  amounts: AmountsInput,
  shopCurrency: string,
  ctx: z.RefinementCtx,
  path: (string | number)[],
): MoneyByCurrency {
  if (typeof amounts !== 'object') return { [shopCurrency]: toMinor(amounts, shopCurrency, ctx, path) };
  const out: Record<string, number> = {};
  for (const [currency, amount] of Object.entries(amounts)) {
    out[currency] = toMinor(amount, currency, ctx, [...path, currency]);
  }
  return out;
}
