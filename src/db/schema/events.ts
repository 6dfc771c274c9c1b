// What happened to a message after it left: delivery, opens, clicks,
// unsubscribes, bounces, complaints.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const trackingEventKinds = [
  'delivered',
  'open',
  'click',
  'unsubscribe',
  'bounce',
  'complaint',
] as const;

export const trackingEvents = sqliteTable(
  'tracking_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageId: text('message_id').notNull(),
    kind: text('kind', { enum: trackingEventKinds }).notNull(),
    at: integer('at').notNull(),
    linkIndex: integer('link_index'),
    /** Opens fetched by privacy proxies (Apple MPP and alike) are kept but flagged. */
    isProxy: integer('is_proxy', { mode: 'boolean' }).notNull().default(false),
    /** hard/soft for bounces. */
    detail: text('detail'),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (t) => [index('tracking_events_message_idx').on(t.messageId, t.kind)],
);
