// The back-in-stock trigger in SQL: the products that came back (latest
// restock row, in stock now) and someone waits for, then per product its
// pending waitlist entries oldest first and the open carts holding it, each a
// keyset page with the facts the selection rules need. Reads only, except
// markNotified, which the runner batches with the messages it writes.
import { and, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { AudienceNeeds } from '../../core/selection/audience.ts';
import { restockRef } from '../../core/triggers/trigger-ref.ts';
import { waitlistEntries } from '../schema/index.ts';
import type { Statement, Store } from '../store.ts';
import { audienceColumns, type CustomerFactsRow, messageHistoryColumns } from './customer-fact-columns.ts';
import { customerKeySql, dedupeKeySql } from './dedupe-key-sql.ts';
import { type OfferHistoryNeeds, offerHistoryColumns } from './offer-history-columns.ts';
import { heldCartInstanceSql, restockRefSql, waitlistInstanceSql } from './trigger-ref-sql.ts';

export interface BackInStockQuery {
  campaignId: string;
  includeCarts: boolean;
  audience: AudienceNeeds;
  shopCurrency: string;
  capSince: number;
  offerHistory: OfferHistoryNeeds;
  /** Restricts waitlist entries and carts to one customer, for --explain. */
  customerId?: string | undefined;
}

export interface RestockRow {
  product_id: string;
  restock_id: number;
  /** Units that came back; null when the platform only reports in/out of stock. */
  quantity: number | null;
  restocked_at: number;
  /** Messages already written against this restock's allocation (see sentColumn). */
  sent: number;
}

/**
 * Products in stock now whose latest restock row exists and that someone may
 * be waiting for: a pending waitlist entry or, when asked, an open cart
 * holding it. Keyset pages by product id.
 */
export async function restockPage(
  store: Store,
  query: BackInStockQuery,
  afterProductId: string,
  limit: number,
): Promise<RestockRow[]> {
  const carts = query.includeCarts
    ? sql`UNION
      SELECT i.product_id FROM cart_items i JOIN carts c ON c.id = i.cart_id
      WHERE c.status = 'open' AND i.quantity > 0 AND i.product_id > ${afterProductId}`
    : sql``;
  return store.db.all<RestockRow>(sql`
    WITH waited AS (
      SELECT DISTINCT w.product_id FROM waitlist_entries w INDEXED BY waitlist_pending_by_product_idx
      WHERE w.notified_at IS NULL AND w.product_id > ${afterProductId}
      ${carts}
    )
    SELECT p.id AS product_id, r.id AS restock_id, r.quantity, r.at AS restocked_at,
      ${sentColumn(query.campaignId, restockRefSql(sql.raw('r.id')))}
    FROM waited k
    JOIN products p ON p.id = k.product_id
    JOIN restocks r ON r.id = (
      SELECT r2.id FROM restocks r2 WHERE r2.product_id = p.id ORDER BY r2.at DESC, r2.id DESC LIMIT 1
    )
    WHERE p.in_stock = 1
    ORDER BY p.id
    LIMIT ${limit}`);
}

/**
 * Messages of the campaign that used a restock's allocation: every written
 * one but the held-out ones. The control group is told nothing, so it must
 * not take units from people who will be told; its entries are still marked
 * notified, so nobody is held out twice. Read in the same statement as the rows it limits,
 * so the count and the queue come from one snapshot: a concurrent sweep's
 * messages and notified marks are either both seen or neither.
 */
function sentColumn(campaignId: string, triggerRef: SQL): SQL {
  return sql`(SELECT count(*) FROM messages m
    WHERE m.trigger_kind = 'back_in_stock' AND m.campaign_id = ${campaignId} AND m.trigger_ref = ${triggerRef}
      AND m.status NOT IN ('cancelled', 'held_out')) AS sent`;
}

export interface WaitlistCursor {
  createdAt: number;
  entryId: string;
}

export const firstWaitlistCursor: WaitlistCursor = { createdAt: Number.MIN_SAFE_INTEGER, entryId: '' };

/** Facts shared by waitlist and cart rows. */
export interface RecipientFacts extends CustomerFactsRow {
  /** The restock's sent count in this row's snapshot; the same on every row of a page. */
  sent: number;
  /** The entry's or cart's customer, else (waitlist only) a customer with that address. */
  customer_id: string | null;
  email: string | null;
  already_messaged: number;
  /** The customer is suppressed, or any customer with this address is. */
  suppressed: number;
}

export interface WaitlistRow extends RecipientFacts {
  entry_id: string;
  created_at: number;
}

/** Pending entries (never notified) for one product, oldest sign-up first. */
export async function waitlistPage(
  store: Store,
  query: BackInStockQuery,
  restock: RestockRow,
  after: WaitlistCursor,
  limit: number,
): Promise<WaitlistRow[]> {
  const resolvedCustomer = sql`coalesce(w.customer_id, (SELECT min(cu.id) FROM customers cu WHERE cu.email = w.email))`;
  const onlyCustomer =
    query.customerId === undefined ? sql`` : sql`AND ${resolvedCustomer} = ${query.customerId}`;
  const customerId = sql.raw('e.customer_id');
  return store.db.all<WaitlistRow>(sql`
    WITH e AS (
      SELECT w.id AS entry_id, w.email, w.created_at, ${resolvedCustomer} AS customer_id
      FROM waitlist_entries w INDEXED BY waitlist_pending_by_product_idx
      WHERE w.product_id = ${restock.product_id} AND w.notified_at IS NULL
        AND w.created_at >= ${after.createdAt}
        AND (w.created_at > ${after.createdAt} OR w.id > ${after.entryId})
        ${onlyCustomer}
      ORDER BY w.created_at, w.id
      LIMIT ${limit}
    )
    SELECT e.entry_id, e.email, e.created_at, e.customer_id, c.timezone, c.country, c.tags, c.marketing_consent,
      ${sentColumn(query.campaignId, sql`${restockRef(restock.restock_id)}`)},
      (c.suppressed_at IS NOT NULL OR ${addressSuppressed(sql.raw('e.email'))}) AS suppressed,
      EXISTS (SELECT 1 FROM messages m WHERE m.dedupe_key = ${waitlistKey(query.campaignId)}) AS already_messaged
      ${audienceColumns(customerId, query.audience, {
        shop: query.shopCurrency,
        last: sql`(SELECT p.currency FROM products p WHERE p.id = ${restock.product_id})`,
      })}
      ${messageHistoryColumns(customerId, query.campaignId, query.capSince, { email: sql.raw('e.email') })}
      ${offerHistoryColumns(customerId, query.campaignId, query.offerHistory, { email: sql.raw('e.email') })}
    FROM e LEFT JOIN customers c ON c.id = e.customer_id
    ORDER BY e.created_at, e.entry_id`);
}

export interface HeldCartRow extends RecipientFacts {
  cart_id: string;
}

/**
 * Open carts holding the product that were last touched before it came back:
 * a cart filled while the product was in stock has nothing to be told.
 */
export async function heldCartPage(
  store: Store,
  query: BackInStockQuery,
  restock: RestockRow,
  afterCartId: string,
  limit: number,
): Promise<HeldCartRow[]> {
  const onlyCustomer = query.customerId === undefined ? sql`` : sql`AND c.customer_id = ${query.customerId}`;
  const customerId = sql.raw('h.customer_id');
  return store.db.all<HeldCartRow>(sql`
    WITH h AS (
      SELECT c.id AS cart_id, c.customer_id, coalesce(c.email, cu.email) AS email, c.currency,
        cu.timezone, cu.country, cu.tags, cu.marketing_consent, cu.suppressed_at
      FROM carts c LEFT JOIN customers cu ON cu.id = c.customer_id
      WHERE c.status = 'open' AND c.id > ${afterCartId} AND c.last_activity_at <= ${restock.restocked_at}
        AND c.id IN (
          SELECT i.cart_id FROM cart_items i WHERE i.product_id = ${restock.product_id} AND i.quantity > 0
        )
        ${onlyCustomer}
      ORDER BY c.id
      LIMIT ${limit}
    )
    SELECT h.cart_id, h.customer_id, h.email, h.timezone, h.country, h.tags, h.marketing_consent,
      ${sentColumn(query.campaignId, sql`${restockRef(restock.restock_id)}`)},
      (h.suppressed_at IS NOT NULL OR ${addressSuppressed(sql.raw('h.email'))}) AS suppressed,
      EXISTS (
        SELECT 1 FROM messages m WHERE m.dedupe_key = ${heldCartKey(query.campaignId, restock.product_id)}
      ) AS already_messaged
      ${audienceColumns(customerId, query.audience, { shop: query.shopCurrency, first: sql.raw('h.currency') })}
      ${messageHistoryColumns(customerId, query.campaignId, query.capSince, { email: sql.raw('h.email') })}
      ${offerHistoryColumns(customerId, query.campaignId, query.offerHistory, { email: sql.raw('h.email') })}
    FROM h
    ORDER BY h.cart_id`);
}

/**
 * Marks waitlist entries as notified, to run in the batch that writes their
 * messages: an entry is then never offered again, whatever its product does.
 */
export function markNotified(store: Store, entryIds: readonly string[], now: number): Statement[] {
  const perStatement = Math.max(1, store.limits.maxParams - 1);
  const statements: Statement[] = [];
  for (let i = 0; i < entryIds.length; i += perStatement) {
    const ids = entryIds.slice(i, i + perStatement);
    statements.push(
      store.db
        .update(waitlistEntries)
        .set({ notifiedAt: now })
        .where(and(inArray(waitlistEntries.id, ids), isNull(waitlistEntries.notifiedAt))),
    );
  }
  return statements;
}

/** A suppressed address stays suppressed whichever customer row (or none) it arrives with. */
function addressSuppressed(email: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM customers s WHERE s.email = ${email} AND s.suppressed_at IS NOT NULL)`;
}

/** The dedupe key of a waitlist page row (`e`): a back-in-stock campaign has one step. */
export function waitlistKey(campaignId: string): SQL {
  return dedupeKeySql(
    campaignId,
    0,
    customerKeySql(sql.raw('e.customer_id'), sql.raw('e.email')),
    waitlistInstanceSql(sql.raw('e.entry_id')),
  );
}

/** The dedupe key of a held-cart page row (`h`) for one product. */
export function heldCartKey(campaignId: string, productId: string): SQL {
  return dedupeKeySql(
    campaignId,
    0,
    customerKeySql(sql.raw('h.customer_id'), sql.raw('h.email')),
    heldCartInstanceSql(sql`${productId}`, sql.raw('h.cart_id')),
  );
}
