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
      i++;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 0x5c /* \ */) i += 2;
        else if (c === 0x22) break;
        else i++;
      }
      i++;
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
      while (i < n && /[0-9.eE+-]/.test(text[i] as string)) i++;
      continue;
    }
    i++;
  }
  if (copiedTo === 0) return text;
  parts.push(text.slice(copiedTo));
  return parts.join('');
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
