// What --explain says about a customer no trigger fired for: their paid
// orders before the sweep's now and their open carts. Reads only.
import { sql } from 'drizzle-orm';
import type { Store } from '../store.ts';

export interface CustomerTriggerFacts {
  known: boolean;
  paidOrders: number;
  lastPurchaseAt: number | null;
  openCarts: number;
  lastCartActivityAt: number | null;
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
  }>(sql`
    SELECT EXISTS (SELECT 1 FROM customers WHERE id = ${customerId}) AS known,
      (SELECT count(*) FROM orders WHERE customer_id = ${customerId} AND status = 'paid' AND placed_at <= ${now}) AS paid,
      (SELECT max(placed_at) FROM orders WHERE customer_id = ${customerId} AND status = 'paid' AND placed_at <= ${now}) AS last_at,
      (SELECT count(*) FROM carts WHERE customer_id = ${customerId} AND status = 'open') AS carts,
      (SELECT max(last_activity_at) FROM carts WHERE customer_id = ${customerId} AND status = 'open') AS cart_at`);
  return {
    known: Boolean(row?.known),
    paidOrders: row?.paid ?? 0,
    lastPurchaseAt: row?.last_at ?? null,
    openCarts: row?.carts ?? 0,
    lastCartActivityAt: row?.cart_at ?? null,
  };
}
