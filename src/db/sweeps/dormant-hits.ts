// The dormant trigger in SQL, one keyset page at a time. The aggregate walks
// the partial index on paid orders in customer order, so each page costs what
// its rows cost and the whole audience is never in memory at once. Mirrors
// matchDormant in src/core/triggers/dormant.ts (tested against it).
import { type SQL, sql } from 'drizzle-orm';
import type { AudienceNeeds } from '../../core/selection/audience.ts';
import { dayMs } from '../../core/time.ts';
import type { DormantTrigger } from '../../core/triggers/dormant.ts';
import { sqlJson } from '../sql-json.ts';
import type { Store } from '../store.ts';
import {
  audienceColumnList,
  type Column,
  type CustomerFactsRow,
  column,
  historyColumnList,
  packedRow,
  unpackRows,
} from './customer-fact-columns.ts';
import { dedupeKeySql } from './dedupe-key-sql.ts';
import { type OfferHistoryNeeds, offerHistoryColumnList } from './offer-history-columns.ts';
import { dormantRefSql } from './trigger-ref-sql.ts';

export interface DormantQuery {
  campaignId: string;
  trigger: DormantTrigger;
  audience: AudienceNeeds;
  shopCurrency: string;
  now: number;
  capSince: number;
  offerHistory: OfferHistoryNeeds;
  /** Restricts the query to these customers (--explain's one; those a sweep in SQL leaves to JS). */
  customerIds?: readonly string[] | undefined;
}

/**
 * Every row of the page comes back, even those no message can go to (no
 * email, already messaged for this episode), so the caller can page on the
 * last customer id and count why rows were skipped.
 */
export interface DormantRow extends CustomerFactsRow {
  customer_id: string;
  email: string | null;
  already_messaged: number;
  suppressed_at: number | null;
  purchases: number;
  first_at: number;
  last_at: number;
}

export async function dormantPage(
  store: Store,
  query: DormantQuery,
  after: string,
  limit: number,
): Promise<DormantRow[]> {
  const customerId = sql.raw('p.customer_id');
  const columns: Column[] = [
    column('customer_id', sql`p.customer_id`),
    column('email', sql`c.email`),
    column('timezone', sql`c.timezone`),
    column('country', sql`c.country`),
    column('tags', sql`c.tags`),
    column('marketing_consent', sql`c.marketing_consent`),
    column('suppressed_at', sql`c.suppressed_at`),
    column('purchases', sql`p.purchases`),
    column('first_at', sql`p.first_at`),
    column('last_at', sql`p.last_at`),
    column('already_messaged', alreadyMessaged(query.campaignId)),
    ...audienceColumnList(customerId, { ...query.audience, purchases: false }, { shop: query.shopCurrency }),
    ...historyColumnList(customerId, query.campaignId, query.capSince),
    ...offerHistoryColumnList(customerId, query.campaignId, query.offerHistory),
  ];
  const rows = await store.db.all<{ packed: string }>(sql`
    WITH ${purchasesCte(query, after, limit)}
    SELECT ${packedRow(columns)}
    FROM purchases p LEFT JOIN customers c ON c.id = p.customer_id
    ORDER BY p.customer_id`);
  return unpackRows<DormantRow>(rows, columns);
}

/**
 * `purchases AS (...)`: one keyset page of the customers the trigger matches
 * (customer_id, purchases, first_at, last_at), in customer order. Shared by
 * the page the rules decide in JS and the one decided in SQL
 * (dormant-decisions.ts).
 */
export function purchasesCte(
  query: Pick<DormantQuery, 'trigger' | 'now' | 'customerIds'>,
  after: string,
  limit: number,
): SQL {
  const { trigger, now } = query;
  const idleBefore = now - trigger.days * dayMs;
  const conditions = [sql`max(placed_at) < ${idleBefore}`, sql`count(*) >= ${trigger.minOrders}`];
  if (trigger.maxDays !== null) conditions.push(sql`max(placed_at) >= ${now - trigger.maxDays * dayMs}`);
  if (trigger.cadenceFactor !== null) {
    // idle > factor x mean gap, with mean gap = (last - first) / (n - 1)
    conditions.push(
      sql`count(*) >= 2 AND (${now} - max(placed_at)) * (count(*) - 1) > ${trigger.cadenceFactor} * (max(placed_at) - min(placed_at))`,
    );
  }
  const only =
    query.customerIds === undefined
      ? sql``
      : sql`AND customer_id IN (SELECT j.value FROM json_each(${sqlJson(query.customerIds)}) j)`;
  return sql`purchases AS (
      SELECT customer_id, count(*) AS purchases, min(placed_at) AS first_at, max(placed_at) AS last_at
      FROM orders INDEXED BY orders_purchases_by_customer_idx
      -- Orders after the sweep's now do not exist yet when history is replayed.
      WHERE status = 'paid' AND customer_id > ${after} AND placed_at <= ${now} ${only}
      GROUP BY customer_id
      HAVING ${sql.join(conditions, sql` AND `)}
      ORDER BY customer_id
      LIMIT ${limit}
    )`;
}

/** Whether the page row's dormancy episode was messaged by the campaign already. */
export function alreadyMessaged(campaignId: string): SQL {
  return sql`EXISTS (SELECT 1 FROM messages m WHERE m.dedupe_key = ${dormantKey(campaignId)})`;
}

/** The dedupe key of a page row's dormancy episode (a dormant campaign has one step). */
export function dormantKey(campaignId: string): SQL {
  return dedupeKeySql(campaignId, 0, sql`p.customer_id`, dormantRefSql(sql`p.last_at`));
}
