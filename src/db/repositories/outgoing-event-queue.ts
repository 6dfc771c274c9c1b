// The deliverer's side of the events outbox: claiming due deliveries under a
// lease, recording what each try came to, pruning old rows and listing recent
// ones. A claim is one conditional UPDATE ... RETURNING, so two deliverers
// (two serve processes, a cron run and `rekindle webhooks deliver`) never take
// the same row; every outcome names the lease it was claimed under, so a
// deliverer whose lease ran out and was taken over writes nothing. A lapsed
// lease makes the row due again: its delivery may have reached the shop, which
// is why delivery is at least once and the shop dedupes on the event id.
// Records; the service decides.
import { sql } from 'drizzle-orm';
import type { OutgoingEventType } from '../../core/webhooks/events.ts';
import { sqlJson } from '../sql-json.ts';
import type { Store } from '../store.ts';

export interface ClaimedEvent {
  eventId: string;
  endpoint: string;
  type: OutgoingEventType;
  data: string;
  createdAt: number;
  /** Tries made before this claim. */
  attempts: number;
  leaseUntil: number;
}

interface ClaimedRow {
  event_id: string;
  endpoint: string;
  type: OutgoingEventType;
  data: string;
  created_at: number;
  attempts: number;
  lease_until: number;
}

// Spelled as outgoing_events_due_idx's WHERE: SQLite uses a partial index only
// when the query repeats its condition.
const owed = sql.raw('delivered_at IS NULL AND failed_at IS NULL');

/** Claims up to `limit` due deliveries to these endpoints, oldest due first, leased until now + leaseMs. */
export async function claimDueEvents(
  store: Store,
  options: { now: number; leaseMs: number; limit: number; endpoints: readonly string[] },
): Promise<ClaimedEvent[]> {
  const { now, limit } = options;
  if (limit <= 0 || options.endpoints.length === 0) return [];
  const free = sql`(lease_until IS NULL OR lease_until <= ${now})`;
  const rows = await store.db.all<ClaimedRow>(sql`
    UPDATE outgoing_events SET lease_until = ${now + options.leaseMs}
    WHERE rowid IN (
      SELECT rowid FROM outgoing_events
      WHERE ${owed} AND next_attempt_at <= ${now} AND ${free}
        AND endpoint IN (SELECT j.value FROM json_each(${sqlJson(options.endpoints)}) j)
      ORDER BY next_attempt_at LIMIT ${limit})
    AND ${owed} AND ${free}
    RETURNING event_id, endpoint, type, data, created_at, attempts, lease_until`);
  return rows
    .map((row) => ({
      eventId: row.event_id,
      endpoint: row.endpoint,
      type: row.type,
      data: row.data,
      createdAt: Number(row.created_at),
      attempts: Number(row.attempts),
      leaseUntil: Number(row.lease_until),
    }))
    .sort((a, b) => a.createdAt - b.createdAt || (a.eventId < b.eventId ? -1 : 1));
}

export type EventOutcome = Pick<ClaimedEvent, 'eventId' | 'endpoint' | 'leaseUntil'> &
  (
    | { kind: 'delivered' }
    | { kind: 'retry'; at: number; error: string }
    | { kind: 'failed'; error: string }
    /** Not tried (the pass stopped, or its endpoint failed earlier in it): due as before, no attempt spent. */
    | { kind: 'released' }
  );

/** Writes the outcomes of one batch in one statement; a row whose lease was taken over is left alone. */
export async function recordEventOutcomes(
  store: Store,
  outcomes: readonly EventOutcome[],
  now: number,
): Promise<void> {
  if (outcomes.length === 0) return;
  const rows = outcomes.map((o) => [
    o.eventId,
    o.endpoint,
    o.leaseUntil,
    o.kind,
    o.kind === 'retry' ? o.at : null,
    o.kind === 'retry' || o.kind === 'failed' ? o.error : null,
    o.kind === 'released' ? 0 : 1,
  ]);
  const field = (i: number) => sql.raw(`json_extract(j.value, '$[${i}]')`);
  await store.db.run(sql`
    UPDATE outgoing_events
    SET attempts = attempts + o.tried,
      last_attempt_at = CASE WHEN o.tried = 1 THEN ${now} ELSE last_attempt_at END,
      delivered_at = CASE WHEN o.kind = 'delivered' THEN ${now} ELSE delivered_at END,
      failed_at = CASE WHEN o.kind = 'failed' THEN ${now} ELSE failed_at END,
      next_attempt_at = coalesce(o.next_at, next_attempt_at),
      last_error = CASE WHEN o.kind = 'released' THEN last_error ELSE o.error END,
      lease_until = NULL
    FROM (
      SELECT ${field(0)} AS event_id, ${field(1)} AS endpoint, ${field(2)} AS lease, ${field(3)} AS kind,
        ${field(4)} AS next_at, ${field(5)} AS error, ${field(6)} AS tried
      FROM json_each(${sqlJson(rows)}) j
    ) AS o
    WHERE outgoing_events.event_id = o.event_id AND outgoing_events.endpoint = o.endpoint
      AND outgoing_events.lease_until = o.lease`);
}

/** Deletes up to `limit` rows written, and about facts, before `before`; returns how many. */
export async function pruneEvents(store: Store, before: number, limit = 500): Promise<number> {
  const rows = await store.db.all<{ event_id: string }>(sql`
    DELETE FROM outgoing_events WHERE rowid IN (
      SELECT rowid FROM outgoing_events WHERE created_at < ${before} AND occurred_at < ${before} LIMIT ${limit})
    RETURNING event_id`);
  return rows.length;
}

export type EventState = 'pending' | 'delivered' | 'failed';

export interface EventListRow {
  eventId: string;
  endpoint: string;
  type: OutgoingEventType;
  state: EventState;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number | null;
  lastAttemptAt: number | null;
  deliveredAt: number | null;
  failedAt: number | null;
  lastError: string | null;
}

/** The newest rows first, optionally in one state. */
export async function listEvents(
  store: Store,
  options: { limit: number; state?: EventState | undefined },
): Promise<EventListRow[]> {
  const state = sql.raw(
    "CASE WHEN delivered_at IS NOT NULL THEN 'delivered' WHEN failed_at IS NOT NULL THEN 'failed' ELSE 'pending' END",
  );
  const only = options.state === undefined ? sql`` : sql`WHERE ${state} = ${options.state}`;
  const rows = await store.db.all<Record<string, unknown>>(sql`
    SELECT event_id, endpoint, type, ${state} AS state, attempts, created_at, next_attempt_at,
      last_attempt_at, delivered_at, failed_at, last_error
    FROM outgoing_events ${only}
    ORDER BY created_at DESC, event_id DESC LIMIT ${options.limit}`);
  const time = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return rows.map((row) => ({
    eventId: String(row.event_id),
    endpoint: String(row.endpoint),
    type: row.type as OutgoingEventType,
    state: row.state as EventState,
    attempts: Number(row.attempts),
    createdAt: Number(row.created_at),
    nextAttemptAt: row.state === 'pending' ? time(row.next_attempt_at) : null,
    lastAttemptAt: time(row.last_attempt_at),
    deliveredAt: time(row.delivered_at),
    failedAt: time(row.failed_at),
    lastError: row.last_error === null ? null : String(row.last_error),
  }));
}
