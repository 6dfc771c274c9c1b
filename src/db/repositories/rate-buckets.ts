// The shared token buckets (schema/rate-buckets.ts), taken from with one
// atomic statement so several processes, or Worker isolates, on one database
// hold one limit between them. The statement is core's leaseTokens() written
// in SQL, in the same order of operations, so both give the same doubles;
// core stays the oracle (test/node/http/rate-limit-shared.test.ts).
//
// One INSERT ... SELECT ... ON CONFLICT DO UPDATE ... RETURNING per call, for
// any number of keys: each bucket is refilled to `now`, gives up to the whole
// tokens wanted, and is written back with what it gave, so D1 (no interactive
// transactions) and libSQL run the same SQL. Decides nothing beyond that
// arithmetic; who gets the tokens is the caller's business.
import { lte, sql } from 'drizzle-orm';
import type { Lease, LeaseWant } from '../../core/request-limits/shared-buckets.ts';
import { rateBuckets } from '../schema/index.ts';
import type { Store } from '../store.ts';

/** Keys one leaseSharedTokens call may carry on this store: 4 bound values a key, 3 more for the clock. */
export function maxLeaseKeys(store: Store): number {
  // Each batch size is its own SQL text; a few dozen keep the statement cache small.
  return Math.min(64, Math.floor((store.limits.maxParams - 3) / 4));
}

export async function leaseSharedTokens(
  store: Store,
  wants: readonly LeaseWant[],
  now: number,
): Promise<Map<string, Lease>> {
  if (wants.length === 0) return new Map();
  if (new Set(wants.map((w) => w.key)).size !== wants.length) {
    throw new Error('leaseSharedTokens: a key may appear once per call');
  }
  if (wants.length > maxLeaseKeys(store))
    throw new Error('leaseSharedTokens: too many keys for one statement');
  const values = sql.join(
    wants.map(
      ({ key, config, wanted }) => sql`(${key}, ${config.capacity}, ${config.refillPerSecond}, ${wanted})`,
    ),
    sql`, `,
  );
  // refilled: min(capacity, tokens + (elapsed / 1000) * refill), as refilled();
  // granted: min(wanted, floor(refilled)); idle_until as idleUntil():
  // updated_at + ceil(((capacity - tokens) / refill) * 1000).
  const rows = await store.db.all<{ key: string; granted: number; tokens: number }>(sql`
    with wants(key, capacity, refill, wanted) as (values ${values}),
    refilled as (
      select w.key, w.capacity, w.refill, w.wanted,
        case when b.key is null then w.capacity
          else min(w.capacity, b.tokens + (max(0, ${now} - b.updated_at) / 1000.0) * w.refill)
        end as tokens
      from wants w left join rate_buckets b on b.key = w.key
    ),
    granted as (
      select key, capacity, refill, tokens, min(wanted, cast(tokens as integer)) as granted from refilled
    ),
    after as (
      select key, tokens - granted as tokens, granted,
        ((capacity - (tokens - granted)) / refill) * 1000 as wait
      from granted
    )
    insert into rate_buckets (key, tokens, updated_at, granted, idle_until)
    select key, tokens, ${now}, granted, ${now} + cast(wait as integer) + (wait > cast(wait as integer))
    from after where true
    on conflict (key) do update set
      tokens = excluded.tokens, updated_at = excluded.updated_at,
      granted = excluded.granted, idle_until = excluded.idle_until
    returning key, granted, tokens`);
  if (rows.length !== wants.length) throw new Error('leaseSharedTokens: not every bucket was written');
  return new Map(rows.map((r) => [r.key, { granted: r.granted, tokens: r.tokens }]));
}

/**
 * Deletes up to `limit` buckets that are full again (no row means a full
 * bucket). Returns how many went. A scan, once a minute per instance: an index
 * on idle_until would cost every take a second page write.
 */
export async function pruneIdleBuckets(store: Store, now: number, limit = 500): Promise<number> {
  const idle = sql`select ${rateBuckets.key} from ${rateBuckets} where ${lte(rateBuckets.idleUntil, now)} limit ${limit}`;
  const gone = await store.db
    .delete(rateBuckets)
    .where(sql`${rateBuckets.key} in (${idle})`)
    .returning({ key: rateBuckets.key });
  return gone.length;
}
