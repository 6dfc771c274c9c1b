// A mail provider's webhook events (POST /v1/events, and the demo's deliveries,
// bounces and complaints): each is matched to a message by the provider's id
// or our own Message-ID, stored once per message, kind and bounce type, and a
// hard bounce or a complaint suppresses the address (a complaint also
// withdraws consent and becomes the shop's customer.complained event). One
// atomic batch per call; events naming no known message are returned, not
// stored. Never logs an address.
import { hashEmail, normalizeEmail } from '../../core/email-hash.ts';
import {
  messageRefCandidates,
  type ProviderEvent,
  suppressionFor,
} from '../../core/tracking/provider-events.ts';
import { affectedRows } from '../../db/affected-rows.ts';
import { complainedEvents } from '../../db/repositories/outgoing-events.ts';
import {
  findMessagesByRefs,
  type MessageMatch,
  type ProviderEventRow,
  providerEventStatements,
} from '../../db/repositories/provider-events.ts';
import {
  type AddressTarget,
  type SuppressionReason,
  suppressAddressStatements,
} from '../../db/repositories/suppress-address.ts';
import type { Statement, Store } from '../../db/store.ts';

export interface ApplyProviderEventsPorts {
  store: Store;
}

export interface ApplyProviderEventsInput {
  events: readonly ProviderEvent[];
  /** When suppressions this call causes are recorded. */
  now: number;
}

export interface ProviderEventsResult {
  /** Events stored now; a replayed event is not stored again. */
  recorded: number;
  duplicates: number;
  /** Rows (0-based) whose message id matched no message. */
  unknown: { row: number; message_id: string }[];
  /** Distinct addresses a hard bounce or complaint suppressed in this call. */
  suppressed: number;
}

export async function applyProviderEvents(
  ports: ApplyProviderEventsPorts,
  input: ApplyProviderEventsInput,
): Promise<ProviderEventsResult> {
  const { store } = ports;
  const { events, now } = input;
  const candidates = events.map((event) => messageRefCandidates(event.messageRef));
  const { byProviderId, byId } = await findMessagesByRefs(store, candidates);

  const unknown: ProviderEventsResult['unknown'] = [];
  const rows = new Map<string, ProviderEventRow>();
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

  const statements: Statement[] = providerEventStatements(store, [...rows.values()]);
  const insertCount = statements.length;
  // The shop's customer.complained events, for the complaints just stored.
  const complainedAbout = [
    ...new Set([...rows.values()].filter((r) => r[1] === 'complaint').map((r) => r[0])),
  ];
  if (complainedAbout.length > 0) statements.push(complainedEvents(store, complainedAbout, now));
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
