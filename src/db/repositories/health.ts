// A cheap round trip to the database, for /healthz.
import { sql } from 'drizzle-orm';
import type { Store } from '../store.ts';

export async function pingStore(store: Store): Promise<boolean> {
  try {
    await store.db.run(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
