// A few weeks of believable customer behaviour after a sweep, for the demo and
// the dashboard test: deliveries, opens (some by privacy proxies), clicks, a
// few unsubscribes and complaints, orders with the campaigns' coupons, orders
// without them inside the attribution window, and a holdout that buys less.
// Deterministic: every draw comes from the seed and the message's dedupe key,
// never from Math.random or the clock. Customers act through the product's
// own verbs, the ones the API and the tracking routes call: the provider
// webhook's events, the open pixel's and click redirect's recorder (caps,
// proxy detection, safe links), the one-click unsubscribe (suppression hash,
// consent withdrawn, pending mail cancelled) and the ingest of orders (with
// its coupon redemptions). So the demo's figures are the product's. Demo
// only: it invents behaviour and must never run against a real shop.
import { sql } from 'drizzle-orm';
import type { CampaignSet } from '../core/campaigns/types.ts';
import type { OrderRecord } from '../core/ingest/records.ts';
import { dayMs, minuteMs } from '../core/time.ts';
import type { ProviderEvent } from '../core/tracking/provider-events.ts';
import { findUncodedOffers } from '../db/repositories/messages.ts';
import type { RequestFacts } from '../db/repositories/tracking.ts';
import type { Store } from '../db/store.ts';
import { issueCouponsAtSentTimes } from '../services/delivery/issue-coupons.ts';
import { ingestRecords } from '../services/ingest/ingest-records.ts';
import { applyProviderEvents } from '../services/tracking/apply-provider-events.ts';
import { writeEngagementBehind } from '../services/tracking/engagement-recorder.ts';
import { type EngagementInput, recordEngagement } from '../services/tracking/record-engagement.ts';
import { unsubscribe } from '../services/tracking/unsubscribe.ts';
import { deriveSeed, hashSeed, Rng } from './random.ts';

export interface SimulateOptions {
  /** Behaviour happens up to this time (epoch ms); nothing is placed after it. */
  until: number;
  campaigns: CampaignSet;
  seed?: string;
  /** Chances to use instead of `behaviour`'s (tests make an unlikely act certain). */
  chances?: Partial<Behaviour>;
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

export type Behaviour = { [K in keyof typeof behaviour]: number };

// What the fetches look like, so the product's proxy detection tells them
// apart as it would for real mail: Apple's and Gmail's image proxies, and a
// few mail clients people open and click in.
const proxyAgents = [
  'Mozilla/5.0',
  'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
];
const personAgents = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko)',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
];

/**
 * Marks scheduled messages due by `until` as sent at their due time, for a
 * demo store where no delivery ran, each given the coupon its send would have
 * issued (services/delivery/issue-coupons.ts): a coupon exists only for mail
 * that went out. Returns how many it marked.
 */
export async function markDueMessagesSent(
  store: Store,
  campaigns: Pick<CampaignSet, 'campaigns'>,
  until: number,
): Promise<number> {
  const offers = await findUncodedOffers(store, until);
  await issueCouponsAtSentTimes(
    store,
    campaigns,
    offers.map((m) => ({ ...m, sentAt: m.dueAt })),
  );
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
    markedSent: await markDueMessagesSent(store, options.campaigns, until),
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
  const chances: Behaviour = { ...behaviour, ...options.chances };
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
    const acts: Acts = { provider: [], engagements: [], unsubscribes: [], orders: [] };
    for (const message of page) {
      const rng = new Rng(deriveSeed(seed, hashSeed(message.dedupe_key)));
      const days = windowDays.get(message.campaign_id) ?? 7;
      if (message.status === 'held_out') {
        summary.heldOut++;
        const order = rng.chance(chances.heldOutBuy) ? purchase(message, rng, message.at, days, until) : null;
        if (order) {
          acts.orders.push(order);
          summary.heldOutOrders++;
        }
        continue;
      }
      summary.mailed++;
      simulateMessage(message, rng, days, until, chances, acts, summary);
    }
    await act(store, acts, until, summary);
  }
  return summary;
}

/** What one page of messages' recipients do, before it is done through the product. */
interface Acts {
  provider: ProviderEvent[];
  engagements: EngagementInput[];
  unsubscribes: { messageId: string; facts: RequestFacts }[];
  orders: OrderRecord[];
}

// Draws what happens to one message, in a fixed order of draws so a seed
// always gives the same story. Counts that depend on what the product
// accepts (opens, clicks, unsubscribes) are counted once it has acted.
function simulateMessage(
  message: MessageRow,
  rng: Rng,
  days: number,
  until: number,
  chances: Behaviour,
  acts: Acts,
  summary: SimulationSummary,
): void {
  const agentPick = hashSeed(message.id);
  const person = (at: number): RequestFacts => ({
    at: Math.round(at),
    userAgent: personAgents[agentPick % personAgents.length]!,
    ip: null,
  });
  const provider = (kind: ProviderEvent['kind'], at: number, detail: ProviderEvent['detail'] = null) => {
    if (at <= until) acts.provider.push({ kind, detail, messageRef: message.id, at: Math.round(at) });
    return at <= until;
  };
  const sentAt = message.at;
  if (!rng.chance(chances.delivered)) {
    if (provider('bounce', sentAt + minuteMs, 'soft')) summary.bounced++;
    return;
  }
  if (provider('delivered', sentAt + 20_000)) summary.delivered++;
  if (rng.chance(chances.proxyOpen)) {
    const at = sentAt + rng.between(1, 15) * minuteMs;
    const userAgent = proxyAgents[agentPick % proxyAgents.length]!;
    if (at <= until) {
      acts.engagements.push({
        kind: 'open',
        messageId: message.id,
        facts: { at: Math.round(at), userAgent, ip: null },
        count: true,
      });
    }
  }
  if (rng.chance(chances.complaint) && provider('complaint', sentAt + rng.between(1, 48) * 60 * minuteMs)) {
    summary.complaints++;
    return;
  }
  // Most people who open do so within a day; a few days later at most.
  const openedAt = rng.chance(chances.open) ? sentAt + rng.next() ** 2 * 3 * dayMs + 5 * minuteMs : null;
  const opened = openedAt !== null && openedAt <= until;
  if (opened)
    acts.engagements.push({ kind: 'open', messageId: message.id, facts: person(openedAt), count: true });
  const clickedAt =
    opened && rng.chance(chances.clickGivenOpen) ? openedAt + rng.between(0.5, 20) * minuteMs : null;
  const clicked = clickedAt !== null && clickedAt <= until;
  if (clicked) {
    acts.engagements.push({
      kind: 'click',
      messageId: message.id,
      linkIndex: 0,
      facts: person(clickedAt),
      count: true,
    });
  }
  if (opened && rng.chance(chances.unsubscribeGivenOpen) && openedAt + 2 * minuteMs <= until) {
    acts.unsubscribes.push({ messageId: message.id, facts: person(openedAt + 2 * minuteMs) });
    return;
  }
  const buys = rng.chance(
    clicked ? chances.buyGivenClick : opened ? chances.buyGivenOpen : chances.buyUnopened,
  );
  if (!buys) return;
  const from = clicked ? clickedAt : opened ? openedAt : sentAt;
  const order = purchase(message, rng, from, days, until);
  if (!order) return;
  if (message.coupon_code && rng.chance(chances.useCouponGivenBuy)) {
    order.discountCodes = [message.coupon_code];
    summary.couponOrders++;
  } else {
    summary.influencedOrders++;
  }
  acts.orders.push(order);
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

/**
 * Does a page's acts through the verbs the API calls: the provider webhook's
 * events (a complaint suppresses at its own time), opens and clicks queued
 * and written in batches as `rekindle serve` does, unsubscribes one by one as
 * people click, then the orders through ingest.
 */
async function act(store: Store, acts: Acts, until: number, summary: SimulationSummary): Promise<void> {
  const complaints = acts.provider.filter((event) => event.kind === 'complaint');
  const others = acts.provider.filter((event) => event.kind !== 'complaint');
  if (others.length > 0) await applyProviderEvents({ store }, { events: others, now: until });
  for (const complaint of complaints) {
    await applyProviderEvents({ store }, { events: [complaint], now: complaint.at });
  }

  const lost: string[] = [];
  const recorder = writeEngagementBehind(store, {
    maxDelayMs: 60_000,
    maxQueued: 1000,
    log: (line) => lost.push(line),
  });
  for (const input of acts.engagements) {
    const outcome = await recordEngagement({ store, recorder }, input);
    if (!outcome.found) continue;
    if (outcome.kind === 'open') summary[outcome.isProxy ? 'proxyOpens' : 'opens']++;
    else if (outcome.kind === 'click') summary.clicks++;
  }
  await recorder.flush();
  if (lost.length > 0) throw new Error(lost.join('; '));

  for (const input of acts.unsubscribes) {
    const outcome = await unsubscribe({ store }, input);
    if (outcome.found && !outcome.alreadyDone) summary.unsubscribes++;
  }
  if (acts.orders.length > 0)
    await ingestRecords({ store }, { kind: 'orders', records: acts.orders, now: until });
}
