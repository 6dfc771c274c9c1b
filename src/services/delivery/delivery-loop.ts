// The continuous sender for `rekindle serve`: drains the outbox, and when a
// pass finds nothing more to do, waits `idleMs` before looking again. Stops
// when the signal aborts, after the send in flight is recorded. One limiter
// and one pause live across passes, so the rate cap holds at the seams
// between them, and a pass that starts while the transport is down waits out
// the pause the last one began instead of trying at once.
import { createSendPause } from '../../core/delivery/send-pause.ts';
import { abortableSleep, type DrainOptions, drainOutbox } from './drain-outbox.ts';
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
  const pass = { ...options, pause: options.pause ?? createSendPause(), limit: batchSize * 10 };
  const sleep = options.sleep ?? ((ms: number) => abortableSleep(ms, options.signal));
  while (!options.signal.aborted) {
    let busy = false;
    try {
      const counts = await drainOutbox(pass);
      if (counts.claimed > 0 || counts.failed > 0) options.onPass?.(counts);
      // A full pass may have left more due messages; an idle one waits.
      busy = counts.claimed >= pass.limit;
    } catch (error) {
      options.onError?.(error);
    }
    if (!busy) await sleep(idleMs);
  }
}
