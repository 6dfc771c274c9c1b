// The abandoned-cart trigger in SQL, one keyset page at a time over the
// partial index of open carts by last activity. SQL only prefilters (open,
// idle past the first step, has items) and gathers facts; the step decision
// stays with matchAbandonedCart in src/core/triggers/abandoned-cart.ts. The
// due step is computed here too, only to look up exactly that dedupe key.
// Never decides who is mailed.
import { type SQL, sql } from 'drizzle-orm';
import type { AudienceNeeds } from '../../core/selection/audience.ts';
import { hourMs } from '../../core/time.ts';
import type { Store } from '../store.ts';
import {
  audienceColumns,
  type CustomerFactsRow,
  messageHistoryColumns,
  suppressedColumn,
} from './customer-fact-columns.ts';
import { customerKeySql, dedupeKeySql } from './dedupe-key-sql.ts';
import { type OfferHistoryNeeds, offerHistoryColumns } from './offer-history-columns.ts';
import { cartRefSql } from './trigger-ref-sql.ts';

export interface CartQuery {
  campaignId: string;
  /** Delay of each step in hours, in step order. */
  delaysHours: readonly number[];
  audience: AudienceNeeds;
  shopCurrency: string;
  now: number;
  capSince: number;
  offerHistory: OfferHistoryNeeds;
  /** Restricts the query to one customer's carts, for --explain. */
  customerId?: string | undefined;
}

/** The keyset position: the last row of the previous page. */
export interface CartCursor {
  lastActivityAt: number;
  cartId: string;
}

export const firstCartCursor: CartCursor = { lastActivityAt: Number.MIN_SAFE_INTEGER, cartId: '' };

/**
 * Every open, idle cart with items comes back, also those no message can go
 * to (no email, already messaged for this step), so paging can go on from
 * the last row and the caller can count why rows were skipped.
 */
export interface CartRow extends CustomerFactsRow {
  cart_id: string;
  customer_id: string | null;
  /** The cart's email, else the customer's. */
  email: string | null;
  value_minor: number;
  cart_currency: string;
  last_activity_at: number;
  item_count: number;
  /** The latest step due by `now`, as matchAbandonedCart picks it. */
  step: number;
  ordered_since: number;
  already_messaged: number;
  /** The customer is suppressed, or any customer with the cart's address is. */
  suppressed: number;
}

export async function cartPage(
  store: Store,
  query: CartQuery,
  after: CartCursor,
  limit: number,
): Promise<CartRow[]> {
  const { now } = query;
  const delays = query.delaysHours.map((hours) => hours * hourMs);
  if (delays.length === 0) return [];
  // last_activity_at <= now - first delay, in the index's terms; the CASE below
  // repeats matchAbandonedCart's exact `now - last >= delay` test per step.
  const idleSince = Math.floor(now - delays[0]!);
  const onlyCustomer = query.customerId === undefined ? sql`` : sql`AND c.customer_id = ${query.customerId}`;
  const customerId = sql.raw('k.customer_id');
  const history = { seriesRef: cartSeriesRef, email: sql.raw('k.email') };
  return store.db.all<CartRow>(sql`
    WITH idle AS (
      SELECT c.id AS cart_id, c.customer_id, c.email AS cart_email, c.value_minor, c.currency AS cart_currency,
        c.last_activity_at,
        ${latestDueStep(delays, now)} AS step
      FROM carts c INDEXED BY carts_open_by_activity_idx
      WHERE c.status = 'open' AND c.last_activity_at <= ${idleSince}
        AND c.last_activity_at >= ${after.lastActivityAt}
        AND (c.last_activity_at > ${after.lastActivityAt} OR c.id > ${after.cartId})
        AND EXISTS (SELECT 1 FROM cart_items i WHERE i.cart_id = c.id AND i.quantity > 0)
        ${onlyCustomer}
      ORDER BY c.last_activity_at, c.id
      LIMIT ${limit}
    ), page AS (
      SELECT idle.*, coalesce(idle.cart_email, cu.email) AS email, cu.timezone, cu.country, cu.tags,
        cu.marketing_consent, cu.suppressed_at
      FROM idle LEFT JOIN customers cu ON cu.id = idle.customer_id
    )
    SELECT k.cart_id, k.customer_id, k.email, k.value_minor, k.cart_currency, k.last_activity_at, k.step,
      k.timezone, k.country, k.tags, k.marketing_consent,
      (SELECT count(*) FROM cart_items i WHERE i.cart_id = k.cart_id AND i.quantity > 0) AS item_count,
      ${suppressedColumn},
      EXISTS (
        SELECT 1 FROM orders o
        WHERE o.customer_id = k.customer_id AND o.status = 'paid' AND o.placed_at > k.last_activity_at
      ) AS ordered_since,
      EXISTS (SELECT 1 FROM messages m WHERE m.dedupe_key = ${cartKey(query.campaignId)}) AS already_messaged
      ${audienceColumns(customerId, query.audience, { shop: query.shopCurrency, first: sql.raw('k.cart_currency') })}
      ${messageHistoryColumns(customerId, query.campaignId, query.capSince, history)}
      ${offerHistoryColumns(customerId, query.campaignId, query.offerHistory, history)}
    FROM page k
    ORDER BY k.last_activity_at, k.cart_id`);
}

/** The highest step index whose delay has passed: the first true branch, tried from the last step down. */
function latestDueStep(delays: readonly number[], now: number): SQL {
  // The index is inlined: libSQL binds every JS number as REAL, and a REAL step
  // would turn into '1.0' inside the dedupe key.
  const branches = delays
    .map((delay, index) => sql`WHEN ${now} - c.last_activity_at >= ${delay} THEN ${sql.raw(String(index))}`)
    .reverse();
  return sql`CASE ${sql.join(branches, sql` `)} ELSE -1 END`;
}

/** A page row's trigger ref: the cart and its activity time (the series its steps share). */
const cartSeriesRef = cartRefSql(sql.raw('k.cart_id'), sql.raw('k.last_activity_at'));

/** The dedupe key of a page row's due step. */
export function cartKey(campaignId: string): SQL {
  return dedupeKeySql(
    campaignId,
    sql.raw('k.step'),
    customerKeySql(sql.raw('k.customer_id'), sql.raw('k.email')),
    cartSeriesRef,
  );
}
