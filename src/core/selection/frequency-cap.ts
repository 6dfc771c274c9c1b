import { dayMs } from '../time.ts';
// The shop-wide frequency cap: at most `maxMessages` marketing emails in any
// `perDays` days to one customer. A capped message is either deferred to the
// first moment it fits, or dropped, as its campaign says.

export interface FrequencyCap {
  maxMessages: number;
  perDays: number;
}

/**
 * The earliest time at or after `at` when one more message fits under the cap,
 * given the due times of the customer's other marketing messages (sent or
 * scheduled, past or future, in any order).
 */
export function nextFreeSlot(at: number, otherMessages: readonly number[], cap: FrequencyCap): number {
  const window = cap.perDays * dayMs;
  const others = [...otherMessages].sort((a, b) => a - b);
  // A message stops counting `window` after it went out, so the first slot that
  // fits is `at` itself or the moment one of the others ages out.
  const candidates = [at, ...others.map((t) => t + window)].filter((t) => t >= at).sort((a, b) => a - b);
  for (const slot of candidates) {
    if (fits(slot, others, window, cap.maxMessages)) return slot;
  }
  // Unreachable: the last candidate is past every other message's window.
  return candidates[candidates.length - 1] ?? at;
}

/** Every `window`-long span holding `slot` keeps fewer than `max` others. */
function fits(slot: number, others: readonly number[], window: number, max: number): boolean {
  // The count in a span only changes where a span edge crosses a message, so
  // those starts (and the two extremes) are the only ones worth checking.
  const starts = [slot - window + 1, slot, ...others.flatMap((t) => [t + 1, t - window + 1])].filter(
    (start) => start > slot - window && start <= slot,
  );
  return starts.every((start) => others.filter((t) => t >= start && t < start + window).length < max);
}
