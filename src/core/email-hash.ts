// The one way an email address becomes a suppression key: SHA-256 (hex) of
// the trimmed, lowercased address. The `suppressions` table keeps only this
// hash, so an erased customer stays unmailable without us keeping the address.
// Pure JS (sha256.ts), so Node and Workers hash alike and a sweep can hash
// every recipient without awaiting Web Crypto per address. Never log the input.
import { sha256Hex } from './sha256.ts';

/** Trimmed and lowercased: the form two spellings of one address share. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Lowercase hex SHA-256 of the normalized address. */
export function hashEmailSync(email: string): string {
  return sha256Hex(normalizeEmail(email));
}

/** The same as hashEmailSync, for callers that prefer a promise (the digest Web Crypto would give). */
export async function hashEmail(email: string): Promise<string> {
  return hashEmailSync(email);
}
