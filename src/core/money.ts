// Money crosses the API as a decimal and is stored as integer minor units. The
// conversion works on the decimal's digits, never through floating point, so
// 19.99 is 1999 and not 1998.
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

/** "12.3" in GBP -> 1230. Rejects more decimals than the currency has. */
export function toMinorUnits(amount: string | number, currency: string): ParseResult<number> {
  const text = typeof amount === 'number' ? numberToPlainString(amount) : amount.trim();
  const match = text === undefined ? null : decimalPattern.exec(text);
  if (!match) return { ok: false, reason: `expected a decimal amount like 12.34, got '${String(amount)}'` };
  const [, sign, whole = '0', fraction = ''] = match;
  const exponent = currencyExponent(currency);
  const trimmedFraction = fraction.replace(/0+$/, '');
  if (trimmedFraction.length > exponent) {
    return { ok: false, reason: `${currency.toUpperCase()} has ${exponent} decimal places, got '${text}'` };
  }
  const minor = Number(whole + fraction.padEnd(exponent, '0').slice(0, exponent));
  if (!Number.isSafeInteger(minor)) return { ok: false, reason: `amount '${text}' is too large` };
  return { ok: true, value: sign === '-' ? -minor : minor };
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
  // exponent notation only appears for values far outside any price.
  const text = String(value);
  return /e/i.test(text) ? undefined : text;
}
