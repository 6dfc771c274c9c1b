// Attribution in SQL, set-based: (1) the statements that turn an order batch's
// coupon codes into redemptions, run inside the order batch itself; (2) the
// query that credits every purchase to the message it follows, applying the
// rules of src/core/attribution/rules.ts over the whole store at report time.
// Never loops over orders in JS and never writes outside the ingest batch.
import { type SQL, sql } from 'drizzle-orm';
import { dayMs } from '../../core/attribution/rules.ts';
import type { OrderRecord } from '../../core/ingest/records.ts';
import { maxAmountMinor } from '../../core/money-bounds.ts';
import { normalizeCode } from '../../core/offers/code.ts';
import type { AttributedFact } from '../../core/reports/types.ts';
import { coupons, redemptions } from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Statement, Store } from '../store.ts';

/**
 * Redemptions for the orders of one ingest batch, to run after the order rows
 * are written in the same atomic batch. A paid order whose discount codes hold
 * a coupon of a sent message becomes that coupon's redemption; the unique
 * order_id makes a re-sent order, or one already redeemed through
 * POST /v1/redemptions, a no-op. When an order used two campaign coupons the
 * first code listed wins. Codes match as normalizeCode reads them (case,
 * spaces and dashes do not matter), so the lookup stays on the primary key.
 * Use counts are recomputed from redemptions, as redeemCoupon in coupons.ts
 * does, so they never drift.
 */
export function redemptionStatementsForOrders(store: Store, records: readonly OrderRecord[]): Statement[] {
  // [order id, coupon code in its stored form], in the order the codes were listed.
  const pairs: [string, string][] = [];
  for (const o of records) {
    if (o.status !== 'paid') continue;
    for (const typed of o.discountCodes) {
      const code = normalizeCode(typed);
      if (code !== null) pairs.push([o.id, code]);
    }
  }
  if (pairs.length === 0) return [];
  // One bound JSON value per statement, whatever the batch size (D1 allows 100 parameters).
  const json = sqlJson(pairs);
  // Query builders, not db.run(sql): drizzle's D1 batch cannot bind raw SQL statements.
  return [
    store.db
      .insert(redemptions)
      .select(sql`
        select null, x.code, x.order_id, x.currency, x.total_minor, ${boundedDiscount}, x.placed_at
        from (
          select c.code, c.kind, c.value, o.id as order_id, o.currency, o.total_minor, o.placed_at, p.key,
            (select sum(i.quantity * i.unit_price_minor) from order_items i where i.order_id = o.id)
              as items_subtotal
          from json_each(${json}) p
          join orders o on o.id = json_extract(p.value, '$[0]')
          join coupons c on c.code = json_extract(p.value, '$[1]')
          join messages m on m.id = c.message_id
          where o.status = 'paid' and m.status = 'sent'
        ) x
        order by x.key`)
      .onConflictDoNothing({ target: redemptions.orderId }),
    store.db
      .update(coupons)
      .set({ uses: sql`(select count(*) from redemptions r where r.coupon_code = coupons.code)` })
      .where(sql`coupons.code in (select json_extract(value, '$[1]') from json_each(${json}))`),
  ];
}

// The order total is after the discount; the line items give the subtotal it
// was taken from. Without items, a percentage is worked back from the total.
const discountMinor = `coalesce(case x.kind
    when 'percent_off' then cast(round(coalesce(x.items_subtotal,
      x.total_minor * 100.0 / (100 - x.value)) * x.value / 100.0) as integer)
    when 'amount_off' then min(x.value, coalesce(x.items_subtotal, x.total_minor + x.value))
    else 0 end, 0)`;

// Whatever the rule gives, a discount is never negative (a subtotal of
// returned lines), never more than the lines' subtotal, and never past the
// amount bound (a percentage worked back from a total can be); so a stored
// redemption is always a sane, exactly readable amount.
const boundedDiscount = sql.raw(
  `max(0, min(${discountMinor}, coalesce(x.items_subtotal, ${maxAmountMinor}), ${maxAmountMinor}))`,
);

/** One attributed order: a report's fact, named by its order instead of its step. */
export type AttributedOrder = Pick<
  AttributedFact,
  'messageId' | 'kind' | 'group' | 'currency' | 'totalMinor' | 'placedAt'
> & { orderId: string };

export interface AttributionOptions {
  /** attribution_days per campaign id. */
  attributionDays: Readonly<Record<string, number>>;
  /** For campaigns no longer in the campaign files. */
  defaultAttributionDays: number;
  /** Held-out messages count only once they fell due. */
  now: number;
}

/**
 * A CTE named `attributed` (order_id, message_id, kind, grp, currency,
 * total_minor, placed_at): every paid order credited to at most one message.
 * Redeemed orders go to the coupon's message; the rest to the latest send,
 * click or held-out due time of the same customer whose window covers them.
 */
export function attributedOrdersCte(options: AttributionOptions): SQL {
  const windows = sqlJson(
    Object.fromEntries(Object.entries(options.attributionDays).map(([id, days]) => [id, days * dayMs])),
  );
  const defaultWindow = int(options.defaultAttributionDays * dayMs);
  const now = int(options.now);
  return sql`
    with windows (campaign_id, ms) as (select key, value from json_each(${windows})),
    touches as (
      select m.id as message_id, m.campaign_id, m.customer_id, 'mailed' as grp, m.sent_at as at
      from messages m
      where m.status = 'sent' and m.sent_at is not null and m.customer_id is not null
      union all
      select m.id, m.campaign_id, m.customer_id, 'mailed', e.at
      from tracking_events e join messages m on m.id = e.message_id
      where e.kind = 'click' and m.status = 'sent' and m.customer_id is not null
      union all
      select m.id, m.campaign_id, m.customer_id, 'held_out', m.due_at
      from messages m
      where m.status = 'held_out' and m.due_at <= ${now} and m.customer_id is not null
    ),
    candidates as (
      select o.id as order_id, t.message_id, t.grp, o.currency, o.total_minor, o.placed_at,
        row_number() over (partition by o.id order by t.at desc, t.message_id desc) as rank
      from touches t
      left join windows w on w.campaign_id = t.campaign_id
      join orders o on o.customer_id = t.customer_id and o.status = 'paid'
        and o.placed_at >= t.at and o.placed_at <= t.at + coalesce(w.ms, ${defaultWindow})
      where not exists (
        select 1 from redemptions r join coupons c on c.code = r.coupon_code
        where r.order_id = o.id and c.message_id is not null)
    ),
    attributed as (
      select r.order_id, c.message_id, 'redeemed' as kind, 'mailed' as grp, r.currency,
        r.order_total_minor as total_minor, coalesce(o.placed_at, r.at) as placed_at
      from redemptions r
      join coupons c on c.code = r.coupon_code
      left join orders o on o.id = r.order_id
      where c.message_id is not null and (o.id is null or o.status = 'paid')
      union all
      select order_id, message_id, 'influenced', grp, currency, total_minor, placed_at
      from candidates where rank = 1
    )`;
}

/** Every attributed order, for tests and for per-order exports. */
export async function listAttributedOrders(
  store: Store,
  options: AttributionOptions,
): Promise<AttributedOrder[]> {
  return store.db.all<AttributedOrder>(sql`${attributedOrdersCte(options)}
    select order_id as "orderId", message_id as "messageId", kind, grp as "group", currency,
      total_minor as "totalMinor", placed_at as "placedAt"
    from attributed order by placed_at, order_id`);
}

// libSQL binds JS numbers as floats; integers are inlined after a check.
export function int(value: number): SQL {
  if (!Number.isSafeInteger(value)) throw new Error(`expected an integer, got ${value}`);
  return sql.raw(String(value));
}
