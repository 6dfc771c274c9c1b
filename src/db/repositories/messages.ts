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
