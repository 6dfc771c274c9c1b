// Writes planned messages into the outbox. The unique dedupe key makes every
// insert idempotent: a second sweep, or one running at the same time, adds
// nothing, and the rows it did add are the ones RETURNING reports.
import { sql } from 'drizzle-orm';
import { messages } from '../schema/index.ts';
import type { Statement, Store } from '../store.ts';
import { jsonRowChunks, jsonRows } from './upsert-helpers.ts';

export type NewMessage = typeof messages.$inferInsert;

/**
 * One INSERT per jsonRowsPerStatement rows, all bound as one JSON value (see
 * jsonRows): a sweep writing a big page builds no placeholder per value.
 */
export function insertMessages(store: Store, rows: readonly NewMessage[]): Statement[] {
  return jsonRowChunks(rows).map((chunk) =>
    store.db
      .insert(messages)
      .select(jsonRows(messages, chunk))
      .onConflictDoNothing({ target: messages.dedupeKey })
      .returning({ dedupeKey: messages.dedupeKey, status: messages.status }),
  );
}

/** Runs the inserts atomically and returns the dedupe keys actually written. */
export async function writeMessages(
  store: Store,
  rows: readonly NewMessage[],
  extra: Statement[] = [],
): Promise<Set<string>> {
  if (rows.length === 0 && extra.length === 0) return new Set();
  const results = (await store.batch([...insertMessages(store, rows), ...extra])) as unknown[];
  const written = new Set<string>();
  for (const result of results) {
    if (!Array.isArray(result)) continue;
    for (const row of result as { dedupeKey?: string }[]) if (row.dedupeKey) written.add(row.dedupeKey);
  }
  return written;
}

export async function countMessages(store: Store): Promise<number> {
  const [row] = await store.db.all<{ n: number }>(sql`select count(*) as n from messages`);
  return row?.n ?? 0;
}

/** A scheduled message whose offer the sweep noted and whose coupon is not issued yet. */
export interface UncodedOffer {
  id: string;
  campaignId: string;
  step: number;
  customerId: string | null;
  offerCurrency: string;
  couponCode: null;
  dueAt: number;
}

/** The scheduled messages due by `dueBy` that carry an offer with no coupon issued yet. */
export async function findUncodedOffers(store: Store, dueBy: number): Promise<UncodedOffer[]> {
  const rows = await store.db.all<{
    id: string;
    campaign_id: string;
    step: number;
    customer_id: string | null;
    offer_currency: string;
    due_at: number;
  }>(sql`
    select id, campaign_id, step, customer_id, offer_currency, due_at from messages
    where status = 'scheduled' and due_at <= ${Math.trunc(dueBy)}
      and offer_currency is not null and coupon_code is null`);
  return rows.map((m) => ({
    id: m.id,
    campaignId: m.campaign_id,
    step: Number(m.step),
    customerId: m.customer_id,
    offerCurrency: m.offer_currency,
    couponCode: null,
    dueAt: Number(m.due_at),
  }));
}
