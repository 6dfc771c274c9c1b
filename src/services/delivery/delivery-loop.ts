// The continuous sender for `rekindle serve`: drains the outbox, and when a
// pass finds nothing more to do, waits `idleMs` before looking again. Stops
// when the signal aborts, after the send in flight is recorded. One limiter
// lives across passes, so the rate cap holds at the seams between them too.
import { type DrainOptions, drainOutbox } from './drain-outbox.ts';
import type { DrainCounts } from './ports.ts';

export interface DeliveryLoopOptions extends Omit<DrainOptions, 'limit'> {
  signal: AbortSignal;
  /** Pause after a pass that emptied the queue. */
  idleMs?: number | undefined;
  /** Called after every pass that did something, e.g. to log counts. */
  onPass?: ((counts: DrainCounts) => void) | undefined;
  /** A failed pass (the database unreachable) is reported here and retried after idleMs. */
  onError?: ((error: unknown) => void) | undefined;
}

export async function runDeliveryLoop(options: DeliveryLoopOptions): Promise<void> {
  const idleMs = options.idleMs ?? 5_000;
  const batchSize = options.settings?.batchSize ?? 100;
  while (!options.signal.aborted) {
    let busy = false;
    try {
      const counts = await drainOutbox({ ...options, limit: batchSize * 10 });
      if (counts.claimed > 0 || counts.failed > 0) options.onPass?.(counts);
      // A full pass may have left more due messages; an idle one waits.
      busy = counts.claimed >= batchSize * 10;
    } catch (error) {
      options.onError?.(error);
    }
    if (!busy) await pause(idleMs, options.signal);
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
