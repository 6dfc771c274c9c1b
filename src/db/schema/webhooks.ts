// What a shop platform's webhooks last changed, per resource: the guard that
// lets newer state win when deliveries arrive late or out of order, and that
// answers a repeated delivery without applying it again (WooCommerce has no
// stable event id and never retries; its resource's date_modified_gmt is the
// version). One row per platform resource; it holds ids and a digest, no
// personal data.
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const webhookResourceVersions = sqliteTable(
  'webhook_resource_versions',
  {
    /** woocommerce, ... */
    platform: text('platform').notNull(),
    /** The platform's resource: order, customer, product. */
    resource: text('resource').notNull(),
    /** The platform's id of it, as text. */
    resourceId: text('resource_id').notNull(),
    /**
     * The version last applied, epoch ms (the platform's modified time). NOT
     * NULL is load-bearing: the claim statement sets it to NULL when its
     * version is not newer, which aborts the batch it leads
     * (src/db/repositories/resource-versions.ts).
     */
    versionAt: integer('version_at').notNull(),
    /** SHA-256 (hex) of the applied delivery's body: the same body again is a duplicate. */
    digest: text('digest').notNull(),
    /** The platform's delivery id of the applied delivery, for tracing; not unique. */
    deliveryId: text('delivery_id'),
    appliedAt: integer('applied_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.resource, t.resourceId] })],
);
