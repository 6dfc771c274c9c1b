// Writes what one send attempt came to: sent with the provider's id, back to
// the queue with a backoff, ambiguous awaiting its one retry, back to the
// queue untouched (the transport was unavailable: no attempt spent), or
// failed, and on a hard bounce the address suppressed (customer row, hash
// table, and the address's other waiting messages cancelled) in the same
// atomic batch, as is a send's message.sent event when the shop wants those.
import { nextStep, type RetryPolicy } from '../../core/delivery/retry-policy.ts';
import type { SendOutcome } from '../../core/delivery/transport.ts';
import { hashEmail, normalizeEmail } from '../../core/email-hash.ts';
import type { ClaimedMessage } from '../../db/repositories/outbox.ts';
import {
  failedStatement,
  releaseStatement,
  retryStatement,
  sentStatement,
} from '../../db/repositories/outbox-writes.ts';
import { messageSentEvent } from '../../db/repositories/outgoing-events.ts';
import { suppressAddressStatements } from '../../db/repositories/suppress-address.ts';
import type { Statement, Store } from '../../db/store.ts';
import type { DrainCounts } from './ports.ts';

/** The most statements one outcome writes (a hard bounce with its suppression), for sizing a pass to a query allowance. */
export function maxOutcomeStatements(store: Store): number {
  const bounce = suppressAddressStatements(
    store,
    [{ customerId: 'bound', email: 'bound@example.invalid', emailHash: 'bound' }],
    { reason: 'bounced', now: 0, withdrawConsent: false },
  );
  return 1 + bounce.length;
}

export async function recordOutcome(
  store: Store,
  message: ClaimedMessage,
  outcome: SendOutcome,
  context: {
    policy: RetryPolicy;
    now: number;
    random: () => number;
    counts: DrainCounts;
    /** An endpoint in the settings wants message.sent: the send writes its event too. */
    reportSent?: boolean | undefined;
  },
): Promise<void> {
  const { now, counts } = context;
  const step = nextStep(
    outcome,
    { attempts: message.attempts + 1, afterAmbiguous: message.afterAmbiguous },
    context.policy,
    context.random,
  );
  const statements: Statement[] = [];
  switch (step.kind) {
    case 'sent':
      statements.push(sentStatement(store, message, step.providerMessageId, now));
      if (context.reportSent) statements.push(messageSentEvent(store, message.id, now));
      counts.sent++;
      break;
    case 'retry':
    case 'ambiguous':
      statements.push(
        retryStatement(
          store,
          message,
          {
            status: step.kind === 'retry' ? 'scheduled' : 'ambiguous',
            dueAt: now + step.delayMs,
            error: step.error,
          },
          now,
        ),
      );
      if (step.kind === 'retry') counts.retrying++;
      else counts.ambiguous++;
      break;
    case 'deferred':
      statements.push(releaseStatement(store, message, now));
      counts.deferred++;
      break;
    case 'failed':
      statements.push(failedStatement(store, message, { error: step.error, attempted: true }, now));
      counts.failed++;
      if (step.suppress && message.email) {
        const email = normalizeEmail(message.email);
        statements.push(
          ...suppressAddressStatements(
            store,
            [{ customerId: message.customerId, email, emailHash: await hashEmail(email) }],
            { reason: 'bounced', now, withdrawConsent: false },
          ),
        );
        counts.suppressed++;
      }
      break;
  }
  // One statement is atomic on its own; a batch (a transaction) only when a bounce or an event adds more.
  if (statements.length === 1) await statements[0];
  else await store.batch(statements);
}
