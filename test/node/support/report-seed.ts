// Direct inserts of messages, coupons and tracking events for attribution,
// report and dashboard tests: each test states exactly the history it needs.
// Orders go through the real ingest path so the redemption hook runs.
import type { OrderRecord } from '../../../src/core/ingest/records.ts';
import { coupons, customers, messages, trackingEvents } from '../../../src/db/schema/index.ts';
import type { Store } from '../../../src/db/store.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';

export const day = 86_400_000;

export async function seedCustomers(store: Store, ids: readonly string[], at: number): Promise<void> {
  await store.db.insert(customers).values(
    ids.map((id) => ({
      id,
      email: `${id}@example.com`,
      marketingConsent: true,
      createdAt: at,
      updatedAt: at,
    })),
  );
}

export interface SeedMessage {
  id: string;
  campaignId: string;
  customerId: string;
  step?: number;
  status: 'sent' | 'held_out' | 'scheduled' | 'failed' | 'cancelled';
  dueAt: number;
  sentAt?: number;
  couponCode?: string;
  triggerRef?: string;
  /** The URLs the sent email linked to; a click's link index points into them. */
  links?: string[];
}

export async function seedMessage(store: Store, m: SeedMessage): Promise<void> {
  const step = m.step ?? 0;
  const triggerRef = m.triggerRef ?? 'episode-1';
  await store.db.insert(messages).values({
    id: m.id,
    dedupeKey: `${m.campaignId}:${step}:${m.customerId}:${triggerRef}`,
    campaignId: m.campaignId,
    step,
    customerId: m.customerId,
    email: `${m.customerId}@example.com`,
    triggerKind: 'dormant',
    triggerRef,
    status: m.status,
    couponCode: m.couponCode ?? null,
    links: m.links ? JSON.stringify(m.links) : null,
    dueAt: m.dueAt,
    sentAt: m.sentAt ?? (m.status === 'sent' ? m.dueAt : null),
    createdAt: m.dueAt,
    updatedAt: m.dueAt,
  });
  if (m.couponCode) {
    await store.db.insert(coupons).values({
      code: m.couponCode,
      campaignId: m.campaignId,
      messageId: m.id,
      customerId: m.customerId,
      kind: 'percent_off',
      value: 15,
      currency: 'GBP',
      expiresAt: m.dueAt + 14 * day,
      createdAt: m.dueAt,
    });
  }
}

export async function seedEvent(
  store: Store,
  messageId: string,
  kind: 'delivered' | 'open' | 'click' | 'unsubscribe' | 'bounce' | 'complaint',
  at: number,
  isProxy = false,
  linkIndex = 0,
): Promise<void> {
  await store.db
    .insert(trackingEvents)
    .values({ messageId, kind, at, isProxy, linkIndex: kind === 'click' ? linkIndex : null });
}

export function order(
  id: string,
  customerId: string,
  placedAt: number,
  totalMinor: number,
  extra: Partial<OrderRecord> = {},
): OrderRecord {
  return {
    id,
    customerId,
    placedAt,
    status: 'paid',
    currency: 'GBP',
    totalMinor,
    discountCodes: [],
    items: [],
    ...extra,
  };
}

export async function ingestOrders(store: Store, records: OrderRecord[], now: number): Promise<void> {
  await ingestRecords({ store }, { kind: 'orders', records, now });
}

export const scenarioStart = Date.parse('2026-05-04T09:00:00Z');

/**
 * A small history whose report is known by hand (see reports.test.ts):
 * winback mails c1-c4 (one coupon), holds out h1 and h2, fails one and has
 * one pending; the cart campaign mails a two-step series to c5 and one step
 * to c6.
 */
export async function seedReportScenario(store: Store): Promise<void> {
  const t = scenarioStart;
  await seedCustomers(store, ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'h1', 'h2'], t - 400 * day);
  const sent = (id: string, customerId: string, at: number, extra: Partial<SeedMessage> = {}) =>
    seedMessage(store, { id, campaignId: 'winback', customerId, status: 'sent', dueAt: at, ...extra });
  await sent('w1', 'c1', t, { couponCode: 'BACK-WWWW-2222-3333' });
  await sent('w2', 'c2', t);
  await sent('w3', 'c3', t + day);
  await sent('w4', 'c4', t + day);
  await seedMessage(store, { id: 'w5', campaignId: 'winback', customerId: 'c7', status: 'failed', dueAt: t });
  await seedMessage(store, {
    id: 'w6',
    campaignId: 'winback',
    customerId: 'c8',
    status: 'scheduled',
    dueAt: t,
  });
  await seedMessage(store, {
    id: 'wh1',
    campaignId: 'winback',
    customerId: 'h1',
    status: 'held_out',
    dueAt: t,
  });
  await seedMessage(store, {
    id: 'wh2',
    campaignId: 'winback',
    customerId: 'h2',
    status: 'held_out',
    dueAt: t,
  });
  await seedEvent(store, 'w1', 'delivered', t + 1000);
  await seedEvent(store, 'w1', 'open', t + 2000, true);
  await seedEvent(store, 'w2', 'open', t + day + 5000);
  await seedEvent(store, 'w2', 'open', t + day + 6000);
  await seedEvent(store, 'w2', 'click', t + day + 7000);
  await seedEvent(store, 'w3', 'unsubscribe', t + day + 1000);
  await seedEvent(store, 'w4', 'complaint', t + 2 * day);

  const cart = (id: string, customerId: string, step: number, at: number, triggerRef: string) =>
    seedMessage(store, { id, campaignId: 'cart', customerId, status: 'sent', dueAt: at, step, triggerRef });
  await cart('k1', 'c5', 0, t, 'cart-5');
  await cart('k2', 'c5', 1, t + day, 'cart-5');
  await cart('k3', 'c6', 0, t, 'cart-6');

  await ingestOrders(
    store,
    [
      // Redeemed: used w1's coupon.
      order('o1', 'c1', t + 2 * day, 3400, { discountCodes: ['BACK-WWWW-2222-3333'] }),
      // Influenced: c2 bought in EUR six days after the send.
      order('o2', 'c2', t + 6 * day, 2000, { currency: 'EUR' }),
      // Control: h1 bought inside the window, h2 after it.
      order('o3', 'h1', t + 3 * day, 1000),
      order('o4', 'h2', t + 9 * day, 1000),
      // The cart series: credited to the latest step.
      order('o5', 'c5', t + 2 * day, 5000),
    ],
    t + 10 * day,
  );
}
