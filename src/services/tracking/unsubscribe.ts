// The one-click unsubscribe, behind the signed link in every email and its
// RFC 8058 POST, and the demo's customers who unsubscribe: at once and
// atomically, one `unsubscribe` event (a replay adds none), the address
// suppressed and its consent withdrawn, its hash kept so the address stays
// unmailable after erasure, the mail still waiting for it cancelled, and the
// shop's customer.unsubscribed event written. Never logs an address.
import { hashEmail, normalizeEmail } from '../../core/email-hash.ts';
import { affectedRows } from '../../db/affected-rows.ts';
import { unsubscribedEvent } from '../../db/repositories/outgoing-events.ts';
import { suppressAddressStatements } from '../../db/repositories/suppress-address.ts';
import {
  findTrackedMessage,
  type RequestFacts,
  unsubscribeEventStatement,
} from '../../db/repositories/tracking.ts';
import type { Store } from '../../db/store.ts';

export interface UnsubscribePorts {
  store: Store;
}

export interface UnsubscribeInput {
  /** From a verified token: the message whose recipient unsubscribes. */
  messageId: string;
  facts: RequestFacts;
}

export type UnsubscribeOutcome =
  | { found: false }
  /** alreadyDone: this message's recipient had unsubscribed through it before; nothing changed now. */
  | { found: true; alreadyDone: boolean };

export async function unsubscribe(
  ports: UnsubscribePorts,
  input: UnsubscribeInput,
): Promise<UnsubscribeOutcome> {
  const { store } = ports;
  const message = await findTrackedMessage(store, input.messageId);
  if (!message) return { found: false };
  const email = message.email ? normalizeEmail(message.email) : null;
  const suppress = suppressAddressStatements(
    store,
    [{ customerId: message.customerId, email, emailHash: email ? await hashEmail(email) : null }],
    { reason: 'unsubscribed', now: input.facts.at, withdrawConsent: true },
  );
  const [inserted] = await store.batch([
    unsubscribeEventStatement(store, message.id, input.facts),
    ...suppress,
    unsubscribedEvent(store, message.id, input.facts.at),
  ]);
  return { found: true, alreadyDone: affectedRows(inserted) === 0 };
}
