// Reads and writes behind POST /v1/events/browse (schema/browse.ts): which
// customers a list of events names (by id or by address; erased customers
// are not matched), the inserts that store each event once, and the prune
// that keeps the table within the retention. What the
// events mean is decided in services/tracking/record-browse.ts.
import { sql } from 'drizzle-orm';
import type { BrowseKind } from '../../core/tracking/browse-events.ts';
import { browseEvents } from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Statement, Store } from '../store.ts';

/** One event to store: customer id, kind, reference, at. */
export type BrowseRow = [string, BrowseKind, string, number];

// Lists travel as one JSON parameter each: far under D1's 100 bound parameters.
const rowsPerStatement = 500;
/** Rows one call's prune deletes at most, so a call never pays for a long backlog at once. */
export const prunePerCall = 5000;

/**
 * The customers (not erased) among `ids`, and for each of `emails` the one
 * with that address (the first by id when several share it).
 */
export async function matchShoppers(
  store: Store,
  shoppers: { ids: readonly string[]; emails: readonly string[] },
): Promise<{ ids: Set<string>; byEmail: Map<string, string> }> {
  const ids = new Set<string>();
  const byEmail = new Map<string, string>();
  for (let i = 0; i < Math.max(shoppers.ids.length, shoppers.emails.length); i += rowsPerStatement) {
    const rows = await store.db.all<{ id: string; email: string | null }>(sql`
      SELECT id, email FROM customers
      WHERE erased_at IS NULL AND (
        id IN (SELECT value FROM json_each(${sqlJson(shoppers.ids.slice(i, i + rowsPerStatement))}))
        OR email IN (SELECT value FROM json_each(${sqlJson(shoppers.emails.slice(i, i + rowsPerStatement))})))
      ORDER BY id`);
    const wanted = new Set(shoppers.ids.slice(i, i + rowsPerStatement));
    for (const row of rows) {
      if (wanted.has(row.id)) ids.add(row.id);
      if (row.email !== null && !byEmail.has(row.email)) byEmail.set(row.email, row.id);
    }
  }
  return { ids, byEmail };
}

/**
 * Inserts of the rows not already stored, at most rowsPerStatement rows each.
 * Builders, not db.run(sql): drizzle's D1 batch binds parameters only for
 * builder queries.
 */
export function browseEventStatements(store: Store, rows: readonly BrowseRow[]): Statement[] {
  const statements: Statement[] = [];
  for (let i = 0; i < rows.length; i += rowsPerStatement) {
    const json = sqlJson(rows.slice(i, i + rowsPerStatement));
    statements.push(
      store.db
        .insert(browseEvents)
        .select(
          sql`SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]'),
            json_extract(j.value, '$[3]') FROM json_each(${json}) j WHERE true`,
        )
        .onConflictDoNothing(),
    );
  }
  return statements;
}

/** Deletes up to prunePerCall of the oldest events from before `cutoff`. */
export function pruneBrowseStatement(store: Store, cutoff: number): Statement {
  return store.db
    .delete(browseEvents)
    .where(
      sql`rowid IN (SELECT rowid FROM browse_events WHERE at < ${cutoff} ORDER BY at LIMIT ${prunePerCall})`,
    );
}
