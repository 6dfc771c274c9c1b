// Reads and writes behind the public tracking routes: the message a verified
// token names, open and click events, and the one-click unsubscribe. A token
// is checked before anything here runs; these functions trust the message id
// they are given but never the URL or address, which come from the message.
import { sql } from 'drizzle-orm';
import { hashEmail, normalizeEmail } from '../../core/email-hash.ts';
import { trackingEvents } from '../schema/index.ts';
import type { Statement, Store } from '../store.ts';
import { suppressAddressStatements } from './suppress-address.ts';

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

interface MessageRow {
  id: string;
  customer_id: string | null;
  email: string | null;
  links: string | null;
  sent_at: number | null;
  unsubscribed: number;
}

export async function findTrackedMessage(store: Store, id: string): Promise<TrackedMessage | null> {
  const [row] = await store.db.all<MessageRow>(sql`
    SELECT m.id, m.customer_id, coalesce(m.email, c.email) AS email, m.links, m.sent_at,
      EXISTS (SELECT 1 FROM tracking_events e WHERE e.message_id = m.id AND e.kind = 'unsubscribe') AS unsubscribed
    FROM messages m LEFT JOIN customers c ON c.id = m.customer_id
    WHERE m.id = ${id}`);
  if (!row) return null;
  return {
    id: row.id,
    customerId: row.customer_id,
    email: row.email,
    links: parseLinks(row.links),
    sentAt: row.sent_at,
    unsubscribed: Boolean(row.unsubscribed),
  };
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

export async function recordOpen(
  store: Store,
  messageId: string,
  facts: RequestFacts & { isProxy: boolean },
): Promise<void> {
  await store.db.run(sql`
    INSERT INTO tracking_events (message_id, kind, at, is_proxy, user_agent, ip)
    SELECT ${messageId}, 'open', ${facts.at}, ${facts.isProxy ? 1 : 0}, ${clip(facts.userAgent, 512)}, ${clip(facts.ip, 64)}
    WHERE (SELECT count(*) FROM tracking_events WHERE message_id = ${messageId} AND kind = 'open') < ${maxOpensPerMessage}`);
}

export async function recordClick(
  store: Store,
  messageId: string,
  linkIndex: number,
  facts: RequestFacts,
): Promise<void> {
  await store.db.run(sql`
    INSERT INTO tracking_events (message_id, kind, at, link_index, user_agent, ip)
    SELECT ${messageId}, 'click', ${facts.at}, ${linkIndex}, ${clip(facts.userAgent, 512)}, ${clip(facts.ip, 64)}
    WHERE (SELECT count(*) FROM tracking_events
      WHERE message_id = ${messageId} AND kind = 'click' AND link_index = ${linkIndex}) < ${maxClicksPerLink}`);
}

/**
 * Unsubscribes the message's recipient from all marketing mail, at once and
 * atomically: one `unsubscribe` event (a replay adds none), the address
 * suppressed and its consent withdrawn, its hash kept, pending mail cancelled.
 * Returns false when it had already been done for this message.
 */
export async function unsubscribeRecipient(
  store: Store,
  message: TrackedMessage,
  facts: RequestFacts,
): Promise<boolean> {
  const email = message.email ? normalizeEmail(message.email) : null;
  // A builder, not db.run(sql): drizzle's D1 batch binds parameters only for
  // builder queries. Columns in table order: id, message_id, kind, at,
  // link_index, is_proxy, detail, user_agent, ip.
  const event: Statement = store.db.insert(trackingEvents).select(sql`
    SELECT NULL, ${message.id}, 'unsubscribe', ${facts.at}, NULL, 0, NULL,
      ${clip(facts.userAgent, 512)}, ${clip(facts.ip, 64)}
    WHERE NOT EXISTS (SELECT 1 FROM tracking_events WHERE message_id = ${message.id} AND kind = 'unsubscribe')`);
  const suppress = suppressAddressStatements(
    store,
    [{ customerId: message.customerId, email, emailHash: email ? await hashEmail(email) : null }],
    { reason: 'unsubscribed', now: facts.at, withdrawConsent: true },
  );
  const [inserted] = (await store.batch([event, ...suppress])) as [
    { rowsAffected?: number; changes?: number },
  ];
  return affectedRows(inserted) > 0;
}

/** Rows a run() statement changed: libSQL says rowsAffected, D1 says meta.changes. */
export function affectedRows(result: unknown): number {
  const value = result as { rowsAffected?: number; meta?: { changes?: number } } | undefined;
  return value?.rowsAffected ?? value?.meta?.changes ?? 0;
}

function clip(value: string | null, max: number): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed.slice(0, max);
}
