// The price-drop trigger in SQL, one keyset page of (drop id, customer id)
// pairs at a time: the drops of the last max_hours that fell by at least
// min_percent (through price_drops_at_idx; the percent test in integers, as
// fellEnough makes it) and whose product is still in stock at the dropped
// price, and per drop the customers who viewed the product, had it in a cart
// or joined its waitlist within `days` before it, with the facts matchPriceDrop
// (src/core/triggers/price-drop.ts) decides on: the latest such interest and
// the customer's latest paid order holding the product. A cart or sign-up
// without a customer id counts for the customer with its address (the
// smallest id, as the back-in-stock sweep resolves sign-ups); one that
// matches no customer is left out. Only what was there at the sweep's now
// counts. Reads only; SQL prefilters, it never decides who is mailed.
import { type SQL, sql } from 'drizzle-orm';
import type { AudienceNeeds } from '../../core/selection/audience.ts';
import { dayMs, hourMs } from '../../core/time.ts';
import { browseKinds } from '../../core/tracking/browse-events.ts';
import { type InterestKind, interestKinds } from '../../core/triggers/price-drop.ts';
import type { Store } from '../store.ts';
import {
  audienceColumns,
  type CustomerFactsRow,
  messageHistoryColumns,
  suppressedColumn,
} from './customer-fact-columns.ts';
import { customerKeySql, dedupeKeySql } from './dedupe-key-sql.ts';
import { type OfferHistoryNeeds, offerHistoryColumns } from './offer-history-columns.ts';
import { literal, priceDropRefSql } from './trigger-ref-sql.ts';

export interface PriceDropQuery {
  campaignId: string;
  minPercent: number;
  days: number;
  maxHours: number;
  now: number;
  audience: AudienceNeeds;
  shopCurrency: string;
  capSince: number;
  offerHistory: OfferHistoryNeeds;
  /** Restricts the customers to one, for --explain. */
  customerId?: string | undefined;
}

/** Where a page starts: after this customer of this drop (drop ids start at 1). */
export interface DropCursor {
  dropId: number;
  customerId: string;
}

export const firstDropCursor: DropCursor = { dropId: 0, customerId: '' };

/** One customer interested in one drop, with the drop, its product now and the customer's facts. */
export interface PriceDropRow extends CustomerFactsRow {
  drop_id: number;
  product_id: string;
  /** The drop as recorded: its currency, the price before and after, when. */
  currency: string;
  from_minor: number;
  to_minor: number;
  dropped_at: number;
  /** The product now; null when the catalog does not have it. */
  in_stock: number | null;
  product_currency: string | null;
  price_minor: number | null;
  customer_id: string;
  email: string | null;
  /** The customer's latest interest within `days` before the drop; of two at one millisecond, the first in interestKinds. */
  interest_at: number;
  interest_kind: InterestKind;
  /** Their latest paid order holding the product, by now; null when none. */
  bought_at: number | null;
  already_messaged: number;
  /** The customer is suppressed, or any customer with the same address is. */
  suppressed: number;
}

const kindSql = (kind: InterestKind) => literal(kind);
const rankSql = (kind: InterestKind) => sql.raw(String(interestKinds.indexOf(kind)));

/** The customer a cart or sign-up without a customer id belongs to: the smallest id with its address. */
const byAddress = (email: SQL) => sql`(SELECT min(cu.id) FROM customers cu WHERE cu.email = ${email})`;

/** The drops the sweep looks at: between max_hours ago and now, fallen far enough, the product still at the dropped price or less. */
function dropsInRange(query: PriceDropQuery, allDrops: boolean): SQL {
  const oldest = query.now - query.maxHours * hourMs;
  const prefilter = allDrops
    ? sql``
    : sql`AND 100 * (d.from_minor - d.to_minor) >= ${query.minPercent} * d.from_minor
      AND p.in_stock = 1 AND upper(p.currency) = upper(d.currency) AND p.price_minor <= d.to_minor`;
  return sql`FROM price_drops d INDEXED BY price_drops_at_idx
      LEFT JOIN products p ON p.id = d.product_id
      WHERE d.at >= ${oldest} AND d.at <= ${query.now} ${prefilter}`;
}

/**
 * The id of the last of the next `count` drops in range after `afterDropId`
 * (null when there are none): a page of pairs covers the drops up to it, so
 * one statement never gathers the interest in every drop of a big sale.
 */
export async function dropBatchEnd(
  store: Store,
  query: PriceDropQuery,
  afterDropId: number,
  count: number,
): Promise<number | null> {
  const rows = await store.db.all<{ id: number }>(sql`
    SELECT max(id) AS id FROM (
      SELECT d.id ${dropsInRange(query, false)} AND d.id > ${afterDropId} ORDER BY d.id LIMIT ${count}
    )`);
  return rows[0]?.id ?? null;
}

/**
 * (drop, customer) pairs after `after`, by drop id then customer id, of the
 * drops in range up to `lastDropId` (every drop in the time range, however
 * small, when `allDrops`: --explain's reasons), each with the customers
 * interested in its product in the `days` before it.
 */
export async function priceDropPage(
  store: Store,
  query: PriceDropQuery,
  after: DropCursor,
  lastDropId: number,
  limit: number,
  options: { allDrops?: boolean } = {},
): Promise<PriceDropRow[]> {
  const window = query.days * dayMs;
  const only = query.customerId;
  const onlyViewer = only === undefined ? sql`` : sql`AND b.customer_id = ${only}`;
  const onlyCustomer = only === undefined ? sql`` : sql`AND i.customer_id = ${only}`;
  const customerId = sql.raw('k.customer_id');
  return store.db.all<PriceDropRow>(sql`
    WITH d AS (
      SELECT d.id AS drop_id, d.product_id, d.currency, d.from_minor, d.to_minor, d.at AS dropped_at,
        p.in_stock, p.currency AS product_currency, p.price_minor
      ${dropsInRange(query, options.allDrops ?? false)} AND d.id >= ${after.dropId} AND d.id <= ${lastDropId}
    ), i AS (
      SELECT d.drop_id, b.customer_id, b.at, ${kindSql('viewed')} AS kind, ${rankSql('viewed')} AS rank
      FROM d JOIN browse_events b
        ON b.kind = ${literal(browseKinds.product_viewed)} AND b.ref = d.product_id
        AND b.at >= d.dropped_at - ${window} AND b.at <= d.dropped_at ${onlyViewer}
      UNION ALL
      SELECT d.drop_id, coalesce(c.customer_id, ${byAddress(sql.raw('c.email'))}), c.last_activity_at,
        ${kindSql('carted')}, ${rankSql('carted')}
      FROM d JOIN cart_items ci ON ci.product_id = d.product_id AND ci.quantity > 0
        JOIN carts c ON c.id = ci.cart_id
      WHERE c.status <> 'converted'
        AND c.last_activity_at >= d.dropped_at - ${window} AND c.last_activity_at <= d.dropped_at
      UNION ALL
      SELECT d.drop_id, coalesce(w.customer_id, ${byAddress(sql.raw('w.email'))}), w.created_at,
        ${kindSql('waitlisted')}, ${rankSql('waitlisted')}
      FROM d JOIN waitlist_entries w ON w.product_id = d.product_id
      WHERE w.created_at >= d.dropped_at - ${window} AND w.created_at <= d.dropped_at
    ), ranked AS (
      SELECT i.drop_id, i.customer_id, i.at, i.kind,
        row_number() OVER (PARTITION BY i.drop_id, i.customer_id ORDER BY i.at DESC, i.rank) AS n
      FROM i
      WHERE (i.drop_id > ${after.dropId} OR (i.drop_id = ${after.dropId} AND i.customer_id > ${after.customerId}))
        ${onlyCustomer}
    ), k AS (
      SELECT r.drop_id, r.customer_id, r.at AS interest_at, r.kind AS interest_kind,
        d.product_id, d.currency, d.from_minor, d.to_minor, d.dropped_at,
        d.in_stock, d.product_currency, d.price_minor,
        cu.email, cu.timezone, cu.country, cu.tags, cu.marketing_consent, cu.suppressed_at
      FROM ranked r JOIN d ON d.drop_id = r.drop_id JOIN customers cu ON cu.id = r.customer_id
      WHERE r.n = 1
      ORDER BY r.drop_id, r.customer_id
      LIMIT ${limit}
    )
    SELECT k.drop_id, k.product_id, k.currency, k.from_minor, k.to_minor, k.dropped_at,
      k.in_stock, k.product_currency, k.price_minor,
      k.customer_id, k.email, k.interest_at, k.interest_kind, k.timezone, k.country, k.tags,
      k.marketing_consent,
      (SELECT max(o.placed_at) FROM orders o JOIN order_items oi ON oi.order_id = o.id
        WHERE o.customer_id = k.customer_id AND o.status = 'paid' AND o.placed_at <= ${query.now}
          AND oi.product_id = k.product_id AND oi.quantity > 0) AS bought_at,
      ${suppressedColumn},
      EXISTS (SELECT 1 FROM messages m WHERE m.dedupe_key = ${priceDropKey(query.campaignId)}) AS already_messaged
      ${audienceColumns(customerId, query.audience, { shop: query.shopCurrency, last: sql.raw('k.currency') })}
      ${messageHistoryColumns(customerId, query.campaignId, query.capSince)}
      ${offerHistoryColumns(customerId, query.campaignId, query.offerHistory)}
    FROM k
    ORDER BY k.drop_id, k.customer_id`);
}

/** The dedupe key of a page row (`k`): a price-drop campaign has one step, one message per drop. */
export function priceDropKey(campaignId: string): SQL {
  return dedupeKeySql(
    campaignId,
    0,
    customerKeySql(sql.raw('k.customer_id'), sql.raw('k.email')),
    priceDropRefSql(sql.raw('k.drop_id')),
  );
}
