// "A late retry never overwrites newer state": each resource a platform
// writes carries the platform's own updated_at, kept in platform_versions. A
// state is written only when it is newer than the stored one (compareVersions,
// the one rule for every platform). The check is made twice: read first, so a
// stale delivery is answered without work, and again inside the write's batch
// (a claim), so two deliveries racing cannot both win. Shared by every shop
// platform.
import {
  readVersions,
  type StoredVersion,
  type VersionKey,
  versionStatement,
} from '../../../db/repositories/platform-webhooks.ts';
import type { Statement, Store } from '../../../db/store.ts';

export interface Versioned {
  id: string;
  /** The platform's updated_at, epoch ms. */
  version: number;
  /** The body's digest, for a platform whose updated_at has whole seconds (see compareVersions). */
  digest?: string | null | undefined;
}

export type VersionVerdict = 'newer' | 'same' | 'older';

/**
 * How an incoming state compares with the stored one (none stored: newer). A
 * later version is newer, an earlier one older. At an equal version, two
 * states with digests and different ones are two saves in one second
 * (WooCommerce's date_modified_gmt has whole seconds): the later arrival is
 * newer. Otherwise an equal version is the same state again (Shopify, whose
 * updated_at changes with every change, sends no digest). Pure; the SQL
 * claim (repositories/platform-webhooks.ts versionStatement) follows it.
 */
export function compareVersions(
  stored: StoredVersion | undefined,
  incoming: Pick<Versioned, 'version' | 'digest'>,
): VersionVerdict {
  if (!stored || incoming.version > stored.version) return 'newer';
  if (incoming.version < stored.version) return 'older';
  const digest = incoming.digest ?? null;
  return digest !== null && stored.digest !== null && digest !== stored.digest ? 'newer' : 'same';
}

/** The ids of `items` that are newer than their stored state (or that have none). */
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
    items.filter((item) => compareVersions(stored.get(item.id), item) === 'newer').map((item) => item.id),
  );
}

/** Statements that store each version and fail their batch unless it is newer than the stored one. */
export function claimVersions(store: Store, key: VersionKey, items: readonly Versioned[]): Statement[] {
  return items.map((item) => versionStatement(store, { ...key, ...item, mode: 'claim' }));
}

/** Statements that store each version when it is newer than the stored one, never failing. */
export function raiseVersions(store: Store, key: VersionKey, items: readonly Versioned[]): Statement[] {
  return items.map((item) => versionStatement(store, { ...key, ...item, mode: 'raise' }));
}
