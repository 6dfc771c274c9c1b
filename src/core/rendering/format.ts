// How numbers and dates read in an email: money in the shop's currency with
// its symbol, dates spelled out in the customer's time zone, offer headlines.
// One fixed locale (en-GB) because the shipped copy is English; pure (Intl only).

import { currencyExponent } from '../money.ts';
import type { MoneyView, OfferView } from './contract.ts';

export const emailLocale = 'en-GB';

const moneyFormats = new Map<string, Intl.NumberFormat>();

export function moneyView(minor: number, currency: string): MoneyView {
  const code = currency.toUpperCase();
  let format = moneyFormats.get(code);
  if (!format) {
    const digits = currencyExponent(code);
    format = new Intl.NumberFormat(emailLocale, {
      style: 'currency',
      currency: code,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    moneyFormats.set(code, format);
  }
  return { display: format.format(minor / 10 ** currencyExponent(code)), minor, currency: code };
}

/** "7 December 2026" in the given zone. */
export function formatDate(epochMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat(emailLocale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone,
  }).format(epochMs);
}

export interface OfferFacts {
  code: string;
  kind: OfferView['kind'];
  /** Percent for percent_off, minor units for amount_off, unused for free_shipping. */
  value: number;
  currency: string;
  minSubtotalMinor: number | null;
  expiresAt: number | null;
}

export function offerView(offer: OfferFacts, timeZone: string): OfferView {
  const headline =
    offer.kind === 'percent_off'
      ? `${offer.value}% off`
      : offer.kind === 'amount_off'
        ? `${moneyView(offer.value, offer.currency).display} off`
        : 'Free shipping';
  return {
    code: offer.code,
    kind: offer.kind,
    headline,
    min_subtotal: offer.minSubtotalMinor === null ? null : moneyView(offer.minSubtotalMinor, offer.currency),
    expires_on: offer.expiresAt === null ? null : formatDate(offer.expiresAt, timeZone),
  };
}
