// POST /v1/events/browse without HTTP: matches each event's shopper to a
// customer (by id, or by address), stores the events of known customers once
// each, and deletes a bounded number of events past the retention in the
// same batch, so the table stays within it without a scheduled job. Events
// before the retention are not stored; events for shoppers who are not
// customers (or were erased) are reported back by row, not refused, so one
// stray visitor does not fail the batch. Never logs an address.
import { type BrowseEvent, browseCutoff, browseEventOutOfRange } from '../../core/tracking/browse-events.ts';
import { affectedRows } from '../../db/affected-rows.ts';
import {
  type BrowseRow,
  browseEventStatements,
  matchShoppers,
  pruneBrowseStatement,
} from '../../db/repositories/browse-events.ts';
import type { Store } from '../../db/store.ts';

export interface BrowseResult {
  stored: number;
  /** Already stored (the same customer, kind, reference and time). */
  duplicates: number;
  /** Older than the retention: not stored. */
  pastRetention: number;
  /** Rows (0-based) whose shopper is no customer here (the shopper is not echoed: it may be an address). */
  unknown: { row: number }[];
}

export async function recordBrowseEvents(
  ports: { store: Store },
  input: { events: readonly BrowseEvent[]; now: number; retentionDays: number },
): Promise<BrowseResult> {
  const { store } = ports;
  const { now, retentionDays } = input;
  const kept = input.events
    .map((event, row) => ({ event, row }))
    .filter(({ event }) => browseEventOutOfRange(event, now, retentionDays) !== 'past_retention');
  const shoppers = kept.map(({ event }) => event.shopper);
  const matched = await matchShoppers(store, {
    ids: [...new Set(shoppers.flatMap((s) => ('customerId' in s ? [s.customerId] : [])))],
    emails: [...new Set(shoppers.flatMap((s) => ('email' in s ? [s.email] : [])))],
  });
  const customerOf = (shopper: BrowseEvent['shopper']) => {
    if ('email' in shopper) return matched.byEmail.get(shopper.email);
    return matched.ids.has(shopper.customerId) ? shopper.customerId : undefined;
  };
  const rows: BrowseRow[] = [];
  const unknown: { row: number }[] = [];
  for (const { event, row } of kept) {
    const customerId = customerOf(event.shopper);
    if (customerId === undefined) unknown.push({ row });
    else rows.push([customerId, event.kind, event.ref, event.at]);
  }
  const inserts = browseEventStatements(store, rows);
  const results = await store.batch([
    ...inserts,
    pruneBrowseStatement(store, browseCutoff(now, retentionDays)),
  ]);
  const stored = results
    .slice(0, inserts.length)
    .reduce<number>((sum, result) => sum + affectedRows(result), 0);
  return {
    stored,
    duplicates: rows.length - stored,
    pastRetention: input.events.length - kept.length,
    unknown,
  };
}
