// The events outbox: what Rekindle owes the shop's endpoints (settings
// `webhooks:`). One row per event and endpoint, written in the same batch as
// the fact it reports (db/repositories/outgoing-events.ts), with that
// endpoint's delivery state: attempts, when the next is due, the lease of the
// deliverer trying it, delivered or failed, and the last error. Pruned
// after core/webhooks/events.ts eventRetentionMs. The subscriptions are the
// endpoints and event types the settings named when a deliverer last looked,
// each since it was first seen: the writers join them, and a fact from before
// an endpoint was added makes no event for it.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { outgoingEventTypes } from '../../core/webhooks/events.ts';

export const outgoingEvents = sqliteTable(
  'outgoing_events',
  {
    /** Stable: `<type>:<id of the fact's row>` (core/webhooks/events.ts). */
    eventId: text('event_id').notNull(),
    /** The endpoint's normalized URL. */
    endpoint: text('endpoint').notNull(),
    type: text('type', { enum: outgoingEventTypes }).notNull(),
    /** The event's data, a JSON object's text, sent as is on every try. */
    data: text('data').notNull(),
    /** Whose fact it is, so erasing a customer deletes their events. */
    customerId: text('customer_id'),
    messageId: text('message_id'),
    /** When the fact happened (sent, redeemed, unsubscribed, complained). */
    occurredAt: integer('occurred_at').notNull(),
    createdAt: integer('created_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    /** Set while a deliverer holds the row; every outcome names it. */
    leaseUntil: integer('lease_until'),
    lastAttemptAt: integer('last_attempt_at'),
    deliveredAt: integer('delivered_at'),
    failedAt: integer('failed_at'),
    lastError: text('last_error'),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.endpoint] }),
    // The claim looks for due rows still owed; queries repeat this condition word for word.
    index('outgoing_events_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.deliveredAt} IS NULL AND ${t.failedAt} IS NULL`),
    // The prune and `rekindle webhooks list` go by age.
    index('outgoing_events_created_idx').on(t.createdAt),
    index('outgoing_events_customer_idx').on(t.customerId),
  ],
);

export const outgoingEventSubscriptions = sqliteTable(
  'outgoing_event_subscriptions',
  {
    endpoint: text('endpoint').notNull(),
    eventType: text('event_type', { enum: outgoingEventTypes }).notNull(),
    /** When this endpoint was first seen wanting this type: older facts make no event for it. */
    since: integer('since').notNull(),
  },
  (t) => [primaryKey({ columns: [t.endpoint, t.eventType] })],
);
