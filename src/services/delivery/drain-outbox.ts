// One pass over the outbox: claim due messages in batches (with a lease),
// recheck each against what the database says now and cancel the ones that no
// longer hold, render and compose the rest, store their links, then send them
// through the transport, `concurrency` at a time and no faster than the rate
// limiter allows, recording each result as it comes. A stopped pass leaves its
// unsent claims leased; they are taken over once the lease runs out.
import type { Permit } from '../../core/delivery/rate-limiter.ts';
import { recheck } from '../../core/delivery/recheck.ts';
import type { SendOutcome } from '../../core/delivery/transport.ts';
import {
  type ClaimedMessage,
  cancelStatement,
  claimDue,
  failedStatement,
  failInterruptedRetries,
  linksStatement,
  runStatements,
} from '../../db/repositories/outbox.ts';
import { loadRecheckFacts } from '../../db/repositories/outbox-facts.ts';
import type { Statement } from '../../db/store.ts';
import {
  type DeliveryDeps,
  type DeliverySettings,
  type DrainCounts,
  defaultDeliverySettings,
  emptyCounts,
} from './ports.ts';
import { defaultUnsubscribeMailto, type PreparedMail, prepareMail } from './prepare-mail.ts';
import { recordOutcome } from './record-outcome.ts';

export interface DrainOptions extends DeliveryDeps {
  /** At most this many messages are claimed in this pass. */
  limit?: number | undefined;
}

interface Ready {
  message: ClaimedMessage;
  prepared: PreparedMail;
}

export async function drainOutbox(options: DrainOptions): Promise<DrainCounts> {
  const settings: DeliverySettings = { ...defaultDeliverySettings, ...options.settings };
  const counts = emptyCounts();
  counts.failed += await failInterruptedRetries(options.store, options.now());
  let remaining = options.limit ?? Number.POSITIVE_INFINITY;
  const claimAndPrepare = async () => {
    const wanted = Math.min(settings.batchSize, remaining);
    const batch = await claimDue(options.store, {
      now: options.now(),
      leaseMs: settings.leaseMs,
      limit: wanted,
    });
    counts.claimed += batch.length;
    remaining -= batch.length;
    const ready = batch.length > 0 ? await prepareBatch(options, batch, counts) : [];
    return { ready, more: batch.length === wanted && remaining > 0 };
  };
  let next: ReturnType<typeof claimAndPrepare> | undefined =
    remaining > 0 && !options.signal?.aborted ? claimAndPrepare() : undefined;
  while (next) {
    const current = await next;
    // The next batch is claimed and rendered while this one is on the wire, so
    // the connections never wait for rendering; its recheck is at most one batch old.
    next = current.more && !options.signal?.aborted ? claimAndPrepare() : undefined;
    await sendAll(options, settings, current.ready, counts);
    if (options.signal?.aborted && next) {
      counts.abandoned += (await next).ready.length;
      next = undefined;
    }
  }
  return counts;
}

async function prepareBatch(
  options: DrainOptions,
  batch: ClaimedMessage[],
  counts: DrainCounts,
): Promise<Ready[]> {
  const { store } = options;
  const { settings } = options.campaigns;
  const now = options.now();
  const facts = await loadRecheckFacts(store, batch);
  const tools = {
    renderer: options.renderer,
    trackLinks: options.trackLinks,
    unsubscribeUrl: options.unsubscribeUrl,
    unsubscribeMailto:
      options.unsubscribeMailto === undefined
        ? defaultUnsubscribeMailto(settings)
        : options.unsubscribeMailto,
    settings,
  };
  const writes: Statement[] = [];
  const ready: Ready[] = [];
  const cancel = (message: ClaimedMessage, reason: string) => {
    writes.push(cancelStatement(store, message, reason, now));
    counts.cancelled++;
    counts.cancelReasons[reason] = (counts.cancelReasons[reason] ?? 0) + 1;
  };
  for (const message of batch) {
    const verdict = recheck(facts.get(message.id)!, options.campaigns);
    if (!verdict.send) {
      cancel(message, verdict.reason);
      continue;
    }
    let prepared: PreparedMail | null;
    try {
      prepared = await prepareMail(
        { id: message.id, dedupeKey: message.dedupeKey, campaignId: message.campaignId, to: message.email! },
        verdict.step,
        (unsubscribeUrl) =>
          options.views.build({
            message,
            campaign: verdict.campaign,
            step: verdict.step,
            settings,
            unsubscribeUrl,
          }),
        tools,
        now,
      );
    } catch (error) {
      // A template that does not render or an address that cannot be written
      // fails this message, not the whole pass; the error names no recipient.
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      writes.push(
        failedStatement(store, message, { error: `render: ${reason}`.slice(0, 500), attempted: false }, now),
      );
      counts.failed++;
      continue;
    }
    if (!prepared) {
      cancel(message, 'content_unavailable');
      continue;
    }
    // Links go in before the send, so a click can never arrive for links the row lacks.
    writes.push(linksStatement(store, message, prepared.links, now));
    ready.push({ message, prepared });
  }
  await runStatements(store, writes);
  return ready;
}

async function sendAll(
  options: DrainOptions,
  settings: DeliverySettings,
  ready: Ready[],
  counts: DrainCounts,
): Promise<void> {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  // Never start a send the lease may not outlast: another sender could take the row over mid-send.
  const leaseMargin = Math.min(30_000, settings.leaseMs / 4);
  let next = 0;
  const worker = async () => {
    while (next < ready.length) {
      const item = ready[next++]!;
      if (options.signal?.aborted || options.now() >= item.message.leaseUntil - leaseMargin) {
        counts.abandoned++;
        continue;
      }
      const permit = await takePermit(options, clock, sleep);
      if (!permit) {
        counts.abandoned++;
        continue;
      }
      const outcome = await sendSafely(options, item);
      permit.release(clock());
      await recordOutcome(options.store, item.message, outcome, {
        policy: settings.retry,
        now: options.now(),
        random,
        counts,
      });
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(settings.concurrency, ready.length)) }, worker),
  );
}

/** Waits for the limiter's permit; null when the pass was stopped meanwhile. */
async function takePermit(
  options: DrainOptions,
  clock: () => number,
  sleep: (ms: number) => Promise<void>,
): Promise<Permit | null> {
  if (!options.limiter) return noPermit;
  for (;;) {
    const permit = options.limiter.take(clock());
    if (typeof permit !== 'number') return permit;
    await sleep(permit);
    if (options.signal?.aborted) return null;
  }
}

const noPermit: Permit = { release() {} };

async function sendSafely(options: DrainOptions, item: Ready): Promise<SendOutcome> {
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
