// The four facts the shop hears about, each made through the verb that
// records it for real: a send (the outbox drain), a redemption (an ingested
// paid order carrying the code), an unsubscribe (the one-click verb) and a
// complaint (the provider events verb). Settings with webhooks built in code.

import { sql } from 'drizzle-orm';
import { createMemoryTransport } from '../../../src/adapters/mailer/memory.ts';
import type { Campaign, ShopSettings } from '../../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { type OutgoingEventType, outgoingEventTypes } from '../../../src/core/webhooks/events.ts';
import { writeMessages } from '../../../src/db/repositories/messages.ts';
import { customers } from '../../../src/db/schema/index.ts';
import type { Store } from '../../../src/db/store.ts';
import { drainOutbox } from '../../../src/services/delivery/drain-outbox.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { applyProviderEvents } from '../../../src/services/tracking/apply-provider-events.ts';
import { unsubscribe } from '../../../src/services/tracking/unsubscribe.ts';
import { deliverEvents } from '../../../src/services/webhooks/deliver-events.ts';
import type { DeliverEventsDeps } from '../../../src/services/webhooks/ports.ts';
import { dormantCampaign, shopSettings, winbackOffer } from './campaign-fixtures.ts';
import { deliveryOptions } from './delivery-fixtures.ts';

export const eventSecret = 'events-test-secret-0123456789';
export const secretEnv = 'EVENTS_SIGNING_SECRET';

export function settingsWithWebhooks(
  endpoints: readonly { url: string; events?: OutgoingEventType[]; secretEnv?: string }[],
): ShopSettings {
  return shopSettings({
    webhooks: endpoints.map((e) => ({
      url: e.url,
      events: e.events ?? [...outgoingEventTypes],
      secretEnv: e.secretEnv ?? secretEnv,
    })),
  });
}

export const couponCampaign: Campaign = dormantCampaign({
  steps: [
    {
      index: 0,
      delayHours: 0,
      email: { template: 'winback.mjml', subject: 'Hi' },
      offer: { ...winbackOffer, minSubtotal: null },
    },
  ],
});

/** A consenting customer with one win-back email carrying a coupon, sent at `at`. */
export async function sendCouponMail(
  store: Store,
  settings: ShopSettings,
  at: number,
  customerId = 'c1',
): Promise<{ messageId: string; code: string }> {
  await store.db
    .insert(customers)
    .values({
      id: customerId,
      email: `${customerId}@example.com`,
      marketingConsent: true,
      createdAt: at - 1000,
      updatedAt: at - 1000,
    })
    .onConflictDoNothing();
  const messageId = `m-${customerId}-${at}`;
  const row = {
    id: messageId,
    dedupeKey: `winback:0:${customerId}:${at}`,
    campaignId: 'winback',
    step: 0,
    customerId,
    email: `${customerId}@example.com`,
    triggerKind: 'dormant',
    triggerRef: `lp${at}`,
    status: 'scheduled' as const,
    // Planned by a sweep: its offer noted, its coupon issued when it is sent below.
    offerCurrency: 'GBP',
    dueAt: at,
    createdAt: at - 1000,
    updatedAt: at - 1000,
  };
  await writeMessages(store, [row]);
  const counts = await drainOutbox(
    await deliveryOptions(store, createMemoryTransport(), {
      campaigns: { settings, campaigns: [couponCampaign] },
      now: () => at,
    }),
  );
  if (counts.sent !== 1) throw new Error(`expected one send, got ${JSON.stringify(counts)}`);
  const [sent] = await store.db.all<{ code: string }>(
    sql`select coupon_code as code from messages where id = ${messageId}`,
  );
  return { messageId, code: sent!.code };
}

/** A paid order of 50.00 GBP by c1, with the code, placed at `at` and ingested at `receivedAt`. */
export async function orderWithCode(
  store: Store,
  orderId: string,
  code: string,
  at: number,
  receivedAt = at,
) {
  const record = ingestSchemas.orders.parse({
    id: orderId,
    customer_id: 'c1',
    placed_at: new Date(at).toISOString(),
    status: 'paid',
    currency: 'GBP',
    total: '50.00',
    discount_codes: [code],
  });
  await ingestRecords({ store }, { kind: 'orders', records: [record], now: receivedAt });
}

export function unsubscribeAt(store: Store, messageId: string, at: number) {
  return unsubscribe({ store }, { messageId, facts: { at, userAgent: 'Mail/1.0', ip: '203.0.113.9' } });
}

export function complaintAt(store: Store, messageId: string, at: number) {
  return applyProviderEvents(
    { store },
    { events: [{ kind: 'complaint', detail: null, messageRef: messageId, at }], now: at },
  );
}

const hour = 3_600_000;

/** One of each fact: sent at `at`, then redeemed (order o1), unsubscribed and complained about an hour apart. */
export async function fourFacts(store: Store, settings: ShopSettings, at: number) {
  const mail = await sendCouponMail(store, settings, at);
  await orderWithCode(store, 'o1', mail.code, at + hour);
  await unsubscribeAt(store, mail.messageId, at + 2 * hour);
  await complaintAt(store, mail.messageId, at + 3 * hour);
  return mail;
}

/** One pass of the deliverer to these endpoints (all signed with eventSecret) over the global fetch. */
export function deliverTo(
  store: Store,
  urls: readonly string[],
  now: number,
  extra: Partial<DeliverEventsDeps> = {},
) {
  return deliverEvents({
    store,
    endpoints: urls.map((url) => ({ url, secret: eventSecret })),
    fetch: (url, init) => fetch(url, init),
    now: () => now,
    ...extra,
  });
}

export interface OutgoingRow {
  event_id: string;
  endpoint: string;
  type: string;
  attempts: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  delivered_at: number | null;
  failed_at: number | null;
  last_error: string | null;
}

export function outgoingRows(store: Store): Promise<OutgoingRow[]> {
  return store.db.all<OutgoingRow>(sql`SELECT * FROM outgoing_events ORDER BY event_id, endpoint`);
}
