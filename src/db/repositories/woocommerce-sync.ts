// Reads and writes of `rekindle woocommerce sync`'s positions
// (schema/woocommerce-sync.ts). Decides nothing: the sync says what to save.
import { woocommerceSyncPositions } from '../schema/index.ts';
import type { Statement, Store } from '../store.ts';

export interface SyncPosition {
  resource: string;
  nextPage: number | null;
  runSince: number | null;
  runStartedAt: number | null;
  completedFrom: number | null;
}

export async function readSyncPositions(store: Store): Promise<Map<string, SyncPosition>> {
  const rows = await store.db
    .select({
      resource: woocommerceSyncPositions.resource,
      nextPage: woocommerceSyncPositions.nextPage,
      runSince: woocommerceSyncPositions.runSince,
      runStartedAt: woocommerceSyncPositions.runStartedAt,
      completedFrom: woocommerceSyncPositions.completedFrom,
    })
    .from(woocommerceSyncPositions);
  return new Map(rows.map((row) => [row.resource, row]));
}

export function saveSyncPositionStatement(store: Store, position: SyncPosition, now: number): Statement {
  const { resource, ...rest } = position;
  return store.db
    .insert(woocommerceSyncPositions)
    .values({ resource, ...rest, updatedAt: now })
    .onConflictDoUpdate({ target: woocommerceSyncPositions.resource, set: { ...rest, updatedAt: now } });
}
