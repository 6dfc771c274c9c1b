// Fills the per-customer hashes a sweep deciding in SQL reads (customers.key_hash
// for the holdout draw, customers.email_hash for the suppressions table) for
// the rows that lack them: customers added, or whose address changed, since
// the last sweep. The hashes are computed here in JS by their one owner each
// (stableHash, hashEmailSync) and written back in bound JSON chunks; a partial
// index keeps a sweep with nothing to fill from scanning the table.
import { sql } from 'drizzle-orm';
import { hashEmailSync } from '../../core/email-hash.ts';
import { stableHash } from '../../core/selection/holdout.ts';
import { sqlJson } from '../sql-json.ts';
import type { Store } from '../store.ts';

const chunk = 5000;

/**
 * Fills every missing hash; returns how many customers it visited. A row
 * whose address changed while it was hashed is left for the next sweep, and
 * until then the sweep decides it in JS (decide-in-sql.ts reads no null hash).
 */
export async function fillCustomerHashes(store: Store): Promise<number> {
  let filled = 0;
  let after = '';
  for (;;) {
    const rows = await store.db.all<{ id: string; email: string | null; key_hash: number | null }>(sql`
      SELECT id, email, key_hash FROM customers INDEXED BY customers_unhashed_idx
      WHERE (key_hash IS NULL OR (email_hash IS NULL AND email IS NOT NULL)) AND id > ${after}
      ORDER BY id LIMIT ${chunk}`);
    if (rows.length === 0) return filled;
    after = rows[rows.length - 1]!.id;
    const values = rows.map((row) => [
      row.id,
      row.key_hash ?? stableHash(row.id),
      row.email === null ? null : hashEmailSync(row.email),
      row.email,
    ]);
    // The address is compared again, so one changed since the read gets no hash of the old one.
    await store.db.run(sql`
      UPDATE customers SET key_hash = v.key_hash, email_hash = v.email_hash
      FROM (SELECT j.value ->> 0 AS id, j.value ->> 1 AS key_hash, j.value ->> 2 AS email_hash,
                   j.value ->> 3 AS email FROM json_each(${sqlJson(values)}) j) v
      WHERE customers.id = v.id AND customers.email IS v.email`);
    filled += rows.length;
    if (rows.length < chunk) return filled;
  }
}
