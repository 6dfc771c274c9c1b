// A few weeks of believable customer behaviour after a sweep, for the demo and
// the dashboard test: deliveries, opens (some by privacy proxies), clicks, a
// few unsubscribes and complaints, orders with the campaigns' coupons, orders
// without them inside the attribution window, and a holdout that buys less.
// Deterministic: every draw comes from the seed and the message's dedupe key,
// never from Math.random or the clock. Orders go through the same ingest
// statements as the API, so the attribution hook runs on them. Demo only: it
// writes tracking events directly and must never run against a real shop.
import { inArray, sql } from 'drizzle-orm';
import type { CampaignSet } from '../core/campaigns/types.ts';
import type { OrderRecord } from '../core/ingest/records.ts';
import { chunkForParams, columnCount } from '../db/repositories/upsert-helpers.ts';
import { customers, trackingEvents } from '../db/schema/index.ts';
import type { Statement, Store } from '../db/store.ts';
import { ingestStatements } from '../services/ingest/ingest-records.ts';
import { deriveSeed, hashSeed, Rng } from './random.ts';

const minuteMs = 60_000;
const dayMs = 86_400_000;

export interface SimulateOptions {
  /** Behaviour happens up to this time (epoch ms); nothing is placed after it. */
  until: number;
  campaigns: CampaignSet;
  seed?: string;
}

export interface SimulationSummary {
  /** Scheduled messages due by `until` that this run marked sent (delivery had not). */
  markedSent: number;
  mailed: number;
  heldOut: number;
  delivered: number;
  bounced: number;
  proxyOpens: number;
  opens: number;
  clicks: number;
  unsubscribes: number;
  complaints: number;
  couponOrders: number;
  influencedOrders: number;
  heldOutOrders: number;
}

/** Chances a marketer would recognise; the holdout buys less than mailed customers. */
export const behaviour = {
  delivered: 0.985,
  proxyOpen: 0.3,
  open: 0.4,
  clickGivenOpen: 0.35,
  unsubscribeGivenOpen: 0.02,
  complaint: 0.003,
  buyGivenClick: 0.35,
  buyGivenOpen: 0.12,
  buyUnopened: 0.05,
  useCouponGivenBuy: 0.75,
  heldOutBuy: 0.025,
} as const;

/**
 * Marks scheduled messages due by `until` as sent at their due time, for a
 * demo store where no delivery ran. Returns how many it marked.
 */
export async function markDueMessagesSent(store: Store, until: number): Promise<number> {
  const rows = await store.db.all<{ id: string }>(sql`
    update messages set status = 'sent', sent_at = due_at, updated_at = due_at
    where status = 'scheduled' and due_at <= ${sql.raw(String(Math.trunc(until)))}
    returning id`);
  return rows.length;
}

interface MessageRow {
  id: string;
  dedupe_key: string;
  campaign_id: string;
  customer_id: string | null;
  status: 'sent' | 'held_out';
  at: number;
  coupon_code: string | null;
  currency: string | null;
  last_total: number | null;
}

export async function simulateBehaviour(store: Store, options: SimulateOptions): Promise<SimulationSummary> {
  const until = Math.trunc(options.until);
  const summary: SimulationSummary = {
    markedSent: await markDueMessagesSent(store, until),
    mailed: 0,
    heldOut: 0,
    delivered: 0,
    bounced: 0,
    proxyOpens: 0,
    opens: 0,
    clicks: 0,
    unsubscribes: 0,
    complaints: 0,
    couponOrders: 0,
    influencedOrders: 0,
    heldOutOrders: 0,
  };
  const seed = hashSeed(options.seed ?? 'rekindle-behaviour');
  const windowDays = new Map(options.campaigns.campaigns.map((c) => [c.id, c.attributionDays]));
  let after = '';
  for (;;) {
    const page = await store.db.all<MessageRow>(sql`
      select m.id, m.dedupe_key, m.campaign_id, m.customer_id, m.status,
        case when m.status = 'sent' then m.sent_at else m.due_at end as at, m.coupon_code,
        (select o.currency from orders o where o.customer_id = m.customer_id order by o.placed_at desc limit 1)
          as currency,
        (select o.total_minor from orders o where o.customer_id = m.customer_id and o.status = 'paid'
          order by o.placed_at desc limit 1) as last_total
      from messages m
      where m.dedupe_key > ${after} and m.customer_id is not null
        and ((m.status = 'sent' and m.sent_at <= ${sql.raw(String(until))})
          or (m.status = 'held_out' and m.due_at <= ${sql.raw(String(until))}))
      order by m.dedupe_key limit 1000`);
    if (page.length === 0) break;
    after = page.at(-1)!.dedupe_key;
    const events: (typeof trackingEvents.$inferInsert)[] = [];
    const orders: OrderRecord[] = [];
    const unsubscribed: string[] = [];
    for (const message of page) {
      const rng = new Rng(deriveSeed(seed, hashSeed(message.dedupe_key)));
      const days = windowDays.get(message.campaign_id) ?? 7;
      if (message.status === 'held_out') {
        summary.heldOut++;
        const order = rng.chance(behaviour.heldOutBuy)
          ? purchase(message, rng, message.at, days, until)
          : null;
        if (order) {
          orders.push(order);
          summary.heldOutOrders++;
        }
        continue;
      }
      summary.mailed++;
      simulateMessage(message, rng, days, until, { events, orders, unsubscribed, summary });
    }
    await store.batch(writeStatements(store, events, orders, unsubscribed, until));
  }
  return summary;
}

interface Sink {
  events: (typeof trackingEvents.$inferInsert)[];
  orders: OrderRecord[];
  unsubscribed: string[];
  summary: SimulationSummary;
}

function simulateMessage(message: MessageRow, rng: Rng, days: number, until: number, sink: Sink): void {
  const { summary } = sink;
  const event = (kind: (typeof trackingEvents.$inferInsert)['kind'], at: number, extra: object = {}) => {
    if (at <= until) sink.events.push({ messageId: message.id, kind, at: Math.round(at), ...extra });
    return at <= until;
  };
  const sentAt = message.at;
  if (!rng.chance(behaviour.delivered)) {
    if (event('bounce', sentAt + minuteMs, { detail: 'soft' })) summary.bounced++;
    return;
  }
  if (event('delivered', sentAt + 20_000)) summary.delivered++;
  if (
    rng.chance(behaviour.proxyOpen) &&
    event('open', sentAt + rng.between(1, 15) * minuteMs, { isProxy: true })
  ) {
    summary.proxyOpens++;
  }
  if (rng.chance(behaviour.complaint) && event('complaint', sentAt + rng.between(1, 48) * 60 * minuteMs)) {
    summary.complaints++;
    return;
  }
  // Most people who open do so within a day; a few days later at most.
  const openedAt = rng.chance(behaviour.open) ? sentAt + rng.next() ** 2 * 3 * dayMs + 5 * minuteMs : null;
  const opened = openedAt !== null && event('open', openedAt);
  if (opened) summary.opens++;
  const clickedAt =
    opened && rng.chance(behaviour.clickGivenOpen) ? openedAt + rng.between(0.5, 20) * minuteMs : null;
  const clicked = clickedAt !== null && event('click', clickedAt, { linkIndex: 0 });
  if (clicked) summary.clicks++;
  if (opened && rng.chance(behaviour.unsubscribeGivenOpen) && event('unsubscribe', openedAt + 2 * minuteMs)) {
    summary.unsubscribes++;
    sink.unsubscribed.push(message.customer_id!);
    return;
  }
  const buys = rng.chance(
    clicked ? behaviour.buyGivenClick : opened ? behaviour.buyGivenOpen : behaviour.buyUnopened,
  );
  if (!buys) return;
  const from = clicked ? clickedAt : opened ? openedAt : sentAt;
  const order = purchase(message, rng, from, days, until);
  if (!order) return;
  if (message.coupon_code && rng.chance(behaviour.useCouponGivenBuy)) {
    order.discountCodes = [message.coupon_code];
    summary.couponOrders++;
  } else {
    summary.influencedOrders++;
  }
  sink.orders.push(order);
}

/** An order inside the attribution window after `from`, or null if it would fall after `until`. */
function purchase(
  message: MessageRow,
  rng: Rng,
  from: number,
  days: number,
  until: number,
): OrderRecord | null {
  const placedAt = Math.round(from + rng.between(0.02, days * 0.9) * dayMs);
  if (placedAt > until) return null;
  const base = message.last_total ?? 5000;
  const totalMinor = Math.max(100, Math.round((base * rng.between(0.6, 1.4)) / 100) * 100);
  return {
    id: `sim-${rng.hex(16)}`,
    customerId: message.customer_id!,
    placedAt,
    status: 'paid',
    currency: message.currency ?? 'GBP',
    totalMinor,
    discountCodes: [],
    items: [],
  };
}

function writeStatements(
  store: Store,
  events: (typeof trackingEvents.$inferInsert)[],
  orders: OrderRecord[],
  unsubscribed: string[],
  now: number,
): Statement[] {
  const statements: Statement[] = [];
  for (const chunk of chunkForParams(events, columnCount(trackingEvents), store.limits)) {
    statements.push(store.db.insert(trackingEvents).values(chunk));
  }
  if (orders.length > 0)
    statements.push(...ingestStatements({ store }, { kind: 'orders', records: orders, now }));
  for (const ids of chunkForParams(unsubscribed, 1, store.limits)) {
    statements.push(
      store.db
        .update(customers)
        .set({ suppressedAt: now, suppressionReason: 'unsubscribed', updatedAt: now })
        .where(inArray(customers.id, ids)),
    );
  }
  return statements;
}
