// What the sender writes about a message it holds: its links, that its send
// started, and its outcome (sent, back to the queue, ambiguous, failed,
// cancelled, or put back as it was). Every statement names the lease it was
// claimed under (see outbox.ts), so a sender whose lease was taken over
// writes nothing. Statements only: the sender decides, a repository records.
import { and, eq, inArray, type Placeholder, type SQL, sql } from 'drizzle-orm';
import { messages } from '../schema/index.ts';
import type { Statement, Store } from '../store.ts';
import type { ClaimedMessage } from './outbox.ts';
import { boundWrites } from './prepared.ts';

type Held = Pick<ClaimedMessage, 'id' | 'leaseUntil'>;

/** The row is still ours: same lease, still in flight (the id and lease as values or as placeholders). */
function held(message: { id: string | Placeholder; leaseUntil: number | Placeholder }): SQL {
  return and(
    eq(messages.id, message.id),
    eq(messages.leaseUntil, message.leaseUntil),
    inArray(messages.status, ['sending', 'ambiguous']),
  ) as SQL;
}

/** Off the wire and out of the sender's hands. */
const settled = (now: number) => ({ leaseUntil: null, sendStartedAt: null, updatedAt: now });

export function cancelStatement(store: Store, message: Held, reason: string, now: number): Statement {
  return store.db
    .update(messages)
    .set({ status: 'cancelled', cancelReason: reason, ...settled(now) })
    .where(held(message));
}

/**
 * The URLs behind the click tokens, written before the email can be opened.
 * Also the proof the message was read and rendered whole: its claim count
 * starts again.
 */
export function linksStatement(
  store: Store,
  message: Held,
  links: readonly string[],
  now: number,
): Statement {
  return writeLinks(store, { ...heldValues(message), links: JSON.stringify(links), now });
}

// The two statements of every message sent are built once and only bound (prepared.ts boundWrites).
const writeLinks = boundWrites((store) =>
  store.db
    .update(messages)
    .set({ links: sql`${sql.placeholder('links')}`, claims: 0, updatedAt: sql`${sql.placeholder('now')}` })
    .where(heldBound()),
);

/** held() with the message's id and lease as placeholders (heldValues binds them). */
function heldBound(): SQL {
  return held({ id: sql.placeholder('id'), leaseUntil: sql.placeholder('leaseUntil') });
}

const heldValues = (message: Held) => ({ id: message.id, leaseUntil: message.leaseUntil });

/**
 * Notes that these messages' sends start now, in one statement per few
 * dozen, and returns the ids still held: only those may be handed to the
 * transport. A retry of an ambiguous send is also noted as a resend, for the
 * report. Raw SQL: it runs once per send, and drizzle's query builder costs
 * several times what the UPDATE itself does.
 */
export async function markSendsStarted(store: Store, held: readonly Held[], now: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < held.length; i += 40) {
    const ours = sql.join(
      held.slice(i, i + 40).map((m) => sql`(id = ${m.id} AND lease_until = ${m.leaseUntil})`),
      sql` OR `,
    );
    const rows = await store.db.all<{ id: string }>(sql`
      UPDATE messages
      SET send_started_at = ${now}, resent_at = CASE WHEN status = 'ambiguous' THEN ${now} ELSE resent_at END
      WHERE status IN ('sending', 'ambiguous') AND (${ours})
      RETURNING id`);
    ids.push(...rows.map((row) => row.id));
  }
  return ids;
}

export function sentStatement(
  store: Store,
  message: Held,
  providerMessageId: string,
  now: number,
): Statement {
  return writeSent(store, { ...heldValues(message), providerMessageId, now });
}

const writeSent = boundWrites((store) =>
  store.db
    .update(messages)
    .set({
      status: 'sent',
      providerMessageId: sql`${sql.placeholder('providerMessageId')}`,
      sentAt: sql`${sql.placeholder('now')}`,
      attempts: sql`${messages.attempts} + 1`,
      leaseUntil: null,
      sendStartedAt: null,
      updatedAt: sql`${sql.placeholder('now')}`,
    })
    .where(heldBound()),
);

/** Back to the queue: a temporary failure (scheduled) or an ambiguous send awaiting its one retry. */
export function retryStatement(
  store: Store,
  message: Held,
  retry: { status: 'scheduled' | 'ambiguous'; dueAt: number; error: string },
  now: number,
): Statement {
  return store.db
    .update(messages)
    .set({
      status: retry.status,
      dueAt: retry.dueAt,
      lastError: retry.error,
      attempts: sql`${messages.attempts} + 1`,
      ...settled(now),
    })
    .where(held(message));
}

/**
 * Puts a claimed message back as it was before the claim: due as before, no
 * attempt spent, an ambiguous one still owed its retry (and so not resent).
 * For sends the transport could not take and claims the sender let go of.
 */
export function releaseStatement(store: Store, message: Held, now: number): Statement {
  return store.db
    .update(messages)
    .set({
      status: sql`CASE WHEN ${messages.status} = 'ambiguous' THEN 'ambiguous' ELSE 'scheduled' END`,
      resentAt: null,
      ...settled(now),
    })
    .where(held(message));
}

/**
 * Back to the queue to wait for something outside the message (its coupon
 * code is not at the shop's checkout yet): due again at `dueAt`, no attempt
 * spent, the claim count reset (the message was read whole), an ambiguous
 * one still owed its retry. The reason is kept as last_error.
 */
export function waitStatement(
  store: Store,
  message: Held,
  wait: { dueAt: number; reason: string },
  now: number,
): Statement {
  return store.db
    .update(messages)
    .set({
      status: sql`CASE WHEN ${messages.status} = 'ambiguous' THEN 'ambiguous' ELSE 'scheduled' END`,
      dueAt: wait.dueAt,
      lastError: wait.reason,
      claims: 0,
      resentAt: null,
      ...settled(now),
    })
    .where(held(message));
}

/**
 * The message carried its step's offer when planned, but the step carries
 * none now (the campaign file changed): it goes without a coupon, and no
 * longer counts as coupon-carrying for the offer rule.
 */
export function dropOfferStatement(store: Store, message: Held, now: number): Statement {
  return store.db.update(messages).set({ offerCurrency: null, updatedAt: now }).where(held(message));
}

export function failedStatement(
  store: Store,
  message: Held,
  failure: { error: string; attempted: boolean },
  now: number,
): Statement {
  return store.db
    .update(messages)
    .set({
      status: 'failed',
      lastError: failure.error,
      attempts: failure.attempted ? sql`${messages.attempts} + 1` : sql`${messages.attempts}`,
      ...settled(now),
    })
    .where(held(message));
}

/** Runs statements in atomic batches no larger than the driver allows. */
export async function runStatements(store: Store, statements: Statement[]): Promise<void> {
  const size = store.limits.maxBatchStatements;
  for (let i = 0; i < statements.length; i += size) await store.batch(statements.slice(i, i + size));
}
