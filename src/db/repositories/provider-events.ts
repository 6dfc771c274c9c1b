// Reads and writes behind a mail provider's webhook events: the messages a
// list of references names (by the provider's id or our own Message-ID), and
// the insert that stores each event once per message, kind and bounce type
// (providers retry webhooks, so a replay adds nothing). What the events mean
// is decided in services/tracking/apply-provider-events.ts.
import { sql } from 'drizzle-orm';
import { trackingEvents } from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Statement, Store } from '../store.ts';

export interface MessageMatch {
  id: string;
  provider_message_id: string | null;
  customer_id: string | null;
  email: string | null;
}

/** One provider event to store: message id, kind, at, detail (bounce type or null). */
export type ProviderEventRow = [string, string, number, string | null];

// Lists travel as one JSON parameter each: far under D1's 100 bound
// parameters, however many events a call carries.
export const refsPerQuery = 500;

export async function findMessagesByRefs(
  store: Store,
  candidates: readonly { providerIds: string[]; messageIds: string[] }[],
): Promise<{ byProviderId: Map<string, MessageMatch>; byId: Map<string, MessageMatch> }> {
  const byProviderId = new Map<string, MessageMatch>();
  const byId = new Map<string, MessageMatch>();
  for (let i = 0; i < candidates.length; i += refsPerQuery) {
    const chunk = candidates.slice(i, i + refsPerQuery);
    const providerIds = sqlJson([...new Set(chunk.flatMap((c) => c.providerIds))]);
    const messageIds = sqlJson([...new Set(chunk.flatMap((c) => c.messageIds))]);
    const found = await store.db.all<MessageMatch>(sql`
      SELECT m.id, m.provider_message_id, m.customer_id, coalesce(m.email, c.email) AS email
      FROM messages m LEFT JOIN customers c ON c.id = m.customer_id
      WHERE m.provider_message_id IN (SELECT j.value FROM json_each(${providerIds}) j)
         OR m.id IN (SELECT j.value FROM json_each(${messageIds}) j)`);
    for (const message of found) {
      byId.set(message.id, message);
      if (message.provider_message_id) byProviderId.set(message.provider_message_id, message);
    }
  }
  return { byProviderId, byId };
}

/**
 * Inserts of the rows not already stored, at most refsPerQuery rows each.
 * Builders, not db.run(sql): drizzle's D1 batch binds parameters only for
 * builder queries. Columns in table order: id, message_id, kind, at,
 * link_index, is_proxy, detail, user_agent, ip.
 */
export function providerEventStatements(store: Store, rows: readonly ProviderEventRow[]): Statement[] {
  const statements: Statement[] = [];
  for (let i = 0; i < rows.length; i += refsPerQuery) {
    const json = sqlJson(rows.slice(i, i + refsPerQuery));
    statements.push(
      store.db.insert(trackingEvents).select(sql`
      SELECT NULL, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]'),
        NULL, 0, json_extract(j.value, '$[3]'), NULL, NULL
      FROM json_each(${json}) j
      WHERE NOT EXISTS (
        SELECT 1 FROM tracking_events e
        WHERE e.message_id = json_extract(j.value, '$[0]') AND e.kind = json_extract(j.value, '$[1]')
          AND e.detail IS json_extract(j.value, '$[3]'))`),
    );
  }
  return statements;
}
