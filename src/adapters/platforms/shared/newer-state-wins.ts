// "A late retry never overwrites newer state": each resource a platform
// writes carries the platform's own updated_at, kept in platform_versions. A
// state is written only when its version is newer than the stored one; equal
// is the same state again. The check is made twice: read first, so a stale
// delivery is answered without work, and again inside the write's batch
// (a claim), so two deliveries racing cannot both win. Shared by every shop
// platform.
import {
  readVersions,
  type VersionKey,
  versionStatement,
} from '../../../db/repositories/platform-webhooks.ts';
import type { Statement, Store } from '../../../db/store.ts';

export interface Versioned {
  id: string;
  /** The platform's updated_at, epoch ms. */
  version: number;
}

/** The ids of `items` whose version is newer than the stored one (or that have none). */
export async function newerThanStored(
  store: Store,
  key: VersionKey,
  items: readonly Versioned[],
): Promise<Set<string>> {
  const stored = await readVersions(
    store,
    key,
    items.map((item) => item.id),
  );
  return new Set(
    items
      .filter((item) => (stored.get(item.id) ?? Number.NEGATIVE_INFINITY) < item.version)
      .map((item) => item.id),
  );
}

/** Statements that store each version and fail their batch if a newer one got there first. */
export function claimVersions(store: Store, key: VersionKey, items: readonly Versioned[]): Statement[] {
  return items.map((item) => versionStatement(store, { ...key, ...item, mode: 'claim' }));
}

/** Statements that raise each stored version to at least the given one, never failing. */
export function raiseVersions(store: Store, key: VersionKey, items: readonly Versioned[]): Statement[] {
  return items.map((item) => versionStatement(store, { ...key, ...item, mode: 'raise' }));
}
