// What happens to an event after a delivery that did not get a 2xx: tried
// again after an exponential backoff with jitter (30 s doubling to 6 h, the
// mail sender's backoffDelay), or given up once the next try would come more
// than giveUpAfterMs after the event was written. Pure; the random source is
// handed in so tests can pin the jitter.
import { backoffDelay, type RetryPolicy } from '../delivery/retry-policy.ts';
import { dayMs, hourMs } from '../time.ts';
import { giveUpAfterMs } from './events.ts';

export const eventRetryPolicy: RetryPolicy = {
  // Time, not a count, ends the tries (giveUpAfterMs).
  maxAttempts: Number.POSITIVE_INFINITY,
  baseDelayMs: 30_000,
  maxDelayMs: 6 * hourMs,
};

export type AfterFailure = { kind: 'retry'; at: number } | { kind: 'give_up'; reason: string };

export function afterFailedDelivery(
  event: { attempts: number; createdAt: number; error: string },
  now: number,
  random: () => number,
): AfterFailure {
  const at = now + backoffDelay(eventRetryPolicy, event.attempts, random);
  if (at <= event.createdAt + giveUpAfterMs) return { kind: 'retry', at };
  const days = Math.round(giveUpAfterMs / dayMs);
  const tries = `${event.attempts} attempt${event.attempts === 1 ? '' : 's'}`;
  return { kind: 'give_up', reason: `gave up after ${tries} over ${days} days: ${event.error}` };
}
