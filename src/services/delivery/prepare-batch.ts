// Turns one claimed batch into mail ready for the wire: recheck each message
// against what the database says now and cancel the ones that no longer
// hold, give the rest their coupons at this first attempt (issue-coupons.ts;
// a retry keeps its code), render and compose them, make their coupon codes
// exist at the shop's checkout (checkout-codes.ts: a message whose code is
// not there yet waits, unsent), and store the links of those that go (which
// also marks each as read whole). One message that cannot be read or
// rendered fails with its reason; it never fails its batch or the pass, and
// neither does a message claimed too often without an outcome, which is
// failed unread.
// A database that does not answer at all is not a message's fault: that
// error is thrown, and the claims wait for their leases to lapse.
import { sql } from 'drizzle-orm';
import { type RecheckFacts, type RecheckResult, recheck } from '../../core/delivery/recheck.ts';
import { loggableReason } from '../../core/errors.ts';
import type { ClaimedMessage } from '../../db/repositories/outbox.ts';
import { loadRecheckFacts } from '../../db/repositories/outbox-facts.ts';
import {
  cancelStatement,
  failedStatement,
  linksStatement,
  runStatements,
} from '../../db/repositories/outbox-writes.ts';
import type { Statement, Store } from '../../db/store.ts';
import { ensureCheckoutCodes } from './checkout-codes.ts';
import { issueCoupons, withdrawUnsent } from './issue-coupons.ts';
import type { DeliveryDeps, DeliverySettings, DrainCounts } from './ports.ts';
import { defaultUnsubscribeMailto, type PreparedMail, prepareMail } from './prepare-mail.ts';

export interface Ready {
  message: ClaimedMessage;
  prepared: PreparedMail;
}

export async function prepareBatch(
  options: DeliveryDeps,
  settings: DeliverySettings,
  batch: readonly ClaimedMessage[],
  counts: DrainCounts,
): Promise<Ready[]> {
  const { store } = options;
  const now = options.now();
  const writes: Statement[] = [];
  const fail = (message: ClaimedMessage, error: string) => {
    writes.push(failedStatement(store, message, { error: error.slice(0, 500), attempted: false }, now));
    counts.failed++;
  };
  // Claimed again and again with no outcome: its sender died each time, most
  // likely while reading this message. Failed without reading it once more.
  const readable = batch.filter((message) => {
    if (message.claims <= settings.maxClaims) return true;
    fail(message, `claimed ${message.claims - 1} times without an outcome`);
    return false;
  });
  const ready = readable.length > 0 ? await prepareReadable(options, readable, counts, writes, fail) : [];
  await runStatements(store, writes);
  return ready;
}

async function prepareReadable(
  options: DeliveryDeps,
  batch: readonly ClaimedMessage[],
  counts: DrainCounts,
  writes: Statement[],
  fail: (message: ClaimedMessage, error: string) => void,
): Promise<Ready[]> {
  const { store } = options;
  const { settings } = options.campaigns;
  const now = options.now();
  const facts = await readFacts(store, batch);
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
  const ready: Ready[] = [];
  const cancel = (message: ClaimedMessage, reason: string) => {
    writes.push(cancelStatement(store, message, reason, now));
    counts.cancelled++;
    counts.cancelReasons[reason] = (counts.cancelReasons[reason] ?? 0) + 1;
  };
  const verdicts = new Map<string, Extract<RecheckResult, { send: true }>>();
  for (const message of batch) {
    const known = facts.get(message.id)!;
    if (known instanceof Error) {
      fail(message, `unreadable: ${loggableReason(known)}`);
      continue;
    }
    const verdict = recheck(known, options.campaigns);
    if (verdict.send) verdicts.set(message.id, verdict);
    else cancel(message, verdict.reason);
  }
  // Only mail that passed the recheck gets its coupon, just before it is rendered with it.
  const issued = await issueCoupons(
    options,
    batch.flatMap((message) => {
      const verdict = verdicts.get(message.id);
      return verdict ? [{ message, offer: verdict.step.offer }] : [];
    }),
    { now, writes, counts, fail },
  );
  const rendered: Ready[] = [];
  for (const message of issued.going) {
    const verdict = verdicts.get(message.id)!;
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
      if (!(await answers(store))) throw error;
      // A template that does not render, a row that cannot be read or an
      // address that cannot be written fails this message, not the whole
      // pass; the reason names no recipient.
      fail(
        message,
        `render: ${error instanceof Error ? `${error.name}: ${loggableReason(error)}` : String(error)}`,
      );
      continue;
    }
    if (!prepared) {
      cancel(message, 'content_unavailable');
      continue;
    }
    rendered.push({ message, prepared });
  }
  writes.push(...withdrawUnsent(store, issued, new Set(rendered.map((r) => r.message.id))));
  // Only mail that would go out now gets its code made at the checkout.
  const coded = new Set(
    await ensureCheckoutCodes(
      options,
      rendered.map((r) => r.message),
      { now, writes, counts, fail },
    ),
  );
  for (const item of rendered) {
    if (!coded.has(item.message)) continue;
    // Links go in before the send, so a click can never arrive for links the row lacks.
    writes.push(linksStatement(store, item.message, item.prepared.links, now));
    ready.push(item);
  }
  return ready;
}

/**
 * The batch's recheck facts. When the set-based read fails, each message is
 * read alone, so one row the driver refuses costs only its own message; when
 * every one fails and the database does not answer a trivial query either,
 * the database is down and the error is thrown.
 */
async function readFacts(
  store: Store,
  batch: readonly ClaimedMessage[],
): Promise<Map<string, RecheckFacts | Error>> {
  try {
    return await loadRecheckFacts(store, batch);
  } catch (error) {
    const facts = new Map<string, RecheckFacts | Error>();
    for (const message of batch) {
      try {
        facts.set(message.id, (await loadRecheckFacts(store, [message])).get(message.id)!);
      } catch (alone) {
        facts.set(message.id, alone instanceof Error ? alone : new Error(String(alone)));
      }
    }
    if ([...facts.values()].every((f) => f instanceof Error) && !(await answers(store))) throw error;
    return facts;
  }
}

async function answers(store: Store): Promise<boolean> {
  try {
    await store.db.all(sql`SELECT 1`);
    return true;
  } catch {
    return false;
  }
}
