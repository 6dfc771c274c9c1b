// Sends one prepared batch through the transport, `concurrency` at a time
// and no faster than the rate limiter allows, recording each result as it
// comes. Just before a message goes on the wire its send is noted as started
// (the starts of all sends beginning together in one UPDATE), so a sender
// killed mid-send leaves rows that say so and are retried as ambiguous,
// while rows it never started are not. A transport that is unavailable
// pauses the sender: nothing more starts, and every message not sent goes
// back to the queue as it was. Never sends a message whose lease it lost.

import type { SendPause } from '../../core/delivery/send-pause.ts';
import type { Permit } from '../../core/delivery/send-rate-cap.ts';
import type { SendOutcome } from '../../core/delivery/transport.ts';
import { anyEndpointWants } from '../../core/webhooks/events.ts';
import { markSendsStarted, releaseStatement, runStatements } from '../../db/repositories/outbox-writes.ts';
import type { Store } from '../../db/store.ts';
import type { DeliveryDeps, DeliverySettings, DrainCounts } from './ports.ts';
import type { Ready } from './prepare-batch.ts';
import type { QueryPlan } from './query-plan.ts';
import { recordOutcome } from './record-outcome.ts';

export interface SendContext {
  settings: DeliverySettings;
  counts: DrainCounts;
  pause: SendPause;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  /** The pass's query allowance, when it has one: a send starts only while its record fits. */
  plan?: QueryPlan | undefined;
}

export async function sendBatch(options: DeliveryDeps, ready: readonly Ready[], context: SendContext) {
  const { settings, counts, pause, clock } = context;
  const random = options.random ?? Math.random;
  const startSend = startMarker(options.store, options.now);
  // Never start a send the lease may not outlast: another sender could take the row over mid-send.
  const leaseMargin = Math.min(30_000, settings.leaseMs / 4);
  const letGo: Ready[] = [];
  let next = 0;
  let inFlight = 0;
  const worker = async () => {
    // While paused nothing more starts; what is left goes back below.
    while (next < ready.length && pause.waitMs(clock()) === 0) {
      const item = ready[next++]!;
      if (
        options.signal?.aborted ||
        options.now() >= item.message.leaseUntil - leaseMargin ||
        (context.plan && !context.plan.mayStart(inFlight, letGo.length + ready.length - next))
      ) {
        letGo.push(item);
        counts.abandoned++;
        continue;
      }
      inFlight++;
      const permit = await takePermit(options, context);
      if (!permit) {
        inFlight--;
        letGo.push(item);
        counts.abandoned++;
        continue;
      }
      if (!(await startSend(item))) {
        // Taken over by another sender: not ours to send or to put back.
        inFlight--;
        permit.release(clock());
        counts.abandoned++;
        continue;
      }
      const outcome = await sendSafely(options, item);
      permit.release(clock());
      if (outcome.kind === 'transport_unavailable') {
        const ms = pause.unavailable(clock());
        if (ms > 0) options.onPause?.(ms, outcome.reason);
      } else {
        pause.reachable();
      }
      await recordOutcome(options.store, item.message, outcome, {
        policy: settings.retry,
        now: options.now(),
        random,
        counts,
        reportSent: anyEndpointWants(options.campaigns.settings.webhooks, 'message.sent'),
      });
      inFlight--;
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(settings.concurrency, ready.length)) }, worker),
  );
  const unsent = ready.slice(next);
  counts.deferred += unsent.length;
  await releaseAll(options.store, [...letGo, ...unsent], options.now());
}

/** Puts claimed, unsent messages back in the queue as they were. */
export async function releaseAll(store: Store, items: readonly Ready[], now: number): Promise<void> {
  await runStatements(
    store,
    items.map((item) => releaseStatement(store, item.message, now)),
  );
}

/**
 * Notes send starts, each sender waiting for the write that includes its
 * message: the starts asked for while one write runs go together in the
 * next, so the cost is one UPDATE per wave of sends, not per message.
 * Resolves false for a message whose lease is no longer this sender's.
 */
function startMarker(store: Store, now: () => number): (item: Ready) => Promise<boolean> {
  let waiting: { item: Ready; resolve: (ours: boolean) => void; reject: (error: unknown) => void }[] = [];
  let writing = false;
  const flush = async () => {
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      try {
        const ours = new Set(
          await markSendsStarted(
            store,
            group.map((g) => g.item.message),
            now(),
          ),
        );
        for (const g of group) g.resolve(ours.has(g.item.message.id));
      } catch (error) {
        for (const g of group) g.reject(error);
      }
    }
    writing = false;
  };
  return (item) =>
    new Promise((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      // A microtask later, so the senders starting in this turn share the write.
      if (writing) return;
      writing = true;
      queueMicrotask(() => void flush());
    });
}

/** Waits for the limiter's permit; null when the pass was stopped meanwhile. */
async function takePermit(options: DeliveryDeps, context: SendContext): Promise<Permit | null> {
  if (!options.limiter) return noPermit;
  for (;;) {
    const permit = options.limiter.take(context.clock());
    if (typeof permit !== 'number') return permit;
    await context.sleep(permit);
    if (options.signal?.aborted) return null;
  }
}

const noPermit: Permit = { release() {} };

async function sendSafely(options: DeliveryDeps, item: Ready): Promise<SendOutcome> {
  try {
    return await options.transport.send(item.prepared.mail);
  } catch (error) {
    // The port promises never to throw; if one does, nobody knows whether the server got the message.
    return {
      kind: 'ambiguous',
      reason: `transport threw: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
