// What --explain says about a customer no trigger fired for: their paid
// orders before the sweep's now, their open carts, and their latest product
// view with what followed it. Reads only.
import { sql } from 'drizzle-orm';
import { browseKinds } from '../../core/tracking/browse-events.ts';
import type { BrowseFacts } from '../../core/triggers/browse-abandonment.ts';
import type { Store } from '../store.ts';

export interface CustomerTriggerFacts {
  known: boolean;
  paidOrders: number;
  lastPurchaseAt: number | null;
  openCarts: number;
  lastCartActivityAt: number | null;
  /** What the browse-abandonment trigger decides on, as the sweep's SQL gathers it. */
  browse: BrowseFacts;
}

export async function findCustomerTriggerFacts(
  store: Store,
  customerId: string,
  now: number,
): Promise<CustomerTriggerFacts> {
  const [row] = await store.db.all<{
    known: number;
    paid: number;
    last_at: number | null;
    carts: number;
    cart_at: number | null;
    viewed_at: number | null;
    product_id: string | null;
    in_stock: number | null;
    carted_since: number;
    ordered_since: number;
  }>(sql`
    WITH v AS (
      SELECT at AS viewed_at, ref AS product_id FROM browse_events
      WHERE customer_id = ${customerId} AND kind = ${browseKinds.product_viewed} AND at <= ${now}
      ORDER BY at DESC, ref LIMIT 1
    )
    SELECT EXISTS (SELECT 1 FROM customers WHERE id = ${customerId}) AS known,
      (SELECT count(*) FROM orders WHERE customer_id = ${customerId} AND status = 'paid' AND placed_at <= ${now}) AS paid,
      (SELECT max(placed_at) FROM orders WHERE customer_id = ${customerId} AND status = 'paid' AND placed_at <= ${now}) AS last_at,
      (SELECT count(*) FROM carts WHERE customer_id = ${customerId} AND status = 'open') AS carts,
      (SELECT max(last_activity_at) FROM carts WHERE customer_id = ${customerId} AND status = 'open') AS cart_at,
      (SELECT viewed_at FROM v) AS viewed_at, (SELECT product_id FROM v) AS product_id,
      (SELECT p.in_stock FROM products p WHERE p.id = (SELECT product_id FROM v)) AS in_stock,
      EXISTS (SELECT 1 FROM carts c, v WHERE c.customer_id = ${customerId} AND c.last_activity_at >= v.viewed_at AND c.last_activity_at <= ${now}) AS carted_since,
      EXISTS (SELECT 1 FROM orders o, v WHERE o.customer_id = ${customerId} AND o.status = 'paid' AND o.placed_at > v.viewed_at AND o.placed_at <= ${now}) AS ordered_since`);
  return {
    known: Boolean(row?.known),
    paidOrders: row?.paid ?? 0,
    lastPurchaseAt: row?.last_at ?? null,
    openCarts: row?.carts ?? 0,
    lastCartActivityAt: row?.cart_at ?? null,
    browse: {
      lastView:
        row?.viewed_at != null && row.product_id != null
          ? { productId: row.product_id, at: row.viewed_at }
          : null,
      productInStock: row?.in_stock == null ? null : Boolean(row.in_stock),
      cartedSince: Boolean(row?.carted_since),
      orderedSince: Boolean(row?.ordered_since),
    },
  };
}
