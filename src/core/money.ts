// Money crosses the API as a decimal and is stored as integer minor units. The
// conversion works on the decimal's digits, never through floating point, so
// 19.99 is 1999 and not 1998. Amounts are exact, with one exception: a line's
// unit price may be finer than the currency's minor unit (0.001 GBP in real
// exports); it is rounded half-even to the minor unit for storage, and the
// order's total is computed from the exact line values, rounded once.
const threeDecimalCurrencies = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);
const zeroDecimalCurrencies = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'UYI',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);

export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (zeroDecimalCurrencies.has(code)) return 0;
  if (threeDecimalCurrencies.has(code)) return 3;
  return 2;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const decimalPattern = /^([+-])?(\d+)(?:\.(\d*))?$/;

/** A decimal's text split into its parts; trailing zeros of the fraction dropped. */
interface DecimalParts {
  text: string;
  negative: boolean;
  whole: string;
  fraction: string;
}

function decimalParts(amount: string | number): DecimalParts | undefined {
  const text = typeof amount === 'number' ? numberToPlainString(amount) : amount.trim();
  const match = text === undefined ? null : decimalPattern.exec(text);
  if (!match) return undefined;
  const [, sign, whole = '0', fraction = ''] = match;
  return { text: text!, negative: sign === '-', whole, fraction: fraction.replace(/0+$/, '') };
}

/** Whether `amount` reads as a decimal at all (whatever its currency, precision or size). */
export function isDecimal(amount: unknown): boolean {
  return (typeof amount === 'string' || typeof amount === 'number') && decimalParts(amount) !== undefined;
}

/** "0.001 has 3 decimals, GBP has 2": why an amount is finer than its currency allows. */
function precisionProblem(text: string, decimals: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const plural = (n: number) => `${n} decimal${n === 1 ? '' : 's'}`;
  return `${text} has ${plural(decimals)}, ${currency.toUpperCase()} has ${exponent}`;
}

/** How many decimals `amount` has past its currency's minor unit (0 when it fits or is not a decimal). */
export function excessDecimals(amount: string | number, currency: string): number {
  const exponent = currencyExponent(currency);
  if (typeof amount === 'string') {
    // Called for every imported line: most prices are decided without a regex.
    const dot = amount.indexOf('.');
    if (dot < 0 || amount.length - dot - 1 <= exponent) return 0;
  }
  const parts = decimalParts(amount);
  return parts ? Math.max(0, parts.fraction.length - exponent) : 0;
}

function minorOf(parts: DecimalParts, exponent: number): ParseResult<number> {
  const minor = Number(parts.whole + parts.fraction.padEnd(exponent, '0').slice(0, exponent));
  if (!Number.isSafeInteger(minor)) return { ok: false, reason: `amount '${parts.text}' is too large` };
  return { ok: true, value: parts.negative ? -minor : minor };
}

const notADecimal = (amount: unknown): ParseResult<never> => ({
  ok: false,
  reason: `expected a decimal amount like 12.34, got '${String(amount)}'`,
});

/** "12.3" in GBP -> 1230. Rejects more decimals than the currency has. */
export function toMinorUnits(amount: string | number, currency: string): ParseResult<number> {
  const parts = decimalParts(amount);
  if (!parts) return notADecimal(amount);
  const exponent = currencyExponent(currency);
  if (parts.fraction.length > exponent) {
    return { ok: false, reason: precisionProblem(parts.text, parts.fraction.length, currency) };
  }
  return minorOf(parts, exponent);
}

/**
 * An amount kept at the precision it was given: value = units / 10^scale in
 * major units. Only made for amounts finer than the minor unit (scale larger
 * than the currency's exponent), so the common case stays in plain numbers.
 */
export interface FineAmount {
  units: bigint;
  scale: number;
}

export interface RoundedAmount {
  /** Minor units, rounded half-even when the amount was finer. */
  minor: number;
  /** The exact amount, when it was finer than the minor unit. */
  fine?: FineAmount;
}

/** "0.0015" in GBP -> 0 (half-even), keeping 15 / 10^4 for exact sums; "2.55" -> 255. */
export function toRoundedMinorUnits(amount: string | number, currency: string): ParseResult<RoundedAmount> {
  const parts = decimalParts(amount);
  if (!parts) return notADecimal(amount);
  const exponent = currencyExponent(currency);
  if (parts.fraction.length <= exponent) {
    const minor = minorOf(parts, exponent);
    return minor.ok ? { ok: true, value: { minor: minor.value } } : minor;
  }
  const digits = BigInt(parts.whole + parts.fraction);
  const fine = { units: parts.negative ? -digits : digits, scale: parts.fraction.length };
  const minor = Number(roundHalfEven(fine.units, fine.scale - exponent));
  if (!Number.isSafeInteger(minor)) return { ok: false, reason: `amount '${parts.text}' is too large` };
  return { ok: true, value: { minor, fine } };
}

export interface ExactLine {
  quantity: number;
  price: RoundedAmount;
}

/**
 * The lines' value (sum of quantity x unit price) in minor units: exact when
 * every price fits the minor unit, otherwise summed from the exact prices and
 * rounded half-even once, so twelve lines at 0.001 GBP add 0.01, not 0.
 */
export function exactLinesValue(lines: readonly ExactLine[], currency: string): number {
  let scale = -1;
  for (const line of lines)
    if (line.price.fine && line.price.fine.scale > scale) scale = line.price.fine.scale;
  if (scale < 0) return lines.reduce((sum, line) => sum + line.quantity * line.price.minor, 0);
  const exponent = currencyExponent(currency);
  let total = 0n;
  for (const { quantity, price } of lines) {
    const units = price.fine
      ? price.fine.units * 10n ** BigInt(scale - price.fine.scale)
      : BigInt(price.minor) * 10n ** BigInt(scale - exponent);
    total += BigInt(quantity) * units;
  }
  return Number(roundHalfEven(total, scale - exponent));
}

/** `value` / 10^places, rounded to the nearest integer, ties to the even one. */
function roundHalfEven(value: bigint, places: number): bigint {
  const divisor = 10n ** BigInt(places);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  let quotient = magnitude / divisor;
  const twice = 2n * (magnitude % divisor);
  if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** 1230 in GBP -> "12.30", for API responses and reports; a bigint sum is shown exactly. */
export function fromMinorUnits(minor: number | bigint, currency: string): string {
  const exponent = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(minor < 0 ? -minor : minor).padStart(exponent + 1, '0');
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

function numberToPlainString(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  // toString gives the shortest text that round-trips, e.g. 19.99 -> "19.99";
  // it switches to exponent notation below 10^-6 (written out here, so a tiny
  // price reads as one) and from 10^21 (far past any amount: refused).
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return Math.abs(value) < 1 ? value.toFixed(20) : undefined;
}
