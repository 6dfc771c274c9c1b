// An amount a campaign file gives per currency: `min_subtotal: 40` is 40 in
// the shop currency, `min_subtotal: { GBP: 40, EUR: 45, USD: 50 }` one figure
// per currency. Nothing is converted: a customer is judged, and their coupon
// written, in their own currency, with that currency's
// figure; a currency the file gives no figure for cannot be judged, so the
// campaign leaves that customer out and says why (moneyGap). One owner of the
// rule, so audience, trigger and offer amounts all read the same way.
//
// A customer's currency: the cart's for a cart; else that of their last paid
// order; else (a waitlist sign-up who never bought) the product's; else the
// shop's. The sweep's SQL resolves it (db/sweeps/customer-fact-columns.ts,
// customerCurrencySql) because spend must be summed in it.

/** Minor units by upper-case ISO 4217 code; never empty. */
export type MoneyByCurrency = Readonly<Record<string, number>>;

export function amountIn(money: MoneyByCurrency, currency: string): number | undefined {
  return Object.hasOwn(money, currency) ? money[currency] : undefined;
}

export function currenciesOf(money: MoneyByCurrency): string[] {
  return Object.keys(money);
}

/**
 * Why `field` cannot be judged in `currency`, or undefined when it can (or
 * the field is not set).
 */
export function moneyGap(field: string, money: MoneyByCurrency | null, currency: string): string | undefined {
  if (money === null || amountIn(money, currency) !== undefined) return undefined;
  return `${field} has no figure in ${currency} (it gives ${currenciesOf(money).join(', ')})`;
}
