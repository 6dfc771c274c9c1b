// The control group: a stable hash of customer and campaign, so the same
// customer is always in (or out of) a campaign's holdout, sweep after sweep,
// on every runtime, without storing a random draw. The bucket is built so SQL
// can compute it too (src/db/sweeps/holdout-sql.ts): the customer's part is
// stableHash of their key (stored per customer, customers.key_hash), the
// campaign's part stableHash of its id, and the two are combined with 32-bit
// integer steps that SQLite's 64-bit arithmetic reproduces exactly.

/** FNV-1a, 32 bits: fast, stable across runtimes, good enough to spread ids evenly. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // A final avalanche so ids that differ only in their last digits spread over
  // all buckets, not only over the low ones.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}

/** Odd and below 2^27, so x * it stays under 2^59 in SQLite's integers. */
export const holdoutMultiplier = 0x45d9f3b;

/** Buckets of hundredths of a percent. */
export const holdoutBuckets = 10_000;

/**
 * The customer's place in the campaign's holdout draw, 0 to 9999, from the
 * two hashes: XOR, then bits 16 to 47 of the product with an odd multiplier
 * (every input bit reaches them, so two campaigns' draws over the same
 * customers are independent), mod 10000. The product reaches 2^59: exact in
 * SQLite's integers, and here computed in two halves that stay under 2^53.
 */
export function holdoutBucketOf(keyHash: number, campaignHash: number): number {
  const x = (keyHash ^ campaignHash) >>> 0;
  const bits = (x >>> 16) * holdoutMultiplier + Math.floor(((x & 0xffff) * holdoutMultiplier) / 0x10000);
  return (bits % 0x1_0000_0000) % holdoutBuckets;
}

/** The customer's place in the campaign's holdout draw: 0 to 9999, in hundredths of a percent. */
export function holdoutBucket(campaignId: string, customerKey: string): number {
  return holdoutBucketOf(stableHash(customerKey), stableHash(campaignId));
}

/** True when the customer is in the campaign's control group of `percent` %. */
export function isHeldOut(campaignId: string, customerKey: string, percent: number): boolean {
  if (percent <= 0) return false;
  return holdoutBucket(campaignId, customerKey) < percent * 100;
}
