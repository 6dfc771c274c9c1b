// Stores a mail provider's webhook events: each is matched to a message by the
// provider's id (or our own Message-ID), recorded once per message, kind and
// bounce type (providers retry webhooks, so a replay adds nothing), and hard
// bounces and complaints suppress the address. One atomic batch per call;
// events naming no known message are returned, not stored.
import { sql } from 'drizzle-orm';
import { hashEmail, normalizeEmail } from '../../core/email-hash.ts';
import {
  messageRefCandidates,
  type ProviderEvent,
  suppressionFor,
} from '../../core/tracking/provider-events.ts';
import { trackingEvents } from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Statement, Store } from '../store.ts';
import { type AddressTarget, type SuppressionReason, suppressAddressStatements } from './suppress-address.ts';
import { affectedRows } from './tracking.ts';

export interface ProviderEventsResult {
  /** Events stored now; a replayed event is not stored again. */
  recorded: number;
  duplicates: number;
  /** Rows (0-based) whose message id matched no message. */
  unknown: { row: number; message_id: string }[];
  /** Distinct addresses a hard bounce or complaint suppressed in this call. */
  suppressed: number;
}

interface MessageMatch {
  id: string;
  provider_message_id: string | null;
  customer_id: string | null;
  email: string | null;
}

// Lists travel as one JSON parameter each: far under D1's 100 bound
// parameters, however many events a call carries.
const refsPerQuery = 500;

export async function applyProviderEvents(
  store: Store,
  events: readonly ProviderEvent[],
  now: number,
): Promise<ProviderEventsResult> {
  const candidates = events.map((event) => messageRefCandidates(event.messageRef));
  const { byProviderId, byId } = await findMessages(store, candidates);

  const unknown: ProviderEventsResult['unknown'] = [];
  const rows = new Map<string, [string, string, number, string | null]>();
  const targets = new Map<SuppressionReason, Map<string, MessageMatch>>();
  events.forEach((event, row) => {
    const { providerIds, messageIds } = candidates[row]!;
    const message =
      providerIds.map((ref) => byProviderId.get(ref)).find(Boolean) ??
      messageIds.map((ref) => byId.get(ref)).find(Boolean);
    if (!message) {
      unknown.push({ row, message_id: event.messageRef });
      return;
    }
    // The first of several alike events in one call is the one kept.
    const key = `${message.id}\u0000${event.kind}\u0000${event.detail ?? ''}`;
    if (!rows.has(key)) rows.set(key, [message.id, event.kind, event.at, event.detail]);
    const reason = suppressionFor(event);
    if (reason) {
      const byMessage = targets.get(reason) ?? new Map<string, MessageMatch>();
      byMessage.set(message.id, message);
      targets.set(reason, byMessage);
    }
  });

  const statements: Statement[] = [];
  const list = [...rows.values()];
  for (let i = 0; i < list.length; i += refsPerQuery) {
    statements.push(insertEvents(store, list.slice(i, i + refsPerQuery)));
  }
  const insertCount = statements.length;
  const addresses = new Set<string>();
  for (const [reason, byMessage] of targets) {
    const addressTargets: AddressTarget[] = [];
    for (const message of byMessage.values()) {
      const email = message.email ? normalizeEmail(message.email) : null;
      if (email) addresses.add(email);
      addressTargets.push({
        customerId: message.customer_id,
        email,
        emailHash: email ? await hashEmail(email) : null,
      });
    }
    statements.push(
      ...suppressAddressStatements(store, addressTargets, {
        reason,
        now,
        withdrawConsent: reason === 'complained',
      }),
    );
  }

  const results = statements.length > 0 ? await store.batch(statements) : [];
  const recorded = results
    .slice(0, insertCount)
    .reduce<number>((sum, result) => sum + affectedRows(result), 0);
  return {
    recorded,
    duplicates: events.length - unknown.length - recorded,
    unknown,
    suppressed: addresses.size,
  };
}

async function findMessages(
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

// A builder, not db.run(sql): drizzle's D1 batch binds parameters only for
// builder queries. Columns in table order: id, message_id, kind, at,
// link_index, is_proxy, detail, user_agent, ip.
function insertEvents(store: Store, rows: readonly [string, string, number, string | null][]): Statement {
  const json = sqlJson(rows);
  return store.db.insert(trackingEvents).select(sql`
    SELECT NULL, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]'),
      NULL, 0, json_extract(j.value, '$[3]'), NULL, NULL
    FROM json_each(${json}) j
    WHERE NOT EXISTS (
      SELECT 1 FROM tracking_events e
      WHERE e.message_id = json_extract(j.value, '$[0]') AND e.kind = json_extract(j.value, '$[1]')
        AND e.detail IS json_extract(j.value, '$[3]'))`);
}
