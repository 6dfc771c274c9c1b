// Small conversions of WooCommerce's values: names arrive HTML-escaped (a
// variation line reads "Ship Your Idea &ndash; Color: Black"), and a line's
// unit price is its subtotal (before discounts) divided by its quantity, as an
// exact decimal that ingest rounds once (records.ts keeps finer unit prices
// exact for the lines' total). Pure.
import { decodeEntities } from '../../../core/safe-link.ts';

// The named references WordPress writes into titles besides those decodeEntities knows.
const typographic: Record<string, string> = {
  ndash: '\u2013',
  mdash: '\u2014',
  nbsp: '\u00a0',
  hellip: '\u2026',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
};

export function plainText(html: string | null): string | null {
  if (html === null) return null;
  const text = decodeEntities(html).replace(/&([a-z]+);/gi, (entity, name: string) => {
    return typographic[name.toLowerCase()] ?? entity;
  });
  return text.trim() || null;
}

/** Digits kept past a subtotal's own when dividing it by a quantity that does not divide it. */
const extraDigits = 6;

/**
 * `amount` / `quantity` as a decimal string: exact when it divides, else cut
 * after six more digits than the amount had (a cent in 10^6 units of a line).
 * Null when `amount` is not a plain decimal.
 */
export function unitPrice(amount: string | number, quantity: number): string | null {
  const text = String(amount).trim();
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match || !Number.isInteger(quantity) || quantity <= 0) return null;
  const fraction = match[2] ?? '';
  let scale = fraction.length;
  let units = BigInt(match[1] + fraction);
  const divisor = BigInt(quantity);
  if (units % divisor !== 0n) {
    units *= 10n ** BigInt(extraDigits);
    scale += extraDigits;
  }
  const digits = (units / divisor).toString().padStart(scale + 1, '0');
  if (scale === 0) return digits;
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
