// Shopify's own lookups for its webhooks (src/adapters/platforms/shopify/):
// which variants an inventory item stocks (inventory_levels/update names the
// item, never the variant; one item may stock several variants), the item's
// available quantity per location (a variant's stock is their sum), and the
// tokens an order may name its checkout by (checkout_token, cart_token).
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const shopifyInventoryItems = sqliteTable(
  'shopify_inventory_items',
  {
    inventoryItemId: text('inventory_item_id').notNull(),
    /** The variant id, which is the Rekindle product id. */
    variantId: text('variant_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.inventoryItemId, t.variantId] }),
    index('shopify_inventory_items_variant_idx').on(t.variantId),
  ],
);

export const shopifyInventoryLevels = sqliteTable(
  'shopify_inventory_levels',
  {
    inventoryItemId: text('inventory_item_id').notNull(),
    locationId: text('location_id').notNull(),
    available: integer('available').notNull(),
  },
  (t) => [primaryKey({ columns: [t.inventoryItemId, t.locationId] })],
);

export const shopifyCheckoutTokens = sqliteTable(
  'shopify_checkout_tokens',
  {
    token: text('token').primaryKey(),
    /** The checkout id, which is the Rekindle cart id. */
    cartId: text('cart_id').notNull(),
  },
  (t) => [index('shopify_checkout_tokens_cart_idx').on(t.cartId)],
);
