// The `suppressions` table in a sweep: a hit whose address hashes to a
// suppressed entry is marked suppressed before the rules run, whatever
// customer row (or none: a guest cart, an email-only sign-up) it came with.
// A sweep asks once whether the table holds anything, so a shop with no
// suppressions pays no hashing; the first address suppressed while that sweep
// runs is caught by the next sweep.
import { hashEmailSync } from '../../core/email-hash.ts';
import type { Hit } from '../../core/selection/types.ts';
import type { Store } from '../../db/store.ts';
import { hasSuppressions, suppressedHashes } from '../../db/sweeps/suppressed-hashes.ts';

export interface AddressSuppression {
  /** The hits, those whose address is in the table marked suppressed. */
  apply(hits: readonly Hit[]): Promise<readonly Hit[]>;
}

export function addressSuppression(store: Store): AddressSuppression {
  let any: Promise<boolean> | undefined;
  return {
    async apply(hits) {
      any ??= hasSuppressions(store);
      if (!(await any)) return hits;
      const hashes = hits.map((hit) => (hit.suppressed ? '' : hashEmailSync(hit.email)));
      const suppressed = await suppressedHashes(store, [...new Set(hashes.filter(Boolean))]);
      if (suppressed.size === 0) return hits;
      return hits.map((hit, index) => (suppressed.has(hashes[index]!) ? { ...hit, suppressed: true } : hit));
    },
  };
}
