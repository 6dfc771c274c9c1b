// The paid orders the customer-base models read, grouped in SQL per customer
// per UTC purchase day (the day's totals summed), in one currency, one keyset
// page of customers at a time, so a shop's whole history never comes back as
// order rows. The per-customer summary itself is core/prediction/summaries.ts's:
// this hands it one row per purchase day (at = the day's first order) and
// decides nothing. The day is utcDayNumber's floor of placed_at / 24 h (the
// test holds the two to agreement, times before 1970 included). Read-only.
import { sql } from 'drizzle-orm';
import { dayMs } from '../../core/time.ts';
import type { Store } from '../store.ts';
import { int } from './attribution.ts';

export interface PurchaseDayQuery {
  currency: string;
  /** Orders placed after this instant are left out (they have not happened yet at `now`). */
  until: number;
  /** Each row says whether it lies at or before this instant (a calibration end); `until` when there is no split. */
  split: number;
}

export interface PurchaseDayRow {
  customerId: string;
  /** The first paid order's instant of that day (and side of the split). */
  at: number;
  /** The day's paid totals, in the currency's minor units. */
  amountMinor: number;
  /** At or before the split. */
  beforeSplit: boolean;
}

export interface PurchaseDayPage {
  rows: PurchaseDayRow[];
  /** The page's last customer id (the next page's `after`), or null when no customer is left. */
  last: string | null;
}

export interface CurrencyOrders {
  currency: string;
  paidOrders: number;
}

const day = sql.raw(String(dayMs));
/** floor(placed_at / day): SQLite's integer division truncates towards zero, so the remainder is made non-negative first. */
const dayOfPlacedAt = sql`(placed_at - ((placed_at % ${day}) + ${day}) % ${day}) / ${day}`;

/** The currencies of the paid orders up to `until`, the most used first (ties by code). */
export async function paidOrderCurrencies(store: Store, until: number): Promise<CurrencyOrders[]> {
  const rows = await store.db.all<{ currency: string; paid_orders: number }>(sql`
    SELECT currency, count(*) AS paid_orders FROM orders
    WHERE status = 'paid' AND placed_at <= ${int(until)}
    GROUP BY currency ORDER BY paid_orders DESC, currency`);
  return rows.map((row) => ({ currency: row.currency, paidOrders: Number(row.paid_orders) }));
}

/**
 * The purchase days of the next `limit` customers after `after` (in id order)
 * who have a paid order by `until`, whatever its currency (so a page may hold
 * fewer customers in this one); rows in customer, then day order.
 */
export async function purchaseDayPage(
  store: Store,
  query: PurchaseDayQuery,
  after: string,
  limit: number,
): Promise<PurchaseDayPage> {
  const until = int(query.until);
  const [bound] = await store.db.all<{ last: string | null }>(sql`
    SELECT max(customer_id) AS last FROM (
      SELECT DISTINCT customer_id FROM orders INDEXED BY orders_purchases_by_customer_idx
      WHERE status = 'paid' AND customer_id > ${after} AND placed_at <= ${until}
      ORDER BY customer_id LIMIT ${int(limit)}
    )`);
  const last = bound?.last ?? null;
  if (last === null) return { rows: [], last: null };
  const rows = await store.db.all<{
    customer_id: string;
    at: number;
    amount: number;
    before_split: number;
  }>(sql`
    SELECT customer_id, min(placed_at) AS at, sum(total_minor) AS amount,
      placed_at <= ${int(query.split)} AS before_split
    FROM orders INDEXED BY orders_purchases_by_customer_idx
    WHERE status = 'paid' AND customer_id > ${after} AND customer_id <= ${last}
      AND placed_at <= ${until} AND currency = ${query.currency}
    GROUP BY customer_id, ${dayOfPlacedAt}, before_split
    ORDER BY customer_id, at`);
  return {
    rows: rows.map((row) => ({
      customerId: row.customer_id,
      at: Number(row.at),
      amountMinor: Number(row.amount),
      beforeSplit: Number(row.before_split) === 1,
    })),
    last,
  };
}
