// The sender's side of the outbox: claiming. A claim is one conditional
// UPDATE ... RETURNING, so two senders never take the same row (D1 has no
// interactive transactions, and SQLite runs one statement at a time); a claim
// is a lease, and every later write names the lease it holds (see
// outbox-writes.ts), so a sender whose lease ran out and was taken over
// cannot overwrite the new owner's result. Statuses: scheduled -> sending ->
// sent | scheduled (retry) | failed | cancelled | ambiguous; an ambiguous row
// waits with no lease for its one retry, keeps the status 'ambiguous' while
// that retry holds a lease, and a retry whose lease ran out (the sender died
// mid-send) is failed, never sent a third time.
//
// A lapsed lease is one of two things, told apart by send_started_at. The
// send had started: the sender died with it in flight and the server may
// have the message, so a first send becomes the one ambiguous retry (the
// interrupted attempt counted) and an interrupted retry fails. It had not:
// the sender died or stopped before, perhaps while reading this very
// message, and nothing went out; claimLapsed hands these back one at a time,
// an ambiguous retry still owed its one retry. Every claim adds one to
// `claims`; reading the message whole resets it.
import { and, eq, isNotNull, type SQL, sql } from 'drizzle-orm';
import { messages } from '../schema/index.ts';
import type { Store } from '../store.ts';

export interface ClaimedMessage {
  id: string;
  dedupeKey: string;
  campaignId: string;
  step: number;
  customerId: string | null;
  email: string | null;
  triggerKind: string;
  triggerRef: string;
  /** Fixed at the first send attempt (services/delivery/issue-coupons.ts); null until then. */
  couponCode: string | null;
  /** The currency the sweep noted the message's offer in; null when it carries none. */
  offerCurrency: string | null;
  /** Attempts made before this claim. */
  attempts: number;
  /** This claim is the single retry of an ambiguous or interrupted send. */
  afterAmbiguous: boolean;
  /** Claims since the message was last read whole, this one included. */
  claims: number;
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
  offer_currency: string | null;
  attempts: number;
  claims: number;
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
  OR (status IN ('sending', 'ambiguous') AND lease_until <= ${now})
  OR (status = 'ambiguous' AND lease_until IS NULL AND due_at <= ${now}))`;

interface ClaimOptions {
  now: number;
  leaseMs: number;
  limit: number;
}

/**
 * Claims up to `limit` due messages, oldest due first, leasing them until
 * now + leaseMs: scheduled ones, ambiguous ones awaiting their retry, and
 * interrupted sends (which become that retry).
 */
export async function claimDue(store: Store, options: ClaimOptions): Promise<ClaimedMessage[]> {
  const { now } = options;
  // Each arm reads an index (messages_due_idx, messages_in_flight_idx).
  return claim(
    store,
    options,
    sql`
      SELECT id, due_at FROM messages WHERE status = 'scheduled' AND due_at <= ${now}
      UNION ALL
      SELECT id, due_at FROM messages
      WHERE ${inFlight} AND status = 'sending' AND lease_until <= ${now} AND send_started_at IS NOT NULL
      UNION ALL
      SELECT id, due_at FROM messages
      WHERE ${inFlight} AND status = 'ambiguous' AND lease_until IS NULL AND due_at <= ${now}`,
  );
}

/**
 * Claims one message whose lease lapsed before its send started (a first
 * send, or an ambiguous one's retry). The sender that held it died without
 * an outcome, maybe while reading this message; claimed alone and read
 * alone, a message that kills the process takes only its own claim count
 * up, not its batch's.
 */
export async function claimLapsed(
  store: Store,
  options: Omit<ClaimOptions, 'limit'>,
): Promise<ClaimedMessage | undefined> {
  const [row] = await claim(
    store,
    { ...options, limit: 1 },
    sql`
      SELECT id, due_at FROM messages
      WHERE ${inFlight} AND lease_until <= ${options.now} AND send_started_at IS NULL`,
  );
  return row;
}

async function claim(store: Store, options: ClaimOptions, candidates: SQL): Promise<ClaimedMessage[]> {
  const { now, limit } = options;
  if (limit <= 0) return [];
  const leaseUntil = now + options.leaseMs;
  // SET reads the row as it was: an interrupted send (lapsed 'sending' with
  // its send started) becomes the ambiguous retry, its attempt counted. The
  // outer condition repeats the arms' test, so a row that changed between
  // the inner read and the write is left alone.
  const rows = await store.db.all<ClaimedRow>(sql`
    UPDATE messages
    SET status = CASE WHEN status = 'ambiguous' OR (status = 'sending' AND send_started_at IS NOT NULL)
          THEN 'ambiguous' ELSE 'sending' END,
        attempts = attempts + (status = 'sending' AND send_started_at IS NOT NULL),
        claims = claims + 1, send_started_at = NULL,
        lease_until = ${leaseUntil}, updated_at = ${now}
    WHERE id IN (SELECT id FROM (${candidates}) ORDER BY due_at, id LIMIT ${limit})
    AND ${claimable(now)}
    RETURNING id, dedupe_key, campaign_id, step, customer_id, email, trigger_kind, trigger_ref,
      coupon_code, offer_currency, attempts, claims, status, lease_until, due_at, created_at`);
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
      offerCurrency: row.offer_currency,
      attempts: Number(row.attempts),
      afterAmbiguous: row.status === 'ambiguous',
      claims: Number(row.claims),
      leaseUntil: Number(row.lease_until),
      dueAt: Number(row.due_at),
      createdAt: Number(row.created_at),
    }))
    .sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Fails ambiguous retries whose lease ran out after their send started: the
 * sender died during the one retry, which may or may not have reached the
 * server, so there is no other.
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
    .where(
      and(
        inFlight,
        eq(messages.status, 'ambiguous'),
        sql`${messages.leaseUntil} <= ${now}`,
        isNotNull(messages.sendStartedAt),
      ),
    )
    .returning({ id: messages.id });
  return rows.length;
}
