// The sender's side of the outbox. Claiming is one conditional UPDATE ...
// RETURNING, so two senders never take the same row (D1 has no interactive
// transactions, and SQLite runs one statement at a time); a claim is a lease,
// and every later write names the lease it holds, so a sender whose lease ran
// out and was taken over cannot overwrite the new owner's result. Statuses:
// scheduled -> sending -> sent | scheduled (retry) | failed | cancelled |
// ambiguous; an ambiguous row waits with no lease for its one retry, keeps
// the status 'ambiguous' while that retry holds a lease, and a retry whose
// lease ran out (the sender died mid-send) is failed, never sent a third time.
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { messages } from '../schema/index.ts';
import type { Statement, Store } from '../store.ts';

export interface ClaimedMessage {
  id: string;
  dedupeKey: string;
  campaignId: string;
  step: number;
  customerId: string | null;
  email: string | null;
  triggerKind: string;
  triggerRef: string;
  couponCode: string | null;
  /** Attempts made before this claim. */
  attempts: number;
  /** This claim is the single retry of an ambiguous send. */
  afterAmbiguous: boolean;
  /** The lease this sender holds; every write about the message names it. */
  leaseUntil: number;
  dueAt: number;
  createdAt: number;
}

interface ClaimedRow {
  id: string;
  dedupe_key: string;
  campaign_id: string;
  step: number;
  customer_id: string | null;
  email: string | null;
  trigger_kind: string;
  trigger_ref: string;
  coupon_code: string | null;
  attempts: number;
  status: string;
  lease_until: number;
  due_at: number;
  created_at: number;
}

// Spelled exactly as messages_in_flight_idx's WHERE: SQLite uses a partial
// index only when the query repeats its condition word for word.
const inFlight = sql.raw(`status IN ('sending', 'ambiguous')`);

const claimable = (now: number): SQL => sql`(
  (status = 'scheduled' AND due_at <= ${now})
  OR (status = 'sending' AND lease_until <= ${now})
  OR (status = 'ambiguous' AND lease_until IS NULL AND due_at <= ${now}))`;

/** Claims up to `limit` due messages, oldest due first, leasing them until now + leaseMs. */
export async function claimDue(
  store: Store,
  options: { now: number; leaseMs: number; limit: number },
): Promise<ClaimedMessage[]> {
  const { now, limit } = options;
  if (limit <= 0) return [];
  const leaseUntil = now + options.leaseMs;
  // Each arm reads an index (messages_due_idx, messages_in_flight_idx);
  // the outer condition repeats the test, so a row that changed between the
  // inner read and the write is left alone.
  const rows = await store.db.all<ClaimedRow>(sql`
    UPDATE messages
    SET status = CASE WHEN status = 'ambiguous' THEN 'ambiguous' ELSE 'sending' END,
        lease_until = ${leaseUntil}, updated_at = ${now}
    WHERE id IN (
      SELECT id FROM (
        SELECT id, due_at FROM messages WHERE status = 'scheduled' AND due_at <= ${now}
        UNION ALL
        SELECT id, due_at FROM messages
        WHERE ${inFlight} AND status = 'sending' AND lease_until <= ${now}
        UNION ALL
        SELECT id, due_at FROM messages
        WHERE ${inFlight} AND status = 'ambiguous' AND lease_until IS NULL AND due_at <= ${now}
      ) ORDER BY due_at, id LIMIT ${limit})
    AND ${claimable(now)}
    RETURNING id, dedupe_key, campaign_id, step, customer_id, email, trigger_kind, trigger_ref,
      coupon_code, attempts, status, lease_until, due_at, created_at`);
  return rows
    .map((row) => ({
      id: row.id,
      dedupeKey: row.dedupe_key,
      campaignId: row.campaign_id,
      step: Number(row.step),
      customerId: row.customer_id,
      email: row.email,
      triggerKind: row.trigger_kind,
      triggerRef: row.trigger_ref,
      couponCode: row.coupon_code,
      attempts: Number(row.attempts),
      afterAmbiguous: row.status === 'ambiguous',
      leaseUntil: Number(row.lease_until),
      dueAt: Number(row.due_at),
      createdAt: Number(row.created_at),
    }))
    .sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Fails ambiguous retries whose lease ran out: the sender died during the one
 * retry, which may or may not have reached the server, so there is no other.
 */
export async function failInterruptedRetries(store: Store, now: number): Promise<number> {
  const rows = await store.db
    .update(messages)
    .set({
      status: 'failed',
      leaseUntil: null,
      lastError: 'ambiguous: the sender stopped during the one retry of an ambiguous send',
      updatedAt: now,
    })
    .where(and(inFlight, eq(messages.status, 'ambiguous'), sql`${messages.leaseUntil} <= ${now}`))
    .returning({ id: messages.id });
  return rows.length;
}

/** The row is still ours: same lease, still in flight. */
function held(message: Pick<ClaimedMessage, 'id' | 'leaseUntil'>): SQL {
  return and(
    eq(messages.id, message.id),
    eq(messages.leaseUntil, message.leaseUntil),
    inArray(messages.status, ['sending', 'ambiguous']),
  ) as SQL;
}

export function cancelStatement(
  store: Store,
  message: Pick<ClaimedMessage, 'id' | 'leaseUntil'>,
  reason: string,
  now: number,
): Statement {
  return store.db
    .update(messages)
    .set({ status: 'cancelled', cancelReason: reason, leaseUntil: null, updatedAt: now })
    .where(held(message));
}

/** The URLs behind the click tokens, written before the email can be opened. */
export function linksStatement(
  store: Store,
  message: Pick<ClaimedMessage, 'id' | 'leaseUntil'>,
  links: readonly string[],
  now: number,
): Statement {
  return store.db
    .update(messages)
    .set({ links: JSON.stringify(links), updatedAt: now })
    .where(held(message));
}

export function sentStatement(
  store: Store,
  message: Pick<ClaimedMessage, 'id' | 'leaseUntil'>,
  providerMessageId: string,
  now: number,
): Statement {
  return store.db
    .update(messages)
    .set({
      status: 'sent',
      providerMessageId,
      sentAt: now,
      leaseUntil: null,
      attempts: sql`${messages.attempts} + 1`,
      updatedAt: now,
    })
    .where(held(message));
}

/** Back to the queue: a temporary failure (scheduled) or an ambiguous send awaiting its one retry. */
export function retryStatement(
  store: Store,
  message: Pick<ClaimedMessage, 'id' | 'leaseUntil'>,
  retry: { status: 'scheduled' | 'ambiguous'; dueAt: number; error: string },
  now: number,
): Statement {
  return store.db
    .update(messages)
    .set({
      status: retry.status,
      dueAt: retry.dueAt,
      lastError: retry.error,
      leaseUntil: null,
      attempts: sql`${messages.attempts} + 1`,
      updatedAt: now,
    })
    .where(held(message));
}

export function failedStatement(
  store: Store,
  message: Pick<ClaimedMessage, 'id' | 'leaseUntil'>,
  failure: { error: string; attempted: boolean },
  now: number,
): Statement {
  return store.db
    .update(messages)
    .set({
      status: 'failed',
      lastError: failure.error,
      leaseUntil: null,
      attempts: failure.attempted ? sql`${messages.attempts} + 1` : sql`${messages.attempts}`,
      updatedAt: now,
    })
    .where(held(message));
}

/** Runs statements in atomic batches no larger than the driver allows. */
export async function runStatements(store: Store, statements: Statement[]): Promise<void> {
  const size = store.limits.maxBatchStatements;
  for (let i = 0; i < statements.length; i += size) await store.batch(statements.slice(i, i + size));
}
