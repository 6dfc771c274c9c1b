// What shoppers looked at (core/tracking/browse-events.ts): one row per
// customer, kind, reference and millisecond, so a page view posted twice is
// stored once. Compact by design (there are many more views than orders): a
// short kind, the reference (product id, category, search words) and the
// time, nothing about the request. Kept for the settings' browse retention
// and erased with the customer.
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { browseKinds } from '../../core/tracking/browse-events.ts';

const kinds = Object.values(browseKinds) as [string, ...string[]];

export const browseEvents = sqliteTable(
  'browse_events',
  {
    customerId: text('customer_id').notNull(),
    kind: text('kind', { enum: kinds }).notNull(),
    ref: text('ref').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [
    // A customer's history, newest last: the triggers and templates read it this way.
    primaryKey({ columns: [t.customerId, t.at, t.kind, t.ref] }),
    // The retention prune deletes the oldest first; the browse-abandonment
    // sweep reads the recent product views' customers from it alone.
    index('browse_events_at_idx').on(t.at, t.kind, t.customerId),
    // Who looked at a product, and when: the price-drop sweep reads a
    // dropped product's viewers from it alone.
    index('browse_events_product_idx').on(t.kind, t.ref, t.at, t.customerId),
  ],
);
