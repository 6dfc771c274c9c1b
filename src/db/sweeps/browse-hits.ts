// The browse-abandonment trigger in SQL, one keyset page of customers at a
// time: those whose latest product view falls between max_hours and hours
// ago (read through browse_events_at_idx: only the views since max_hours ago
// are touched), with the facts matchBrowseAbandonment
// (src/core/triggers/browse-abandonment.ts) decides on: the product viewed
// and its stock, a cart touched since, a paid order since. Only what was
// there at the sweep's `now` counts (a view, cart or order after it is
// unknown to that sweep), so a demo or a backfill swept at an earlier time
// decides as it did then. SQL only prefilters by the view's age; it never
// decides who is mailed.
import { type SQL, sql } from 'drizzle-orm';
import type { AudienceNeeds } from '../../core/selection/audience.ts';
import { hourMs } from '../../core/time.ts';
import { browseKinds } from '../../core/tracking/browse-events.ts';
import type { Store } from '../store.ts';
import {
  audienceColumns,
  type CustomerFactsRow,
  messageHistoryColumns,
  suppressedColumn,
} from './customer-fact-columns.ts';
import { customerKeySql, dedupeKeySql } from './dedupe-key-sql.ts';
import { type OfferHistoryNeeds, offerHistoryColumns } from './offer-history-columns.ts';
import { browseRefSql, literal } from './trigger-ref-sql.ts';

export interface BrowseQuery {
  campaignId: string;
  hours: number;
  maxHours: number;
  now: number;
  audience: AudienceNeeds;
  shopCurrency: string;
  capSince: number;
  offerHistory: OfferHistoryNeeds;
  /** Restricts the query to one customer, for --explain. */
  customerId?: string | undefined;
}

export interface BrowseRow extends CustomerFactsRow {
  customer_id: string;
  email: string | null;
  /** The latest product view: when, and which product (the smaller id of two in one millisecond). */
  viewed_at: number;
  product_id: string;
  /** 1 or 0; null when the catalog has no such product. */
  in_stock: number | null;
  carted_since: number;
  ordered_since: number;
  already_messaged: number;
  /** The customer is suppressed, or any customer with the same address is. */
  suppressed: number;
}

const productKind = literal(browseKinds.product_viewed);

/** Customers after `afterCustomerId` whose latest product view is in the trigger's range, by id. */
export async function browsePage(
  store: Store,
  query: BrowseQuery,
  afterCustomerId: string,
  limit: number,
): Promise<BrowseRow[]> {
  // The exact `now - at >= hours` and `<= max_hours` tests, as matchBrowseAbandonment makes them.
  const newest = query.now - query.hours * hourMs;
  const oldest = query.now - query.maxHours * hourMs;
  const onlyCustomer = query.customerId === undefined ? sql`` : sql`AND b.customer_id = ${query.customerId}`;
  // Every row is a customer's (browse events are matched to customers when stored).
  const customerId = sql.raw('k.customer_id');
  return store.db.all<BrowseRow>(sql`
    WITH viewed AS (
      SELECT b.customer_id, max(b.at) AS viewed_at
      FROM browse_events b INDEXED BY browse_events_at_idx
      WHERE b.at >= ${oldest} AND b.at <= ${query.now} AND b.kind = ${productKind}
        AND b.customer_id > ${afterCustomerId}
        ${onlyCustomer}
      GROUP BY b.customer_id
      HAVING max(b.at) <= ${newest}
      ORDER BY b.customer_id
      LIMIT ${limit}
    ), k AS (
      SELECT v.customer_id, v.viewed_at,
        (SELECT b.ref FROM browse_events b
          WHERE b.customer_id = v.customer_id AND b.at = v.viewed_at AND b.kind = ${productKind}
          ORDER BY b.ref LIMIT 1) AS product_id,
        cu.email, cu.timezone, cu.country, cu.tags, cu.marketing_consent, cu.suppressed_at
      FROM viewed v JOIN customers cu ON cu.id = v.customer_id
    )
    SELECT k.customer_id, k.email, k.viewed_at, k.product_id, k.timezone, k.country, k.tags,
      k.marketing_consent,
      (SELECT p.in_stock FROM products p WHERE p.id = k.product_id) AS in_stock,
      EXISTS (
        SELECT 1 FROM carts c WHERE c.customer_id = k.customer_id
          AND c.last_activity_at >= k.viewed_at AND c.last_activity_at <= ${query.now}
      ) AS carted_since,
      EXISTS (
        SELECT 1 FROM orders o
        WHERE o.customer_id = k.customer_id AND o.status = 'paid'
          AND o.placed_at > k.viewed_at AND o.placed_at <= ${query.now}
      ) AS ordered_since,
      ${suppressedColumn},
      EXISTS (SELECT 1 FROM messages m WHERE m.dedupe_key = ${browseKey(query.campaignId)}) AS already_messaged
      ${audienceColumns(customerId, query.audience, {
        shop: query.shopCurrency,
        last: sql`(SELECT p.currency FROM products p WHERE p.id = k.product_id)`,
      })}
      ${messageHistoryColumns(customerId, query.campaignId, query.capSince)}
      ${offerHistoryColumns(customerId, query.campaignId, query.offerHistory)}
    FROM k
    ORDER BY k.customer_id`);
}

/** A page row's trigger ref: the product and the time of the latest view. */
const browseRowRef = browseRefSql(sql.raw('k.product_id'), sql.raw('k.viewed_at'));

/** The dedupe key of a page row (`k`): a browse-abandonment campaign has one step. */
export function browseKey(campaignId: string): SQL {
  return dedupeKeySql(
    campaignId,
    0,
    customerKeySql(sql.raw('k.customer_id'), sql.raw('k.email')),
    browseRowRef,
  );
}
