// What a loaded shop holds, in the terms the campaigns care about: table sizes,
// the span of the order history, dormant, overdue and loyal customers, open
// carts by idle time, and sold-out products people wait for. Read-only.
import { sql } from 'drizzle-orm';
import { dayMs, hourMs } from '../core/time.ts';
import type { Store } from '../db/store.ts';

/** The definitions the summary counts by; campaigns may pick other thresholds. */
export const segmentRules = {
  dormantDays: 90,
  overdueFactor: 2,
  loyalMinOrders: 3,
  loyalWithinDays: 45,
} as const;

export const summaryTables = [
  'products',
  'customers',
  'orders',
  'order_items',
  'carts',
  'cart_items',
  'waitlist_entries',
  'restocks',
] as const;

export interface ShopSummary {
  tables: Record<(typeof summaryTables)[number], number>;
  orders: {
    first: string | null;
    last: string | null;
    paid: number;
    cancelled: number;
    refunded: number;
    test: number;
  };
  customers: { buyers: number; dormant: number; overdue: number; loyal: number };
  openCarts: { total: number; under1h: number; from1hTo24h: number; from24hTo72h: number; over72h: number };
  outOfStock: { products: number; withWaitlist: number; waitlistEntries: number };
}

export async function summarizeShop(store: Store, now: number): Promise<ShopSummary> {
  // Every table's row count in one query.
  const counts = summaryTables.map((table) => `(select count(*) from "${table}") as "${table}"`);
  const row = await store.db.get<Record<string, number>>(sql.raw(`select ${counts.join(', ')}`));
  const tables = Object.fromEntries(
    summaryTables.map((table) => [table, Number(row?.[table] ?? 0)]),
  ) as ShopSummary['tables'];
  const orders = await store.db.get<Record<string, number | null>>(sql`
    select min(placed_at) as first, max(placed_at) as last,
      sum(status = 'paid') as paid, sum(status = 'cancelled') as cancelled,
      sum(status = 'refunded') as refunded, sum(status = 'test') as test
    from orders`);
  const { dormantDays, overdueFactor, loyalMinOrders, loyalWithinDays } = segmentRules;
  const customers = await store.db.get<Record<string, number | null>>(sql`
    with purchases as (
      select count(*) as n, min(placed_at) as first, max(placed_at) as last
      from orders where status = 'paid' group by customer_id
    ), facts as (
      select n, ${now} - last as idle,
        n >= 2 and ${now} - last > ${overdueFactor} * (last - first) / (n - 1.0) as overdue
      from purchases
    )
    select count(*) as buyers,
      sum(idle > ${dormantDays * dayMs}) as dormant,
      sum(overdue) as overdue,
      sum(n >= ${loyalMinOrders} and idle <= ${loyalWithinDays * dayMs} and not overdue) as loyal
    from facts`);
  const carts = await store.db.get<Record<string, number | null>>(sql`
    select count(*) as total,
      sum(${now} - last_activity_at < ${hourMs}) as under1h,
      sum(${now} - last_activity_at >= ${hourMs} and ${now} - last_activity_at < ${24 * hourMs}) as from1hTo24h,
      sum(${now} - last_activity_at >= ${24 * hourMs} and ${now} - last_activity_at < ${72 * hourMs}) as from24hTo72h,
      sum(${now} - last_activity_at >= ${72 * hourMs}) as over72h
    from carts where status = 'open'`);
  const stock = await store.db.get<Record<string, number | null>>(sql`
    select count(*) as products,
      sum(exists (select 1 from waitlist_entries w where w.product_id = p.id)) as withWaitlist,
      (select count(*) from waitlist_entries w join products q on q.id = w.product_id where q.in_stock = 0)
        as waitlistEntries
    from products p where p.in_stock = 0`);
  const n = (value: number | null | undefined) => Number(value ?? 0);
  return {
    tables,
    orders: {
      first: orders?.first == null ? null : new Date(orders.first).toISOString(),
      last: orders?.last == null ? null : new Date(orders.last).toISOString(),
      paid: n(orders?.paid),
      cancelled: n(orders?.cancelled),
      refunded: n(orders?.refunded),
      test: n(orders?.test),
    },
    customers: {
      buyers: n(customers?.buyers),
      dormant: n(customers?.dormant),
      overdue: n(customers?.overdue),
      loyal: n(customers?.loyal),
    },
    openCarts: {
      total: n(carts?.total),
      under1h: n(carts?.under1h),
      from1hTo24h: n(carts?.from1hTo24h),
      from24hTo72h: n(carts?.from24hTo72h),
      over72h: n(carts?.over72h),
    },
    outOfStock: {
      products: n(stock?.products),
      withWaitlist: n(stock?.withWaitlist),
      waitlistEntries: n(stock?.waitlistEntries),
    },
  };
}
