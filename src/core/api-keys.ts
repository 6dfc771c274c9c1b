// API keys: generated from a cryptographic source, shown once, stored only as
// a SHA-256 hash. Pure JS and Web Crypto only, so it runs on Node and Workers.
import { cryptoRandom, type RandomSource, randomSymbols } from './random.ts';
import { sha256Hex } from './sha256.ts';

export const apiScopes = ['ingest', 'coupons', 'sweeps', 'reports', 'privacy', 'admin'] as const;
export type ApiScope = (typeof apiScopes)[number];

const keyAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A new key; `random` is the random port (Web Crypto unless a test seeds one). */
export function generateApiKey(random: RandomSource = cryptoRandom): { id: string; secret: string } {
  const id = randomSymbols(keyAlphabet, 8, random);
  // 32 characters from a 36-letter alphabet: about 165 bits.
  return { id, secret: `rk_${id}_${randomSymbols(keyAlphabet, 32, random)}` };
}

/**
 * Every API call hashes its key. The synchronous SHA-256 in core, not Web
 * Crypto: on Node each Web Crypto digest queues on the libuv thread pool,
 * which under load cost more than the key lookup itself.
 */
export async function hashApiKey(secret: string): Promise<string> {
  return sha256Hex(secret);
}

export function scopeAllows(granted: readonly string[], needed: ApiScope): boolean {
  return granted.includes(needed) || granted.includes('admin');
}
