// The continuous event deliverer for `rekindle serve`: runs deliverEvents
// passes, and when a pass finds nothing more to do, waits `idleMs` before
// looking again, so an event reaches the shop within seconds of its fact.
// Stops when the signal aborts, after the tries in flight are recorded.
import { abortableSleep } from '../delivery/drain-outbox.ts';
import { deliverEvents } from './deliver-events.ts';
import type { DeliverEventsDeps, EventCounts } from './ports.ts';

export interface EventLoopOptions extends Omit<DeliverEventsDeps, 'limit'> {
  signal: AbortSignal;
  idleMs?: number | undefined;
  /** Called after every pass that did something, e.g. to log counts. */
  onPass?: ((counts: EventCounts) => void) | undefined;
  /** A failed pass (the database unreachable) is reported here and retried after idleMs. */
  onError?: ((error: unknown) => void) | undefined;
}

export async function runEventLoop(options: EventLoopOptions): Promise<void> {
  const idleMs = options.idleMs ?? 5_000;
  const limit = (options.settings?.batchSize ?? 50) * 10;
  while (!options.signal.aborted) {
    let busy = false;
    try {
      const counts = await deliverEvents({ ...options, limit });
      if (counts.claimed > 0 || counts.pruned > 0) options.onPass?.(counts);
      busy = counts.claimed >= limit;
    } catch (error) {
      options.onError?.(error);
    }
    if (!busy) await abortableSleep(idleMs, options.signal);
  }
}
