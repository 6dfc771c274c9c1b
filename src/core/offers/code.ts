// Coupon codes: a campaign's readable prefix, then a random part drawn from a
// cryptographic source over an alphabet without look-alikes, in groups of four
// (BACK-7KQ9-M2XF-H4TP). Never use Math.random here: a guessable code is a
// free discount.
import { cryptoRandom, type RandomSource, randomSymbols } from '../random.ts';

/** No 0/O, 1/I/L: nothing a shopper could misread or mistype. 31 symbols. */
export const codeAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export const groupLength = 4;
/**
 * Random symbols per code. 12 x log2(31) = 59.4 bits: far beyond the 40 needed
 * to resist guessing, and enough that a million codes under one prefix collide
 * with odds of about 1 in 1.5 million (with 8 symbols, 40 bits, they would
 * collide about half the time). Fixed, because normalizeCode relies on it.
 */
export const randomLength = 12;

export const codeEntropyBits = randomLength * Math.log2(codeAlphabet.length);

export { cryptoRandom, type RandomSource } from '../random.ts';

const prefixPattern = /^[A-Z0-9]{2,10}$/;

export function generateCode(prefix: string, random: RandomSource = cryptoRandom): string {
  if (!prefixPattern.test(prefix)) throw new Error(`coupon prefix must be 2-10 of A-Z 0-9, got '${prefix}'`);
  return formatCode(prefix, randomSymbols(codeAlphabet, randomLength, random));
}

/**
 * What a shopper typed, in the stored form: case, spaces, dashes and other
 * punctuation do not matter. Null when it cannot be a code at all (callers
 * answer that exactly like an unknown code).
 */
export function normalizeCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const prefixLength = compact.length - randomLength;
  if (prefixLength < 2 || prefixLength > 10) return null;
  const random = compact.slice(prefixLength);
  for (const symbol of random) if (!codeAlphabet.includes(symbol)) return null;
  return formatCode(compact.slice(0, prefixLength), random);
}

function formatCode(prefix: string, random: string): string {
  const groups: string[] = [];
  for (let i = 0; i < random.length; i += groupLength) groups.push(random.slice(i, i + groupLength));
  return [prefix, ...groups].join('-');
}
