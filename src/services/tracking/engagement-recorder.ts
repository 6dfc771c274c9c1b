// How the open pixel and the click redirect store what they saw. Writing the
// event before answering costs a database write per request; on a busy
// server (`rekindle serve`) the events are instead queued and written in one
// batch every few milliseconds, after the redirect or pixel has gone out. The
// price is that a crash loses the events of the last few milliseconds: they
// are engagement counts, not orders or unsubscribes, which are still written
// before the answer. The Worker and tests write at once.
import { loggableReason } from '../../core/errors.ts';
import { type EngagementEvent, engagementStatement } from '../../db/repositories/tracking.ts';
import { jsonRowChunks } from '../../db/repositories/upsert-helpers.ts';
import type { Store } from '../../db/store.ts';

export interface EngagementRecorder {
  /** Resolves once the event is stored, or for a buffered recorder, queued. */
  record(event: EngagementEvent): Promise<void>;
}

export interface BufferedEngagementRecorder extends EngagementRecorder {
  /** Writes everything queued so far; resolves when it is stored (or reported lost). */
  flush(): Promise<void>;
}

export function writeEngagementNow(store: Store): EngagementRecorder {
  return {
    async record(event) {
      await engagementStatement(store, [event]);
    },
  };
}

export interface WriteBehindOptions {
  /** How long an event may wait in the queue. */
  maxDelayMs?: number;
  /** Queue length that triggers a write at once. */
  maxQueued?: number;
  /** Where a failed write is reported; never with the events' contents. */
  log: (line: string) => void;
}

export function writeEngagementBehind(store: Store, options: WriteBehindOptions): BufferedEngagementRecorder {
  const maxDelayMs = options.maxDelayMs ?? 20;
  const maxQueued = options.maxQueued ?? 1000;
  let queued: EngagementEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Writes run one after another, so a flush waits for the one before it.
  let writing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = queued;
    queued = [];
    writing = writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await store.batch(jsonRowChunks(batch).map((events) => engagementStatement(store, events)));
      } catch (error) {
        options.log(`tracking: lost ${batch.length} open/click events: ${loggableReason(error)}`);
      }
    });
    return writing;
  }

  return {
    async record(event) {
      queued.push(event);
      if (queued.length >= maxQueued) void flush();
      else timer ??= setTimeout(() => void flush(), maxDelayMs);
    },
    flush,
  };
}
