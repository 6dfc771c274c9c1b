// Which endpoints want which events (outgoing_event_subscriptions), as the
// settings said when a deliverer last looked, each since it was first seen.
// The event writers join this table, so the processes that write facts need
// no settings; a deliverer brings it up to date (services/webhooks/
// sync-subscriptions.ts). Reads and writes only.
import { sql } from 'drizzle-orm';
import type { OutgoingEventType } from '../../core/webhooks/events.ts';
import { outgoingEventSubscriptions, outgoingEvents } from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Statement, Store } from '../store.ts';

export interface Subscription {
  endpoint: string;
  eventType: OutgoingEventType;
}

export async function readSubscriptions(store: Store): Promise<(Subscription & { since: number })[]> {
  return store.db
    .select({
      endpoint: outgoingEventSubscriptions.endpoint,
      eventType: outgoingEventSubscriptions.eventType,
      since: outgoingEventSubscriptions.since,
    })
    .from(outgoingEventSubscriptions);
}

/**
 * Makes the table hold exactly `wanted`: new pairs start now, pairs kept keep
 * their start, pairs dropped go, and what was still owed to a dropped pair is
 * failed with the reason. One atomic batch's statements.
 */
export function replaceSubscriptions(
  store: Store,
  wanted: readonly Subscription[],
  now: number,
): Statement[] {
  const pairs = sqlJson(wanted.map((s) => [s.endpoint, s.eventType]));
  const isWanted = (endpoint: string, type: string) => sql`EXISTS (
    SELECT 1 FROM json_each(${pairs}) j
    WHERE json_extract(j.value, '$[0]') = ${sql.raw(endpoint)} AND json_extract(j.value, '$[1]') = ${sql.raw(type)})`;
  const statements: Statement[] = [
    store.db
      .delete(outgoingEventSubscriptions)
      .where(
        sql`NOT ${isWanted('outgoing_event_subscriptions.endpoint', 'outgoing_event_subscriptions.event_type')}`,
      ),
    store.db
      .update(outgoingEvents)
      .set({
        failedAt: now,
        leaseUntil: null,
        lastError: 'the settings no longer send this event type to this endpoint',
      })
      .where(
        sql`delivered_at IS NULL AND failed_at IS NULL AND NOT ${isWanted('outgoing_events.endpoint', 'outgoing_events.type')}`,
      ),
  ];
  // From one JSON value: 40 pairs would pass D1's 100 bound parameters as VALUES.
  if (wanted.length > 0)
    statements.push(
      store.db
        .insert(outgoingEventSubscriptions)
        .select(sql`
          SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), ${now}
          FROM json_each(${pairs}) j WHERE true`)
        .onConflictDoNothing(),
    );
  return statements;
}
