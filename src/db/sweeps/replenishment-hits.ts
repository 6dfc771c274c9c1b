// The replenishment trigger in SQL. Once per sweep, replenishProducts reads
// the products the trigger may mail with their own replenish_days and what
// the shop's re-buys teach about the others: per product, the median over all
// customers of the gaps in days between consecutive distinct UTC days they
// bought it (lag over each customer's purchases of the product; the gaps
// counted per product and length, so only that small table is ranked; of an
// even count the lower middle one, as medianReplenishDays in
// src/core/triggers/replenishment.ts, which a test holds this to on random
// shops). It reads every paid order and its lines once: the sweep's one full
// pass. Then keyset pages of customers with a paid purchase of a product
// inside that product's window (orders_purchases_by_customer_idx walked from
// the cursor, the lines by their order, stopping at `limit` candidates),
// each with their latest purchase of every such product and whether it was
// already messaged. Only orders placed at or before the sweep's `now` count.
// SQL only prefilters by the windows the source hands in; matchReplenishment
// decides who is mailed.
import { type SQL, sql } from 'drizzle-orm';
import type { AudienceNeeds } from '../../core/selection/audience.ts';
import { dayMs } from '../../core/time.ts';
import { sqlJson } from '../sql-json.ts';
import type { Store } from '../store.ts';
import {
  audienceColumns,
  type CustomerFactsRow,
  messageHistoryColumns,
  suppressedColumn,
} from './customer-fact-columns.ts';
import { customerKeySql, dedupeKeySql } from './dedupe-key-sql.ts';
import { type OfferHistoryNeeds, offerHistoryColumns } from './offer-history-columns.ts';
import { replenishRefSql } from './trigger-ref-sql.ts';

/** Inlined, never bound: libSQL binds JS numbers as REAL, and a REAL divisor would not truncate to a day. */
const day = sql.raw(String(dayMs));

/** The UTC day number of an integer ms column: floor division, so times before 1970 too. */
function daySql(at: SQL): SQL {
  return sql`(${at} / ${day} - (${at} % ${day} < 0))`;
}

export interface ReplenishProductRow {
  id: string;
  category: string | null;
  replenish_days: number | null;
  /** Learned from re-buys; null when the product has replenish_days, learning is off or nobody re-bought it. */
  median_days: number | null;
  intervals: number | null;
}

export interface ReplenishProductsQuery {
  now: number;
  /** Only products in these categories; null for all. */
  categories: readonly string[] | null;
  /** Learn intervals for products without replenish_days. */
  learn: boolean;
  /** Only these products (--explain asks about one customer's). */
  productIds?: readonly string[] | undefined;
}

/**
 * The catalog products with replenish_days or at least one re-buy gap, by id.
 * One statement: the learning reads every paid order at or before `now` and
 * its lines of products without replenish_days.
 */
export async function replenishProducts(
  store: Store,
  query: ReplenishProductsQuery,
): Promise<ReplenishProductRow[]> {
  const inCategories =
    query.categories === null
      ? sql``
      : sql`AND p.category IN (SELECT value FROM json_each(${sqlJson(query.categories)}))`;
  const onlyProducts =
    query.productIds === undefined
      ? sql``
      : sql`AND p.id IN (SELECT value FROM json_each(${sqlJson(query.productIds)}))`;
  const purchaseDay = daySql(sql.raw('o.placed_at'));
  const wanted = sql`wanted AS MATERIALIZED (
      SELECT p.id, p.category, p.replenish_days FROM products p WHERE 1 = 1 ${inCategories} ${onlyProducts}
    )`;
  if (!query.learn) {
    return store.db.all<ReplenishProductRow>(sql`
      WITH ${wanted}
      SELECT w.id, w.category, w.replenish_days, NULL AS median_days, NULL AS intervals
      FROM wanted w WHERE w.replenish_days IS NOT NULL ORDER BY w.id`);
  }
  return store.db.all<ReplenishProductRow>(sql`
    WITH ${wanted}, gaps AS (
      -- Each purchase's day less the day of the customer's purchase of the product before it.
      SELECT i.product_id, ${purchaseDay} - lag(${purchaseDay}) OVER (
          PARTITION BY o.customer_id, i.product_id ORDER BY o.placed_at
        ) AS gap
      FROM order_items i JOIN orders o ON o.id = i.order_id
      WHERE o.status = 'paid' AND o.placed_at <= ${query.now} AND i.quantity > 0
        AND +i.product_id IN (SELECT id FROM wanted WHERE replenish_days IS NULL)
    ), counted AS (
      -- A gap of 0 is a second purchase on the same day: distinct days only (and a DISTINCT saved).
      SELECT product_id, gap, count(*) AS n FROM gaps WHERE gap > 0 GROUP BY product_id, gap
    ), running AS (
      SELECT product_id, gap,
        sum(n) OVER (PARTITION BY product_id ORDER BY gap) AS upto,
        sum(n) OVER (PARTITION BY product_id) AS intervals
      FROM counted
    ), learned AS (
      -- The smallest gap with half the gaps at or below it: of an even count the
      -- lower middle, medianReplenishDays' rule.
      SELECT product_id, min(gap) AS median_days, intervals FROM running
      WHERE upto >= (intervals + 1) / 2 GROUP BY product_id
    )
    SELECT w.id, w.category, w.replenish_days, l.median_days, l.intervals
    FROM wanted w LEFT JOIN learned l ON l.product_id = w.id
    WHERE w.replenish_days IS NOT NULL OR l.product_id IS NOT NULL
    ORDER BY w.id`);
}

/** A product the trigger may mail and its window, in whole days after the purchase (replenishDelays). */
export interface DueWindow {
  productId: string;
  dueDays: number;
  lastDays: number;
}

export interface ReplenishmentQuery {
  campaignId: string;
  now: number;
  windows: readonly DueWindow[];
  audience: AudienceNeeds;
  shopCurrency: string;
  capSince: number;
  offerHistory: OfferHistoryNeeds;
  /** Restricts the query to one customer, for --explain. */
  customerId?: string | undefined;
}

export interface ReplenishmentRow extends CustomerFactsRow {
  customer_id: string;
  email: string | null;
  /**
   * JSON array of [product id, latest purchase ms, category, in stock (1, 0 or
   * null), already messaged (1 or 0)], one per product whose latest purchase
   * is inside its window; null when none is (bought again since).
   */
  refills: string | null;
  /** The customer is suppressed, or any customer with the same address is. */
  suppressed: number;
}

/**
 * Customers after `afterCustomerId`, by id, with a paid purchase of a
 * product inside its window: one row each (an empty `refills` when a later
 * purchase of the product moved it out), so the page is `limit` long until
 * the last.
 */
export async function replenishmentPage(
  store: Store,
  query: ReplenishmentQuery,
  afterCustomerId: string,
  limit: number,
): Promise<ReplenishmentRow[]> {
  if (query.windows.length === 0) return [];
  const { now } = query;
  const oldest = now - Math.max(...query.windows.map((w) => w.lastDays)) * dayMs;
  const newest = now - Math.min(...query.windows.map((w) => w.dueDays)) * dayMs;
  const longestSpan = Math.max(...query.windows.map((w) => w.lastDays - w.dueDays));
  const windows = sqlJson(query.windows.map((w) => [w.productId, w.dueDays, w.lastDays]));
  const onlyCustomer = query.customerId === undefined ? sql`` : sql`AND o.customer_id = ${query.customerId}`;
  // The exact `now >= due` and `now <= last` tests, as matchReplenishment makes them.
  const inWindow = (at: SQL) =>
    sql`${at} + w.due_days * ${day} <= ${now} AND ${at} + w.last_days * ${day} >= ${now}`;
  const customerId = sql.raw('k.customer_id');
  return store.db.all<ReplenishmentRow>(sql`
    WITH w AS MATERIALIZED (
      SELECT json_extract(value, '$[0]') AS product_id, json_extract(value, '$[1]') AS due_days,
        json_extract(value, '$[2]') AS last_days
      FROM json_each(${windows})
    ), span(d) AS (
      SELECT 0 UNION ALL SELECT d + 1 FROM span WHERE d < ${sql.raw(String(longestSpan))}
    ), ages AS MATERIALIZED (
      -- Each product with every whole day of age inside its window: an IN list
      -- SQLite indexes, where a join on w would scan it for every line.
      SELECT w.product_id, w.due_days + span.d AS age FROM w JOIN span ON span.d <= w.last_days - w.due_days
    ), candidates AS (
      -- A purchase of a product at an age in whole days inside its window; of
      -- the last day, the whole day (the exact test is in r).
      SELECT DISTINCT o.customer_id
      FROM orders o INDEXED BY orders_purchases_by_customer_idx
        CROSS JOIN order_items i ON i.order_id = o.id
      WHERE o.status = 'paid' AND o.customer_id > ${afterCustomerId} ${onlyCustomer}
        AND o.placed_at >= ${oldest} AND o.placed_at <= ${newest} AND i.quantity > 0
        AND (+i.product_id, CAST((${now} - o.placed_at) / ${day} AS INTEGER)) IN (SELECT product_id, age FROM ages)
      ORDER BY o.customer_id
      LIMIT ${limit}
    ), latest AS (
      SELECT c.customer_id, i.product_id, max(o.placed_at) AS bought_at
      FROM candidates c
        CROSS JOIN orders o INDEXED BY orders_purchases_by_customer_idx ON o.customer_id = c.customer_id
        CROSS JOIN order_items i ON i.order_id = o.id
      WHERE o.status = 'paid' AND o.placed_at >= ${oldest} AND o.placed_at <= ${now} AND i.quantity > 0
        AND +i.product_id IN (SELECT product_id FROM w)
      GROUP BY c.customer_id, i.product_id
    ), r AS (
      SELECT l.customer_id, cu.email, l.product_id, l.bought_at, p.category, p.in_stock
      FROM latest l JOIN w ON w.product_id = l.product_id
        LEFT JOIN customers cu ON cu.id = l.customer_id
        LEFT JOIN products p ON p.id = l.product_id
      WHERE ${inWindow(sql.raw('l.bought_at'))}
    ), due AS (
      SELECT r.customer_id, json_group_array(json_array(r.product_id, r.bought_at, r.category, r.in_stock,
        EXISTS (SELECT 1 FROM messages m WHERE m.dedupe_key = ${replenishmentKey(query.campaignId)}))) AS refills
      FROM r GROUP BY r.customer_id
    ), k AS (
      SELECT c.customer_id, due.refills,
        cu.email, cu.timezone, cu.country, cu.tags, cu.marketing_consent, cu.suppressed_at
      FROM candidates c LEFT JOIN customers cu ON cu.id = c.customer_id
        LEFT JOIN due ON due.customer_id = c.customer_id
    )
    SELECT k.customer_id, k.email, k.refills, k.timezone, k.country, k.tags, k.marketing_consent,
      ${suppressedColumn}
      ${audienceColumns(customerId, query.audience, { shop: query.shopCurrency })}
      ${messageHistoryColumns(customerId, query.campaignId, query.capSince)}
      ${offerHistoryColumns(customerId, query.campaignId, query.offerHistory)}
    FROM k
    ORDER BY k.customer_id`);
}

/** The dedupe key of a purchase row (`r`: customer_id, email, product_id, bought_at): one step. */
export function replenishmentKey(campaignId: string): SQL {
  return dedupeKeySql(
    campaignId,
    0,
    customerKeySql(sql.raw('r.customer_id'), sql.raw('r.email')),
    replenishRefSql(sql.raw('r.product_id'), sql.raw('r.bought_at')),
  );
}

export interface CustomerRefillRow {
  product_id: string;
  bought_at: number;
  category: string | null;
  in_stock: number | null;
}

/** One customer's latest paid purchase of each product at or before `now`, latest first (--explain). */
export async function customerRefills(
  store: Store,
  customerId: string,
  now: number,
): Promise<CustomerRefillRow[]> {
  return store.db.all<CustomerRefillRow>(sql`
    SELECT i.product_id, max(o.placed_at) AS bought_at, p.category, p.in_stock
    FROM orders o JOIN order_items i ON i.order_id = o.id LEFT JOIN products p ON p.id = i.product_id
    WHERE o.customer_id = ${customerId} AND o.status = 'paid' AND o.placed_at <= ${now}
      AND i.quantity > 0 AND i.product_id IS NOT NULL
    GROUP BY i.product_id
    ORDER BY bought_at DESC, i.product_id`);
}
