// What every shop platform's webhook route keeps (src/adapters/platforms/):
// the deliveries it has applied (so a redelivery is answered and not applied
// twice; pruned after a week), the platform's own version of each resource it
// has written (so a late retry never overwrites newer state; the rule is
// adapters/platforms/shared/newer-state-wins.ts's), and a count of
// topics it was sent but does not handle. Shared by every platform; a
// platform's own lookups live beside it (shopify.ts).
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    /** shopify, woocommerce. */
    platform: text('platform').notNull(),
    /** The platform's delivery id (Shopify: X-Shopify-Webhook-Id). */
    deliveryId: text('delivery_id').notNull(),
    topic: text('topic').notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.platform, t.deliveryId] }),
    // The prune deletes by age.
    index('webhook_deliveries_received_idx').on(t.receivedAt),
  ],
);

export const platformVersions = sqliteTable(
  'platform_versions',
  {
    platform: text('platform').notNull(),
    /** What kind of resource: order, checkout, customer, variant, inventory_level... */
    resource: text('resource').notNull(),
    resourceId: text('resource_id').notNull(),
    /**
     * The platform's updated_at of the newest state written, epoch ms. NOT
     * NULL is load-bearing: a claim that is not newer sets it to NULL, which
     * fails the batch it is in (repositories/platform-webhooks.ts).
     */
    version: integer('version').notNull(),
    /**
     * SHA-256 (hex) of that state's body, for a platform whose updated_at has
     * whole seconds (WooCommerce's date_modified_gmt): at an equal version a
     * different body is a later save in the same second. Null where the
     * version alone decides (Shopify).
     */
    digest: text('digest'),
  },
  (t) => [primaryKey({ columns: [t.platform, t.resource, t.resourceId] })],
);

export const webhookUnknownTopics = sqliteTable(
  'webhook_unknown_topics',
  {
    platform: text('platform').notNull(),
    topic: text('topic').notNull(),
    count: integer('count').notNull(),
    firstSeenAt: integer('first_seen_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.topic] })],
);
