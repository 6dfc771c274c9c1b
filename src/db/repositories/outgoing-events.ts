// The events' write side: one statement per kind of fact, for the writer of
// that fact to append to the batch that records it (record-outcome for a
// send, the redemption writes, the unsubscribe, the provider events). Each
// is one INSERT ... SELECT from the fact's own rows, joined with the
// subscriptions (outgoing_event_subscriptions), one row per subscribed
// endpoint; ON CONFLICT DO NOTHING on (event, endpoint), with the event id
// made from the fact's row, so a fact written again (a re-sent order, a
// repeated unsubscribe) or a statement run twice adds nothing. A fact older
// than its subscription or than the retention makes no event. Without
// subscriptions each is a no-op. Writes only; which facts to report is the
// caller's. Data holds ids, amounts and times, and an address only where the
// shop needs it to honour an opt-out (see the README, "Events to your shop").
import { type Placeholder, type SQL, sql } from 'drizzle-orm';
import { eventIdPrefix, eventRetentionMs, type OutgoingEventType } from '../../core/webhooks/events.ts';
import { outgoingEvents } from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Statement, Store } from '../store.ts';
import { boundWrites } from './prepared.ts';

/** An epoch-ms integer as ISO 8601 UTC with milliseconds, as Date.toISOString writes it. */
function iso(ms: SQL): SQL {
  return sql`(strftime('%Y-%m-%dT%H:%M:%S', ${ms} / 1000, 'unixepoch') || '.' || substr('00' || (${ms} % 1000), -3) || 'Z')`;
}

/**
 * `facts` selects source_id (the fact's row id), occurred_at, customer_id,
 * message_id and data (a JSON object) for each fact to report.
 */
function eventsFrom(store: Store, type: OutgoingEventType, facts: SQL, now: number | Placeholder) {
  // A query builder, not db.run(sql): drizzle's D1 batch binds parameters only
  // for builder queries. Columns in table order.
  return store.db
    .insert(outgoingEvents)
    .select(sql`
      SELECT ${eventIdPrefix(type)} || f.source_id, s.endpoint, ${type}, f.data, f.customer_id,
        f.message_id, f.occurred_at, ${now}, 0, ${now}, NULL, NULL, NULL, NULL, NULL
      FROM (${facts}) AS f
      JOIN outgoing_event_subscriptions AS s ON s.event_type = ${type} AND f.occurred_at >= s.since
      WHERE f.occurred_at >= ${now} - ${eventRetentionMs}`)
    .onConflictDoNothing();
}

/** message.sent for a message the same batch marks sent. */
export function messageSentEvent(store: Store, messageId: string, now: number): Statement {
  return sentEvents(store, { messageId, now });
}

const sentEvents = boundWrites((store) =>
  eventsFrom(
    store,
    'message.sent',
    sql`
      SELECT m.id AS source_id, m.sent_at AS occurred_at, m.customer_id, m.id AS message_id,
        json_object('message_id', m.id, 'customer_id', m.customer_id, 'campaign_id', m.campaign_id,
          'step', m.step + 1, 'trigger', m.trigger_kind, 'coupon_code', m.coupon_code,
          'sent_at', ${iso(sql`m.sent_at`)}) AS data
      FROM messages m WHERE m.id = ${sql.placeholder('messageId')} AND m.status = 'sent'`,
    sql.placeholder('now'),
  ),
);

/**
 * coupon.redeemed for the redemptions of these orders, after the statements
 * that write them. The customer is the order's, or, for a redemption whose
 * order Rekindle has not stored, the one the code was sent to.
 */
export function couponRedeemedEvents(store: Store, orderIds: readonly string[], now: number): Statement {
  return redeemedEvents(store, { orderIds: sqlJson(orderIds), now });
}

// Built once (prepared.ts boundWrites): every ingested order with a code carries it.
const redeemedEvents = boundWrites((store) =>
  eventsFrom(
    store,
    'coupon.redeemed',
    sql`
      SELECT r.id AS source_id, r.at AS occurred_at, coalesce(o.customer_id, m.customer_id) AS customer_id,
        c.message_id,
        json_object('coupon_code', r.coupon_code, 'order_id', r.order_id,
          'customer_id', coalesce(o.customer_id, m.customer_id), 'campaign_id', c.campaign_id,
          'message_id', c.message_id, 'step', m.step + 1, 'currency', r.currency,
          'order_total_minor', r.order_total_minor, 'discount_minor', r.discount_minor,
          'redeemed_at', ${iso(sql`r.at`)}) AS data
      FROM redemptions r
      JOIN coupons c ON c.code = r.coupon_code
      LEFT JOIN messages m ON m.id = c.message_id
      LEFT JOIN orders o ON o.id = r.order_id
      WHERE r.order_id IN (SELECT j.value FROM json_each(${sql.placeholder('orderIds')}) j)`,
    sql.placeholder('now'),
  ),
);

/** The opt-outs stored as tracking events of `kind` for these messages. */
function optOutFacts(kind: 'unsubscribe' | 'complaint', at: string, messageIds: readonly string[]): SQL {
  return sql`
    SELECT e.id AS source_id, e.at AS occurred_at, m.customer_id, m.id AS message_id,
      json_object('customer_id', m.customer_id, 'email', coalesce(m.email, c.email),
        'message_id', m.id, 'campaign_id', m.campaign_id, ${at}, ${iso(sql`e.at`)}) AS data
    FROM tracking_events e
    JOIN messages m ON m.id = e.message_id
    LEFT JOIN customers c ON c.id = m.customer_id
    WHERE e.kind = ${kind} AND e.message_id IN (SELECT j.value FROM json_each(${sqlJson(messageIds)}) j)`;
}

/** customer.unsubscribed for the unsubscribe the same batch records through this message. */
export function unsubscribedEvent(store: Store, messageId: string, now: number): Statement {
  return eventsFrom(
    store,
    'customer.unsubscribed',
    optOutFacts('unsubscribe', 'unsubscribed_at', [messageId]),
    now,
  );
}

/** customer.complained for the complaints the same batch stores about these messages. */
export function complainedEvents(store: Store, messageIds: readonly string[], now: number): Statement {
  return eventsFrom(store, 'customer.complained', optOutFacts('complaint', 'complained_at', messageIds), now);
}

/**
 * Deletes a customer's events, delivered or not: theirs by id, and those of
 * guest mail to their address. Run before the erasure clears the messages' addresses.
 */
export function eraseEventsStatement(store: Store, owner: { id: string; email: string | null }): Statement {
  const guestMail =
    owner.email === null
      ? sql``
      : sql` OR (customer_id IS NULL AND message_id IN (
          SELECT id FROM messages WHERE customer_id IS NULL AND email = ${owner.email}))`;
  return store.db.delete(outgoingEvents).where(sql`customer_id = ${owner.id}${guestMail}`);
}
