// The control group: a stable hash of customer and campaign, so the same
// customer is always in (or out of) a campaign's holdout, sweep after sweep,
// on every runtime, without storing a random draw.

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

/** The customer's place in the campaign's holdout draw: 0 to 9999, in hundredths of a percent. */
export function holdoutBucket(campaignId: string, customerKey: string): number {
  return stableHash(`${campaignId}\u0000${customerKey}`) % 10_000;
}

/** True when the customer is in the campaign's control group of `percent` %. */
export function isHeldOut(campaignId: string, customerKey: string, percent: number): boolean {
  if (percent <= 0) return false;
  return holdoutBucket(campaignId, customerKey) < percent * 100;
}
