// Reads and writes behind the public tracking routes: the message a verified
// token names, open and click events, and the unsubscribe event. A token is
// checked before anything here runs; these functions trust the message id
// they are given but never the URL or address, which come from the message.
// What an open, click or unsubscribe means is decided in services/tracking.
import { eq, sql } from 'drizzle-orm';
import { customers, messages, trackingEvents } from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Statement, Store } from '../store.ts';
import { preparedPerStore } from './prepared.ts';

export interface TrackedMessage {
  id: string;
  customerId: string | null;
  /** The message's address, else its customer's; null once erased. */
  email: string | null;
  /** The URLs the sent email linked to, by click index. */
  links: string[];
  sentAt: number | null;
  unsubscribed: boolean;
}

const trackedMessageById = preparedPerStore((store) =>
  store.db
    .select({
      id: messages.id,
      customerId: messages.customerId,
      email: sql<string | null>`coalesce(${messages.email}, ${customers.email})`,
      links: messages.links,
      sentAt: messages.sentAt,
      unsubscribed: sql<number>`EXISTS (SELECT 1 FROM tracking_events e
        WHERE e.message_id = ${messages.id} AND e.kind = 'unsubscribe')`,
    })
    .from(messages)
    .leftJoin(customers, eq(customers.id, messages.customerId))
    .where(eq(messages.id, sql.placeholder('id')))
    .prepare(),
);

/** What the open pixel and the click redirect need of a message: far less than unsubscribing does. */
export interface EngagedMessage {
  id: string;
  links: string[];
  sentAt: number | null;
}

const engagedMessageById = preparedPerStore((store) =>
  store.db
    .select({ id: messages.id, links: messages.links, sentAt: messages.sentAt })
    .from(messages)
    .where(eq(messages.id, sql.placeholder('id')))
    .prepare(),
);

export async function findEngagedMessage(store: Store, id: string): Promise<EngagedMessage | null> {
  const [row] = await engagedMessageById(store).all({ id });
  return row ? { ...row, links: parseLinks(row.links) } : null;
}

export async function findTrackedMessage(store: Store, id: string): Promise<TrackedMessage | null> {
  const [row] = await trackedMessageById(store).all({ id });
  if (!row) return null;
  return { ...row, links: parseLinks(row.links), unsubscribed: Boolean(row.unsubscribed) };
}

function parseLinks(json: string | null): string[] {
  if (!json) return [];
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.map((link) => (typeof link === 'string' ? link : '')) : [];
  } catch {
    return [];
  }
}

export interface RequestFacts {
  at: number;
  userAgent: string | null;
  ip: string | null;
}

// A pixel or link fetched in a loop must not grow the table without bound;
// beyond these counts more rows add nothing to any report.
export const maxOpensPerMessage = 50;
export const maxClicksPerLink = 20;

/** An open or a click, as the tracking routes saw it. */
export type EngagementEvent =
  | { kind: 'open'; messageId: string; isProxy: boolean; facts: RequestFacts }
  | { kind: 'click'; messageId: string; linkIndex: number; facts: RequestFacts };

/**
 * One insert recording a list of opens and clicks, bound as one JSON value,
 * each unless its message does not exist (a click answered from its signed
 * token was not looked up) or (for a click: its link) already has its cap of
 * them. Events for the same message and link within the list count towards
 * the cap in list order, so a batch cannot overshoot it either. A builder,
 * not db.run(sql), for the reason given at unsubscribeEventStatement.
 */
export function engagementStatement(store: Store, events: readonly EngagementEvent[]): Statement {
  const rows = events.map((event) => [
    event.messageId,
    event.kind,
    event.facts.at,
    event.kind === 'click' ? event.linkIndex : null,
    event.kind === 'open' && event.isProxy ? 1 : 0,
    clip(event.facts.userAgent, 512),
    clip(event.facts.ip, 64),
  ]);
  const field = (index: number) => sql.raw(`json_extract(j.value, '$[${index}]')`);
  return store.db.insert(trackingEvents).select(sql`
    SELECT NULL, x.message_id, x.kind, x.at, x.link_index, x.is_proxy, NULL, x.user_agent, x.ip
    FROM (
      SELECT ${field(0)} AS message_id, ${field(1)} AS kind, ${field(2)} AS at, ${field(3)} AS link_index,
        ${field(4)} AS is_proxy, ${field(5)} AS user_agent, ${field(6)} AS ip,
        row_number() OVER (PARTITION BY ${field(0)}, ${field(1)}, ${field(3)} ORDER BY j.key) AS nth
      FROM json_each(${sqlJson(rows)}) AS j
    ) AS x
    WHERE EXISTS (SELECT 1 FROM messages m WHERE m.id = x.message_id)
      AND (SELECT count(*) FROM tracking_events e
        WHERE e.message_id = x.message_id AND e.kind = x.kind AND e.link_index IS x.link_index) + x.nth
      <= CASE x.kind WHEN 'click' THEN ${maxClicksPerLink} ELSE ${maxOpensPerMessage} END`);
}

/**
 * The `unsubscribe` event for a message, unless it already has one (a replay
 * adds none, and the statement's rowsAffected says which it was). A builder,
 * not db.run(sql): drizzle's D1 batch binds parameters only for builder
 * queries. Columns in table order: id, message_id, kind, at, link_index,
 * is_proxy, detail, user_agent, ip.
 */
export function unsubscribeEventStatement(store: Store, messageId: string, facts: RequestFacts): Statement {
  return store.db.insert(trackingEvents).select(sql`
    SELECT NULL, ${messageId}, 'unsubscribe', ${facts.at}, NULL, 0, NULL,
      ${clip(facts.userAgent, 512)}, ${clip(facts.ip, 64)}
    WHERE NOT EXISTS (SELECT 1 FROM tracking_events WHERE message_id = ${messageId} AND kind = 'unsubscribe')`);
}

function clip(value: string | null, max: number): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed.slice(0, max);
}
