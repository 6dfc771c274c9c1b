// The new-arrivals trigger in SQL. Once per sweep, the arrivals: products in
// stock with a category, first in stock since `days` ago and by the sweep's
// `now` (products_first_in_stock_idx). Then keyset pages of customers, each
// with the facts matchNewArrivals (src/core/triggers/new-arrivals.ts) decides
// on: which of the arrivals' categories they bought from (paid orders by
// now) or browsed (a category viewed, or a product of it), their last
// purchase, and the trigger ref of this campaign's latest live message to
// them. A page returns only customers with such a category (and, when
// idle_days is set, within it: the same bounds the rule tests again), so rows
// leave SQLite only for customers who may be mailed; pageBoundary says where
// each page of customers ends. Reads only; SQL prefilters, the rule decides.
import { sql } from 'drizzle-orm';
import type { NewArrivalsTrigger } from '../../core/campaigns/types.ts';
import type { AudienceNeeds } from '../../core/selection/audience.ts';
import { dayMs } from '../../core/time.ts';
import { browseKinds } from '../../core/tracking/browse-events.ts';
import type { Arrival } from '../../core/triggers/new-arrivals.ts';
import { sqlJson } from '../sql-json.ts';
import type { Store } from '../store.ts';
import {
  audienceColumns,
  type CustomerFactsRow,
  messageHistoryColumns,
  suppressedColumn,
} from './customer-fact-columns.ts';
import { type OfferHistoryNeeds, offerHistoryColumns } from './offer-history-columns.ts';
import { literal } from './trigger-ref-sql.ts';

export interface NewArrivalsQuery {
  campaignId: string;
  now: number;
  idleDays: NewArrivalsTrigger['idleDays'];
  /** The categories of the sweep's arrivals (newArrivalList). */
  categories: readonly string[];
  audience: AudienceNeeds;
  shopCurrency: string;
  capSince: number;
  offerHistory: OfferHistoryNeeds;
  /** Restricts the query to one customer, for --explain. */
  customerId?: string | undefined;
}

export interface NewArrivalsRow extends CustomerFactsRow {
  customer_id: string;
  email: string | null;
  /** JSON array: the customer's categories among the arrivals' ones. */
  categories: string;
  /** The last paid purchase by now; null for none. */
  last_at: number | null;
  /** This campaign's latest message to the customer that was not cancelled: its trigger ref. */
  last_ref: string | null;
  /** The customer is suppressed, or any customer with the same address is. */
  suppressed: number;
}

/** Products in stock with a category whose first-in-stock time is in [since, now]. */
export async function newArrivalList(store: Store, since: number, now: number): Promise<Arrival[]> {
  const rows = await store.db.all<{ id: string; category: string; at: number }>(sql`
    SELECT p.id, p.category, p.first_in_stock_at AS at
    FROM products p INDEXED BY products_first_in_stock_idx
    WHERE p.first_in_stock_at >= ${since} AND p.first_in_stock_at <= ${now}
      AND p.in_stock = 1 AND p.category IS NOT NULL`);
  return rows.map((r) => ({ productId: r.id, category: r.category, firstInStockAt: r.at }));
}

/** The id of the `limit`-th customer after `afterCustomerId` (or the last one); null when none is left. */
export async function pageBoundary(
  store: Store,
  afterCustomerId: string,
  limit: number,
  customerId?: string,
): Promise<string | null> {
  if (customerId !== undefined) return customerId > afterCustomerId ? customerId : null;
  const [row] = await store.db.all<{ id: string | null }>(sql`
    SELECT max(id) AS id FROM (
      SELECT id FROM customers WHERE id > ${afterCustomerId} ORDER BY id LIMIT ${limit})`);
  return row?.id ?? null;
}

/** Customers in (after, upTo] with one of the query's categories, by id. */
export async function newArrivalsPage(
  store: Store,
  query: NewArrivalsQuery,
  afterCustomerId: string,
  upToCustomerId: string,
): Promise<NewArrivalsRow[]> {
  const { now } = query;
  const cats = sql`(SELECT j.value FROM json_each(${sqlJson(query.categories)}) j)`;
  // The rule's exact bounds (idle >= min days, <= max days); it tests them again.
  const { min, max } = query.idleDays;
  const idle = [
    min === null ? sql`` : sql`AND b.last_at <= ${now - min * dayMs}`,
    max === null ? sql`` : sql`AND b.last_at >= ${now - max * dayMs}`,
  ];
  const onlyCustomer = query.customerId === undefined ? sql`` : sql`AND c.id = ${query.customerId}`;
  const customerId = sql.raw('k.customer_id');
  // Each step MATERIALIZED: a flattened one would evaluate its correlated
  // subqueries again wherever the next step names the column.
  return store.db.all<NewArrivalsRow>(sql`
    WITH b AS MATERIALIZED (
      SELECT c.id AS customer_id, c.email, c.timezone, c.country, c.tags, c.marketing_consent, c.suppressed_at,
        (SELECT max(o.placed_at) FROM orders o
          WHERE o.customer_id = c.id AND o.status = 'paid' AND o.placed_at <= ${now}) AS last_at
      FROM customers c
      WHERE c.id > ${afterCustomerId} AND c.id <= ${upToCustomerId} ${onlyCustomer}
    ), k AS MATERIALIZED (
      SELECT b.*,
        (SELECT json_group_array(t.category) FROM (
          SELECT p.category FROM orders o
            JOIN order_items i ON i.order_id = o.id
            JOIN products p ON p.id = i.product_id
            WHERE o.customer_id = b.customer_id AND o.status = 'paid' AND o.placed_at <= ${now} AND p.category IN ${cats}
          UNION
          SELECT v.ref FROM browse_events v
            WHERE v.customer_id = b.customer_id AND v.kind = ${literal(browseKinds.category_viewed)}
              AND v.at <= ${now} AND v.ref IN ${cats}
          UNION
          SELECT p.category FROM browse_events v JOIN products p ON p.id = v.ref
            WHERE v.customer_id = b.customer_id AND v.kind = ${literal(browseKinds.product_viewed)}
              AND v.at <= ${now} AND p.category IN ${cats}
        ) t) AS categories
      FROM b
      WHERE 1 = 1 ${idle[0]} ${idle[1]}
    )
    SELECT k.customer_id, k.email, k.timezone, k.country, k.tags, k.marketing_consent, k.categories, k.last_at,
      (SELECT m.trigger_ref FROM messages m
        WHERE m.customer_id = k.customer_id AND m.campaign_id = ${query.campaignId} AND m.status <> 'cancelled'
        ORDER BY m.created_at DESC LIMIT 1) AS last_ref,
      ${suppressedColumn}
      ${audienceColumns(customerId, query.audience, { shop: query.shopCurrency })}
      ${messageHistoryColumns(customerId, query.campaignId, query.capSince)}
      ${offerHistoryColumns(customerId, query.campaignId, query.offerHistory)}
    FROM k
    WHERE k.categories <> '[]'
    ORDER BY k.customer_id`);
}
