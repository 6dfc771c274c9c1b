// API keys: generated from a cryptographic source, shown once, stored only as
// a SHA-256 hash. Pure JS and Web Crypto only, so it runs on Node and Workers.
import { sha256Hex } from './sha256.ts';

export const apiScopes = ['ingest', 'coupons', 'sweeps', 'reports', 'privacy', 'admin'] as const;
export type ApiScope = (typeof apiScopes)[number];

const keyAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function generateApiKey(): { id: string; secret: string } {
  const id = randomString(8);
  // 32 characters from a 36-letter alphabet: about 165 bits.
  return { id, secret: `rk_${id}_${randomString(32)}` };
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

function randomString(length: number): string {
  const out: string[] = [];
  // Rejection sampling keeps every letter equally likely (256 is not a multiple of 36).
  const limit = 256 - (256 % keyAlphabet.length);
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && out.length < length) out.push(keyAlphabet[byte % keyAlphabet.length]!);
    }
  }
  return out.join('');
}
