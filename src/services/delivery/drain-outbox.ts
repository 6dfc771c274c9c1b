// One pass over the outbox: claim due messages in batches (with a lease),
// prepare them (prepare-batch.ts: recheck, render, links) and send them
// (send-batch.ts), each batch claimed and rendered while the one before is on
// the wire. A stopped pass puts its unsent claims back; a killed one leaves
// them leased until the lease runs out.
//
// What keeps one message from stopping delivery:
// - A claim whose lease lapsed before its send started (the sender died or
//   the pass threw) is claimed and read alone (claimLapsed), so a message
//   that kills the process while it is read (a row the driver panics on, no
//   JS catch helps) runs up only its own claim count; past
//   settings.maxClaims it is failed unread, "claimed N times without an
//   outcome". The count restarts whenever the message is read whole.
// - A claim whose lease lapsed after its send started is not counted
//   against that bound but handled as an ambiguous send: resent at most once
//   with the same Message-ID, and failed if that resend is interrupted too.
//   Such a message was read whole before (its send started), and an
//   ambiguous retry that lapses before its own send started is just owed its
//   retry again, through claimLapsed and the same bound.
// - A transport that is unavailable pauses the pass (send-pause.ts): no
//   claims while paused, unsent claims go back as they were, and after the
//   pause one message probes the transport before whole batches go again.
// - A pass with a query allowance (the Worker's per-invocation D1 limit)
//   claims each batch after the one before is recorded, sized to what is
//   left (query-plan.ts), and ends when no message fits; what is due then
//   waits for the next pass.
import { createSendPause } from '../../core/delivery/send-pause.ts';
import {
  type ClaimedMessage,
  claimDue,
  claimLapsed,
  failInterruptedRetries,
} from '../../db/repositories/outbox.ts';
import {
  type DeliveryDeps,
  type DeliverySettings,
  type DrainCounts,
  defaultDeliverySettings,
  emptyDrainCounts,
} from './ports.ts';
import { prepareBatch, type Ready } from './prepare-batch.ts';
import { queryPlan } from './query-plan.ts';
import { maxOutcomeStatements } from './record-outcome.ts';
import { releaseAll, type SendContext, sendBatch } from './send-batch.ts';

export interface DrainOptions extends DeliveryDeps {
  /** At most this many claims are made in this pass. */
  limit?: number | undefined;
}

interface Claimed {
  ready: Ready[];
  /** The claim was full: more may be due. */
  more: boolean;
  /** Messages claimed (ready, cancelled or failed), and the allowance left before the claim. */
  claimed: number;
  leftBefore: number;
}

export async function drainOutbox(options: DrainOptions): Promise<DrainCounts> {
  const settings: DeliverySettings = { ...defaultDeliverySettings, ...options.settings };
  const counts = emptyDrainCounts();
  const pause = options.pause ?? createSendPause();
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => abortableSleep(ms, options.signal));
  const plan = options.queries && queryPlan(options.queries, maxOutcomeStatements(options.store));
  const context: SendContext = { settings, counts, pause, clock, sleep, plan };
  const stopped = () => Boolean(options.signal?.aborted);
  // Not even one message fits the allowance: the pass does nothing at all.
  if (plan && plan.claimable(0) < 1) return counts;
  counts.failed += await failInterruptedRetries(options.store, options.now());
  let remaining = options.limit ?? Number.POSITIVE_INFINITY;
  /** Messages the allowance lets a claim take, with `held` in hand; unlimited without one. */
  const affordable = (held: number) => (plan ? plan.claimable(held) : Number.POSITIVE_INFINITY);

  const claimAndPrepare = async (): Promise<Claimed> => {
    const leftBefore = plan?.left() ?? 0;
    const none = { ready: [], more: false, claimed: 0, leftBefore };
    const wait = pause.waitMs(clock());
    if (wait > 0) {
      if (options.stopWhenPaused) return none;
      await sleep(wait);
    }
    if (stopped()) return none;
    // A transport that just came back from a pause is probed with one message.
    const wanted = Math.min(pause.failing ? 1 : settings.batchSize, remaining);
    const lease = { now: options.now(), leaseMs: settings.leaseMs };
    const ready: Ready[] = [];
    let claimed = 0;
    const take = async (batch: ClaimedMessage[]) => {
      claimed += batch.length;
      counts.claimed += batch.length;
      remaining -= batch.length;
      if (batch.length > 0) ready.push(...(await prepareBatch(options, settings, batch, counts)));
    };
    let lapsed = true;
    while (lapsed && claimed < wanted && affordable(claimed) >= 1) {
      const one = await claimLapsed(options.store, lease);
      if (one) await take([one]);
      else lapsed = false;
    }
    const due = Math.min(wanted - claimed, affordable(claimed));
    if (due > 0) await take(await claimDue(options.store, { ...lease, limit: due }));
    return { ready, more: claimed === wanted && remaining > 0, claimed, leftBefore };
  };

  const goOn = (current: Claimed) => current.more && !stopped() && pause.waitMs(clock()) === 0;
  let next: Promise<Claimed> | undefined = remaining > 0 && !stopped() ? claimAndPrepare() : undefined;
  while (next) {
    const current = await next;
    // The next batch is claimed while this one is on the wire; with an
    // allowance only once this one is recorded, so its size counts the cost.
    next = !plan && goOn(current) ? claimAndPrepare() : undefined;
    const deferredBefore = counts.deferred;
    await sendBatch(options, current.ready, context);
    if (plan) {
      plan.learn(current.leftBefore - plan.left(), current.claimed);
      if (goOn(current) && !pause.failing) next = claimAndPrepare();
    }
    if (!pause.failing && !stopped()) continue;
    // Stopped, or the transport is down: what was claimed ahead goes back as it was.
    if (next) {
      const ahead = (await next).ready;
      if (stopped()) counts.abandoned += ahead.length;
      else counts.deferred += ahead.length;
      await releaseAll(options.store, ahead, options.now());
      next = undefined;
    }
    // What was put back is due again once the pause is over.
    const putBack = counts.deferred > deferredBefore;
    if (putBack && !stopped() && !options.stopWhenPaused && remaining > 0) next = claimAndPrepare();
  }
  return counts;
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
