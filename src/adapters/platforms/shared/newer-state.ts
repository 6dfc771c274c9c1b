// "Newer state wins" for shop platform webhooks: a delivery is applied only
// when it carries a newer version of its resource than the one last applied
// (the platform's modified time), so a late or repeated delivery never
// overwrites newer state and the same delivery twice is applied once. The
// version check and the writes go in one batch, led by a claim that aborts the
// batch when another delivery won the race (db/repositories/resource-versions.ts
// runs compareVersions' rule in SQL).
import {
  claimResourceVersion,
  type ResourceKey,
  type ResourceVersion,
  readResourceVersion,
} from '../../../db/repositories/resource-versions.ts';
import type { Statement, Store } from '../../../db/store.ts';

export type VersionVerdict = 'newer' | 'same' | 'older';

/**
 * How an incoming version compares with the stored one. Platforms' modified
 * times have whole seconds (WooCommerce's date_modified_gmt), so two saves in
 * one second share a version: a different body at the same version is newer
 * (the later arrival wins); the same body again is the same delivery.
 */
export function compareVersions(stored: ResourceVersion | null, incoming: ResourceVersion): VersionVerdict {
  if (!stored || incoming.versionAt > stored.versionAt) return 'newer';
  if (incoming.versionAt < stored.versionAt) return 'older';
  return incoming.digest === stored.digest ? 'same' : 'newer';
}

export interface VersionedDelivery {
  key: ResourceKey;
  /**
   * The resource's modified time, epoch ms; null for a change that carries
   * none (a deletion names only the id). Such a change is versioned just past
   * what is stored, at the receipt time when that is later, so older states
   * still arriving are not applied after it; the same deletion again, with
   * nothing applied since, is a duplicate.
   */
  versionAt: number | null;
  /** SHA-256 (hex) of the body: see compareVersions. */
  digest: string;
  deliveryId: string | null;
}

export type DeliveryOutcome = 'applied' | 'duplicate' | 'stale';

/**
 * Applies the statements `build` makes when `delivery` is newer than what is
 * stored; `build` runs only then. The claim and the statements are one
 * atomic batch.
 */
export async function applyIfNewer(
  store: Store,
  delivery: VersionedDelivery,
  now: number,
  build: () => Promise<Statement[]>,
): Promise<DeliveryOutcome> {
  const stored = await readResourceVersion(store, delivery.key);
  // A deletion repeated with nothing applied in between: its body (the id) is what is stored.
  if (delivery.versionAt === null && stored?.digest === delivery.digest) return 'duplicate';
  const incoming = {
    versionAt: delivery.versionAt ?? Math.max(now, (stored?.versionAt ?? 0) + 1),
    digest: delivery.digest,
  };
  const verdict = compareVersions(stored, incoming);
  if (verdict !== 'newer') return outcomeOf(verdict);
  const statements = await build();
  const claim = claimResourceVersion(store, delivery.key, {
    ...incoming,
    deliveryId: delivery.deliveryId,
    appliedAt: now,
  });
  try {
    await store.batch([claim, ...statements]);
    return 'applied';
  } catch (error) {
    // The claim aborts the batch when a racing delivery got there first:
    // that one holds a version at least as new, and nothing of this one was written.
    const after = compareVersions(await readResourceVersion(store, delivery.key), incoming);
    if (after !== 'newer') return outcomeOf(after);
    throw error;
  }
}

function outcomeOf(verdict: 'same' | 'older'): DeliveryOutcome {
  return verdict === 'same' ? 'duplicate' : 'stale';
}
