// Saved positions of `rekindle shopify sync` per resource (see
// schema/shopify-sync.ts). Reads and writes; decides nothing.
import { eq, sql } from 'drizzle-orm';
import { shopifySyncCursors } from '../schema/index.ts';
import type { Store } from '../store.ts';

export type ShopifySyncCursor = typeof shopifySyncCursors.$inferSelect;

export async function readShopifySyncCursor(
  store: Store,
  resource: string,
): Promise<ShopifySyncCursor | undefined> {
  const [row] = await store.db
    .select()
    .from(shopifySyncCursors)
    .where(eq(shopifySyncCursors.resource, resource));
  return row;
}

/** Records that the page before `after` is written; adds to the counts, keeps the first start time. */
export async function saveShopifySyncCursor(
  store: Store,
  cursor: { resource: string; after: string; records: number; now: number },
): Promise<void> {
  await store.db
    .insert(shopifySyncCursors)
    .values({
      resource: cursor.resource,
      after: cursor.after,
      pages: 1,
      records: cursor.records,
      startedAt: cursor.now,
      updatedAt: cursor.now,
    })
    .onConflictDoUpdate({
      target: shopifySyncCursors.resource,
      set: {
        after: cursor.after,
        pages: sql`${shopifySyncCursors.pages} + 1`,
        records: sql`${shopifySyncCursors.records} + ${cursor.records}`,
        updatedAt: cursor.now,
      },
    });
}

export async function clearShopifySyncCursor(store: Store, resource: string): Promise<void> {
  await store.db.delete(shopifySyncCursors).where(eq(shopifySyncCursors.resource, resource));
}
