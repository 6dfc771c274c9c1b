// Reads and writes for Shopify's lookups (schema/shopify.ts). Decides nothing:
// what the lookups mean is src/adapters/platforms/shopify/'s business.
import { and, eq, inArray, ne, or, sql } from 'drizzle-orm';
import {
  carts,
  shopifyCheckoutTokens,
  shopifyInventoryItems,
  shopifyInventoryLevels,
} from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Statement, Store } from '../store.ts';
import { preparedPerStore } from './prepared.ts';
import { chunkForParams } from './upsert-helpers.ts';

export interface InventoryLink {
  inventoryItemId: string;
  variantId: string;
}

/** Replaces what inventory item each variant in `links` is stocked by. */
export function linkInventoryItemsStatements(store: Store, links: readonly InventoryLink[]): Statement[] {
  const statements: Statement[] = [];
  for (const chunk of chunkForParams(links, 2, store.limits)) {
    statements.push(
      store.db.delete(shopifyInventoryItems).where(
        inArray(
          shopifyInventoryItems.variantId,
          chunk.map((link) => link.variantId),
        ),
      ),
      store.db.insert(shopifyInventoryItems).values(chunk).onConflictDoNothing(),
    );
  }
  return statements;
}

export async function variantsOfInventoryItem(store: Store, inventoryItemId: string): Promise<string[]> {
  const rows = await store.db
    .select({ variantId: shopifyInventoryItems.variantId })
    .from(shopifyInventoryItems)
    .where(eq(shopifyInventoryItems.inventoryItemId, inventoryItemId))
    .orderBy(shopifyInventoryItems.variantId);
  return rows.map((row) => row.variantId);
}

/** The item's available quantity at every location but `exceptLocation`. */
export async function availableElsewhere(
  store: Store,
  inventoryItemId: string,
  exceptLocation: string,
): Promise<number> {
  const [row] = await store.db
    .select({ total: sql<number | null>`sum(${shopifyInventoryLevels.available})` })
    .from(shopifyInventoryLevels)
    .where(
      and(
        eq(shopifyInventoryLevels.inventoryItemId, inventoryItemId),
        ne(shopifyInventoryLevels.locationId, exceptLocation),
      ),
    );
  return Number(row?.total ?? 0);
}

export function setInventoryLevelStatement(
  store: Store,
  level: { inventoryItemId: string; locationId: string; available: number },
): Statement {
  return store.db
    .insert(shopifyInventoryLevels)
    .values(level)
    .onConflictDoUpdate({
      target: [shopifyInventoryLevels.inventoryItemId, shopifyInventoryLevels.locationId],
      set: { available: level.available },
    });
}

/** Remembers the tokens an order may name this checkout's cart by. */
export function checkoutTokensStatements(
  store: Store,
  cartId: string,
  tokens: readonly string[],
): Statement[] {
  if (tokens.length === 0) return [];
  return [
    store.db
      .insert(shopifyCheckoutTokens)
      .values(tokens.map((token) => ({ token, cartId })))
      .onConflictDoUpdate({ target: shopifyCheckoutTokens.token, set: { cartId } }),
  ];
}

/** Open carts that are the checkout `checkoutId` or that one of `tokens` names. */
const openCartsByCheckout = preparedPerStore((store) =>
  store.db
    .select({ id: carts.id })
    .from(carts)
    .where(
      and(
        eq(carts.status, 'open'),
        or(
          inArray(
            carts.id,
            store.db
              .select({ id: shopifyCheckoutTokens.cartId })
              .from(shopifyCheckoutTokens)
              .where(
                inArray(
                  shopifyCheckoutTokens.token,
                  sql`(SELECT value FROM json_each(${sql.placeholder('tokens')}))`,
                ),
              ),
          ),
          eq(carts.id, sql.placeholder('checkoutId')),
        ),
      ),
    )
    .prepare(),
);

export async function openCartsNamed(
  store: Store,
  named: { checkoutId: string | null; tokens: readonly string[] },
): Promise<string[]> {
  if (named.tokens.length === 0 && named.checkoutId === null) return [];
  // A null checkout id matches no cart (= NULL is never true); no tokens is an empty list.
  const rows = await openCartsByCheckout(store).all({
    checkoutId: named.checkoutId,
    tokens: sqlJson(named.tokens),
  });
  return rows.map((row) => row.id);
}
