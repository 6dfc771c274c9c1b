// Lookups in the `suppressions` table (SHA-256 hashes of addresses that must
// never be mailed, kept after a customer is erased). Reads only; the hashes
// are computed by hashEmail in src/core/email-hash.ts, never here.
import { sql } from 'drizzle-orm';
import { sqlJson } from '../sql-json.ts';
import type { Store } from '../store.ts';

/** One bound JSON array per statement: far under D1's 100 parameters and its 2 MB value limit. */
const hashesPerStatement = 2000;

export async function hasSuppressions(store: Store): Promise<boolean> {
  const [row] = await store.db.all<{ any: number }>(sql`SELECT EXISTS (SELECT 1 FROM suppressions) AS "any"`);
  return Boolean(row?.any);
}

/** The given hashes that are suppressed. */
export async function suppressedHashes(store: Store, hashes: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < hashes.length; i += hashesPerStatement) {
    const chunk = sqlJson(hashes.slice(i, i + hashesPerStatement));
    const rows = await store.db.all<{ email_hash: string }>(sql`
      SELECT s.email_hash FROM suppressions s
      WHERE s.email_hash IN (SELECT j.value FROM json_each(${chunk}) j)`);
    for (const row of rows) found.add(row.email_hash);
  }
  return found;
}
