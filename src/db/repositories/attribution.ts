// Attribution in SQL, set-based: the query that credits every purchase to the
// message it follows, applying the rules of src/core/attribution/rules.ts over
// the whole store at report time. Read-only. (Coupon codes on ingested orders
// become redemptions in src/services/ingest/ingest-records.ts.)
import { type SQL, sql } from 'drizzle-orm';
import type { AttributedFact } from '../../core/reports/types.ts';
import { dayMs } from '../../core/time.ts';
import { sqlJson } from '../sql-json.ts';
import type { Store } from '../store.ts';

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
 * total_minor, placed_at, discount_minor: the coupon's, 0 when influenced):
 * every paid order credited to at most one message. Redeemed orders go to the
 * coupon's message; the rest to the latest send, click or held-out due time
 * of the same customer whose window covers them.
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
        r.order_total_minor as total_minor, coalesce(o.placed_at, r.at) as placed_at,
        r.discount_minor as discount_minor
      from redemptions r
      join coupons c on c.code = r.coupon_code
      left join orders o on o.id = r.order_id
      where c.message_id is not null and (o.id is null or o.status = 'paid')
      union all
      select order_id, message_id, 'influenced', grp, currency, total_minor, placed_at, 0
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
