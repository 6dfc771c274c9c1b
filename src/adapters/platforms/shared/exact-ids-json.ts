// JSON.parse for platform payloads whose ids are JSON numbers past 2^53
// (Shopify: 820982911946154508), which JSON.parse would round to another id.
// Before parsing, every integer literal of more than 15 digits outside a
// string is quoted, so it arrives as its exact decimal text; every integer of
// up to 15 digits is below 2^53 and survives as a number. Fractions and
// exponents are left alone (no id has one). Node 20 has no JSON.parse source
// text access, so the scan is done here, once, over the raw text.

/** Integers with more digits than this may lose digits as a double. */
const safeDigits = 15;
const longInteger = /\d{16}/;

export function parseJsonKeepingLongIntegers(text: string): unknown {
  return JSON.parse(longInteger.test(text) ? quoteLongIntegers(text) : text);
}

/** `text` with each integer literal of more than 15 digits outside strings in double quotes. */
export function quoteLongIntegers(text: string): string {
  const parts: string[] = [];
  let copiedTo = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      // Strings are most of a payload: jump from quote to quote.
      let end = text.indexOf('"', i + 1);
      while (end > 0 && escaped(text, end)) end = text.indexOf('"', end + 1);
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    if (ch === 0x2d /* - */ || (ch >= 0x30 && ch <= 0x39)) {
      const start = i;
      if (ch === 0x2d) i++;
      const digitsFrom = i;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      const digits = i - digitsFrom;
      const next = i < n ? text.charCodeAt(i) : 0;
      const isInteger = next !== 0x2e /* . */ && next !== 0x65 /* e */ && next !== 0x45 /* E */;
      if (isInteger && digits > safeDigits) {
        parts.push(text.slice(copiedTo, start), '"', text.slice(start, i), '"');
        copiedTo = i;
      }
      // A fraction or exponent: skip the rest of the number.
      while (i < n && inNumber(text.charCodeAt(i))) i++;
      continue;
    }
    i++;
  }
  if (copiedTo === 0) return text;
  parts.push(text.slice(copiedTo));
  return parts.join('');
}

/** Whether the quote at `at` is escaped: an odd run of backslashes before it. */
function escaped(text: string, at: number): boolean {
  let backslashes = 0;
  for (let i = at - 1; i >= 0 && text.charCodeAt(i) === 0x5c; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** A character of a number's fraction or exponent: digits, `.`, `e`, `E`, `+`, `-`. */
function inNumber(code: number): boolean {
  return isDigit(code) || code === 0x2e || code === 0x65 || code === 0x45 || code === 0x2b || code === 0x2d;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
