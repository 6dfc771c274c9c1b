// One pass over the events outbox: prune what is past its retention, then
// claim due deliveries in batches under a lease (db/repositories/
// outgoing-event-queue.ts), POST each (post-event.ts), and record the batch's
// outcomes in one statement: delivered, tried again after a backoff
// (core/webhooks/retry.ts), or given up. At least once: a deliverer that dies
// mid-batch leaves its leases to lapse and the rows are tried again with the
// same event id, which is what the shop dedupes on.
//
// An endpoint that fails for want of an answer, a 5xx or a 429 is not tried
// again in this pass: its other claimed deliveries go back untried (no attempt
// spent) and later claims leave it out, so a shop that is down costs one
// timeout per pass, not one per event. Other endpoints go on.
import { eventRetentionMs } from '../../core/webhooks/events.ts';
import { afterFailedDelivery } from '../../core/webhooks/retry.ts';
import { type EventSigner, eventSigner } from '../../core/webhooks/signature.ts';
import {
  type ClaimedEvent,
  claimDueEvents,
  type EventOutcome,
  pruneEvents,
  recordEventOutcomes,
} from '../../db/repositories/outgoing-event-queue.ts';
import {
  type DeliverEventsDeps,
  defaultEventDeliverySettings,
  type EventCounts,
  type EventDeliverySettings,
  emptyEventCounts,
} from './ports.ts';
import { postEvent } from './post-event.ts';

/** Queries one batch costs: its claim and its outcomes. */
const queriesPerBatch = 2;

export async function deliverEvents(deps: DeliverEventsDeps): Promise<EventCounts> {
  const settings: EventDeliverySettings = { ...defaultEventDeliverySettings, ...deps.settings };
  const counts = emptyEventCounts();
  const stopped = () => Boolean(deps.signal?.aborted);
  const fits = (queries: number) => !deps.queries || deps.queries.left() >= queries;
  if (deps.endpoints.length === 0 || !fits(1 + queriesPerBatch)) return counts;
  counts.pruned = await pruneEvents(deps.store, deps.now() - eventRetentionMs);

  const signers = new Map<string, EventSigner>(deps.endpoints.map((e) => [e.url, eventSigner(e.secret)]));
  const down = new Set<string>();
  let remaining = deps.limit ?? Number.POSITIVE_INFINITY;
  while (!stopped() && remaining > 0 && fits(queriesPerBatch)) {
    const open = deps.endpoints.map((e) => e.url).filter((url) => !down.has(url));
    const wanted = Math.min(settings.batchSize, remaining);
    const batch = await claimDueEvents(deps.store, {
      now: deps.now(),
      leaseMs: settings.leaseMs,
      limit: wanted,
      endpoints: open,
    });
    counts.claimed += batch.length;
    remaining -= batch.length;
    if (batch.length === 0) break;
    const outcomes = await tryBatch(deps, settings, batch, { signers, down, stopped });
    await recordEventOutcomes(deps.store, outcomes, deps.now());
    for (const outcome of outcomes) {
      if (outcome.kind === 'delivered') counts.delivered++;
      else if (outcome.kind === 'retry') counts.retrying++;
      else if (outcome.kind === 'failed') counts.failed++;
      else counts.released++;
    }
    if (batch.length < wanted) break;
  }
  return counts;
}

async function tryBatch(
  deps: DeliverEventsDeps,
  settings: EventDeliverySettings,
  batch: readonly ClaimedEvent[],
  pass: { signers: Map<string, EventSigner>; down: Set<string>; stopped: () => boolean },
): Promise<EventOutcome[]> {
  const clock = deps.clock ?? Date.now;
  const random = deps.random ?? Math.random;
  const outcomes: EventOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < batch.length) {
      const claimed = batch[next++]!;
      const held = { eventId: claimed.eventId, endpoint: claimed.endpoint, leaseUntil: claimed.leaseUntil };
      const signer = pass.signers.get(claimed.endpoint);
      if (!signer || pass.stopped() || pass.down.has(claimed.endpoint)) {
        outcomes.push({ ...held, kind: 'released' });
        continue;
      }
      const result = await postEvent({
        fetch: deps.fetch,
        url: claimed.endpoint,
        signer,
        event: { id: claimed.eventId, type: claimed.type, createdAt: claimed.createdAt, data: claimed.data },
        at: clock(),
        timeoutMs: settings.timeoutMs,
      });
      if (result.ok) {
        outcomes.push({ ...held, kind: 'delivered' });
        continue;
      }
      if (result.endpointDown) pass.down.add(claimed.endpoint);
      const attempts = claimed.attempts + 1;
      const after = afterFailedDelivery(
        { attempts, createdAt: claimed.createdAt, error: result.error },
        deps.now(),
        random,
      );
      outcomes.push(
        after.kind === 'retry'
          ? { ...held, kind: 'retry', at: after.at, error: result.error }
          : { ...held, kind: 'failed', error: after.reason },
      );
    }
  };
  const workers = Math.max(1, Math.min(settings.concurrency, batch.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes;
}
