// What happens to a message after one send attempt: sent, retried after an
// exponential backoff with jitter, failed (suppressing the address on a hard
// bounce), or marked ambiguous. An ambiguous send (the server may already have
// the message) gets exactly one more attempt with the same Message-ID and is
// never looped: whatever that attempt does short of delivering, the message
// fails. A transport that could not be reached spends no attempt: the
// message goes back to the queue as it was (the sender pauses instead, see
// send-pause.ts). Pure; the random source is handed in so tests can pin the jitter.

import { hourMs } from '../time.ts';
import type { SendOutcome } from './transport.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included; the last temporary failure fails the message. */
  maxAttempts: number;
  /** The delay before the second attempt; each further one doubles it. */
  baseDelayMs: number;
  /** No retry waits longer than this. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 60_000,
  maxDelayMs: 6 * hourMs,
};

/**
 * The wait after `attempts` failed attempts: base x 2^(attempts-1), capped,
 * then "equal jitter" (half fixed, half random) so a burst of messages that
 * failed together does not return as a burst, while every wait stays at least
 * half the nominal one.
 */
export function backoffDelay(policy: RetryPolicy, attempts: number, random: () => number): number {
  const exponent = Math.max(0, attempts - 1);
  const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 30));
  return Math.round(nominal / 2 + (nominal / 2) * random());
}

export type NextStep =
  | { kind: 'sent'; providerMessageId: string }
  | { kind: 'retry'; delayMs: number; error: string }
  | { kind: 'ambiguous'; delayMs: number; error: string }
  | { kind: 'failed'; error: string; suppress: boolean }
  /** Back to the queue untouched: nothing about this message was learned. */
  | { kind: 'deferred'; error: string };

export interface AttemptContext {
  /** Attempts made so far, this one included. */
  attempts: number;
  /** This attempt was the single retry after an ambiguous one. */
  afterAmbiguous: boolean;
}

export function nextStep(
  outcome: SendOutcome,
  attempt: AttemptContext,
  policy: RetryPolicy,
  random: () => number,
): NextStep {
  if (outcome.kind === 'delivered') return { kind: 'sent', providerMessageId: outcome.providerMessageId };
  const error = describe(outcome);
  if (outcome.kind === 'transport_unavailable') return { kind: 'deferred', error };
  if (outcome.kind === 'permanent') return { kind: 'failed', error, suppress: outcome.hardBounce };
  // The one retry after an ambiguous send is the last: a second retry could
  // deliver a third copy of a message the server may already have accepted.
  if (attempt.afterAmbiguous)
    return { kind: 'failed', error: `after an ambiguous send: ${error}`, suppress: false };
  if (outcome.kind === 'ambiguous') {
    return { kind: 'ambiguous', delayMs: backoffDelay(policy, attempt.attempts, random), error };
  }
  if (attempt.attempts >= policy.maxAttempts) {
    return { kind: 'failed', error: `gave up after ${attempt.attempts} attempts: ${error}`, suppress: false };
  }
  return { kind: 'retry', delayMs: backoffDelay(policy, attempt.attempts, random), error };
}

function describe(outcome: Exclude<SendOutcome, { kind: 'delivered' }>): string {
  const code = 'code' in outcome && outcome.code !== undefined ? `${outcome.code} ` : '';
  // last_error is for operators; keep it one bounded line.
  return `${outcome.kind}: ${code}${outcome.reason}`.replace(/\s+/g, ' ').slice(0, 500);
}
