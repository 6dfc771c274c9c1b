// Events to the shop, end to end on a real libSQL file and a real HTTP
// receiver on loopback: each fact (a send, a redemption, an unsubscribe, a
// complaint) made through its own verb becomes one signed event per
// subscribed endpoint, written with the fact, with a stable id, for the facts
// from when the endpoint was first seen; pruned after 30 days, and erased with
// the customer. Retries are event-retries.test.ts's.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type OutgoingEventType, outgoingEventTypes } from '../../../src/core/webhooks/events.ts';
import { redeemCoupon } from '../../../src/services/coupons/redeem-coupon.ts';
import { eraseCustomer } from '../../../src/services/privacy/erase-customer.ts';
import { syncSubscriptions } from '../../../src/services/webhooks/sync-subscriptions.ts';
import {
  complaintAt,
  eventSecret,
  orderWithCode,
  sendCouponMail,
  settingsWithWebhooks,
  unsubscribeAt,
} from '../support/event-facts.ts';
import { type EventReceiver, signatureValid } from '../support/event-receiver.ts';
import { eventTest } from '../support/event-test.ts';

const minute = 60_000;
const day = 86_400_000;
const t0 = Date.parse('2026-11-23T12:00:00Z');

const { store, receiver, deliver, fourFacts, rows } = eventTest(t0);

const iso = (ms: number) => new Date(ms).toISOString();

describe('events to the shop', () => {
  it('delivers each of the four event types once, signed, with the facts and nothing more', async () => {
    const shop = await receiver();
    const settings = settingsWithWebhooks([{ url: shop.url }]);
    await syncSubscriptions(store(), settings.webhooks, t0 - day);
    const mail = await fourFacts(settings);

    const counts = await deliver([shop.url], t0 + day);
    expect(counts).toMatchObject({ claimed: 4, delivered: 4, retrying: 0, failed: 0 });
    expect(shop.received.map((e) => e.body.type).sort()).toEqual([...outgoingEventTypes].sort());
    for (const event of shop.received) {
      expect(signatureValid(event, eventSecret)).toBe(true);
      expect(signatureValid(event, `${eventSecret}x`)).toBe(false);
      expect(event.headers['rekindle-event-id']).toBe(event.body.id);
      expect(event.headers['content-type']).toBe('application/json');
      expect(Math.abs(Number(event.headers['rekindle-timestamp']) * 1000 - Date.now())).toBeLessThan(60_000);
    }
    const byType = Object.fromEntries(shop.received.map((e) => [e.body.type, e.body]));
    const redemption = await store().db.all<{ id: number; discount_minor: number }>(
      sql`SELECT id, discount_minor FROM redemptions WHERE order_id = 'o1'`,
    );
    const optOuts = await store().db.all<{ id: number; kind: string }>(
      sql`SELECT id, kind FROM tracking_events WHERE kind IN ('unsubscribe', 'complaint')`,
    );
    const trackingId = (kind: string) => optOuts.find((e) => e.kind === kind)!.id;
    expect(byType['message.sent']).toEqual({
      id: `message.sent:${mail.messageId}`,
      type: 'message.sent',
      created_at: iso(t0),
      data: {
        message_id: mail.messageId,
        customer_id: 'c1',
        campaign_id: 'winback',
        step: 1,
        trigger: 'dormant',
        coupon_code: mail.code,
        sent_at: iso(t0),
      },
    });
    expect(byType['coupon.redeemed']).toEqual({
      id: `coupon.redeemed:${redemption[0]!.id}`,
      type: 'coupon.redeemed',
      created_at: iso(t0 + 60 * minute),
      data: {
        coupon_code: mail.code,
        order_id: 'o1',
        customer_id: 'c1',
        campaign_id: 'winback',
        message_id: mail.messageId,
        step: 1,
        currency: 'GBP',
        order_total_minor: 5000,
        discount_minor: redemption[0]!.discount_minor,
        redeemed_at: iso(t0 + 60 * minute),
      },
    });
    expect(redemption[0]!.discount_minor).toBeGreaterThan(0);
    // The address rides only on the opt-outs: the shop must honour them in its own mail tools.
    expect(byType['customer.unsubscribed']).toEqual({
      id: `customer.unsubscribed:${trackingId('unsubscribe')}`,
      type: 'customer.unsubscribed',
      created_at: iso(t0 + 2 * 60 * minute),
      data: {
        customer_id: 'c1',
        email: 'c1@example.com',
        message_id: mail.messageId,
        campaign_id: 'winback',
        unsubscribed_at: iso(t0 + 2 * 60 * minute),
      },
    });
    expect(byType['customer.complained']?.data).toEqual({
      customer_id: 'c1',
      email: 'c1@example.com',
      message_id: mail.messageId,
      campaign_id: 'winback',
      complained_at: iso(t0 + 3 * 60 * minute),
    });
    expect(byType['customer.complained']?.id).toBe(`customer.complained:${trackingId('complaint')}`);

    // Delivered is done: a second pass sends nothing.
    expect(await deliver([shop.url], t0 + 2 * day)).toMatchObject({ claimed: 0, delivered: 0 });
    expect(shop.received).toHaveLength(4);
    expect((await rows()).map((r) => [r.attempts, r.delivered_at])).toEqual(
      Array.from({ length: 4 }, () => [1, t0 + day]),
    );
  });

  it('makes one event of a fact written twice: a re-sent order, a repeated unsubscribe, a replayed complaint', async () => {
    const shop = await receiver();
    const settings = settingsWithWebhooks([{ url: shop.url }]);
    await syncSubscriptions(store(), settings.webhooks, t0 - day);
    const mail = await fourFacts(settings);
    await orderWithCode(store(), 'o1', mail.code, t0 + 60 * minute);
    expect(await unsubscribeAt(store(), mail.messageId, t0 + 5 * 60 * minute)).toEqual({
      found: true,
      alreadyDone: true,
    });
    expect((await complaintAt(store(), mail.messageId, t0 + 6 * 60 * minute)).duplicates).toBe(1);
    // The redemption API for the same order answers with the first redemption and reports nothing new.
    const again = await redeemCoupon(
      { store: store() },
      {
        code: mail.code,
        orderId: 'o1',
        customerId: 'c1',
        currency: 'GBP',
        orderTotalMinor: 5000,
        discountMinor: null,
        now: t0 + 7 * 60 * minute,
      },
    );
    expect(again.outcome).toBe('already_redeemed');

    expect((await rows()).map((r) => r.type).sort()).toEqual([...outgoingEventTypes].sort());
    await deliver([shop.url], t0 + day);
    expect(shop.received).toHaveLength(4);
    expect(new Set(shop.received.map((e) => e.body.id)).size).toBe(4);
  });

  it('reports a redemption made through POST /v1/redemptions too', async () => {
    const shop = await receiver();
    const settings = settingsWithWebhooks([{ url: shop.url, events: ['coupon.redeemed'] }]);
    await syncSubscriptions(store(), settings.webhooks, t0 - day);
    const mail = await sendCouponMail(store(), settings, t0);
    const result = await redeemCoupon(
      { store: store() },
      {
        code: mail.code,
        orderId: 'api-1',
        customerId: 'c1',
        currency: 'GBP',
        orderTotalMinor: 8000,
        discountMinor: 1200,
        now: t0 + minute,
      },
    );
    expect(result.outcome).toBe('redeemed');
    await deliver([shop.url], t0 + day);
    expect(shop.received.map((e) => e.body.data)).toEqual([
      expect.objectContaining({
        order_id: 'api-1',
        customer_id: 'c1',
        order_total_minor: 8000,
        discount_minor: 1200,
        redeemed_at: iso(t0 + minute),
      }),
    ]);
  });

  it('sends an endpoint only the event types it subscribed to, and each endpoint its own copy', async () => {
    const all = await receiver();
    const some = await receiver();
    const wanted: OutgoingEventType[] = ['coupon.redeemed', 'customer.unsubscribed'];
    const settings = settingsWithWebhooks([{ url: all.url }, { url: some.url, events: wanted }]);
    await syncSubscriptions(store(), settings.webhooks, t0 - day);
    await fourFacts(settings);

    await deliver([all.url, some.url], t0 + day);
    expect(all.received.map((e) => e.body.type).sort()).toEqual([...outgoingEventTypes].sort());
    expect(some.received.map((e) => e.body.type).sort()).toEqual(wanted);
    // The same fact has the same id at every endpoint.
    const ids = (r: EventReceiver) => r.received.map((e) => e.body.id);
    expect(ids(all)).toEqual(expect.arrayContaining(ids(some)));
  });

  it('reports to an endpoint only the facts from when it was first seen; a dropped one is owed nothing more', async () => {
    const shop = await receiver(() => 503);
    const before = settingsWithWebhooks([]);
    const mail = await sendCouponMail(store(), before, t0);
    // Added after the send, before the unsubscribe.
    const settings = settingsWithWebhooks([{ url: shop.url }]);
    await syncSubscriptions(store(), settings.webhooks, t0 + minute);
    await unsubscribeAt(store(), mail.messageId, t0 + 2 * minute);
    // A fact from before it was added, written now (a late order), makes no event either.
    await orderWithCode(store(), 'late', mail.code, t0 - 1);
    expect((await rows()).map((r) => r.type)).toEqual(['customer.unsubscribed']);

    // Removed from the settings: what it was owed is failed, and new facts skip it.
    expect(await syncSubscriptions(store(), [], t0 + 3 * minute)).toEqual({ changed: true });
    expect(await syncSubscriptions(store(), [], t0 + 4 * minute)).toEqual({ changed: false });
    await complaintAt(store(), mail.messageId, t0 + 5 * minute);
    expect(await rows()).toEqual([
      expect.objectContaining({
        type: 'customer.unsubscribed',
        failed_at: t0 + 3 * minute,
        last_error: 'the settings no longer send this event type to this endpoint',
      }),
    ]);
    expect(await deliver([shop.url], t0 + day)).toMatchObject({ claimed: 0 });
    expect(shop.received).toHaveLength(0);
  });

  it('prunes events after 30 days, and a fact that old is never reported again', async () => {
    const shop = await receiver();
    const settings = settingsWithWebhooks([{ url: shop.url }]);
    await syncSubscriptions(store(), settings.webhooks, t0 - day);
    const mail = await fourFacts(settings);
    await deliver([shop.url], t0 + day);
    expect(await deliver([shop.url], t0 + 31 * day)).toMatchObject({ pruned: 4 });
    expect(await rows()).toEqual([]);
    // The order re-sent a month on: its redemption is older than the retention.
    await orderWithCode(store(), 'o1', mail.code, t0 + 60 * minute, t0 + 31 * day);
    expect(await rows()).toEqual([]);
  });

  it('erasing a customer deletes their events, delivered or not', async () => {
    const shop = await receiver();
    const settings = settingsWithWebhooks([{ url: shop.url }]);
    await syncSubscriptions(store(), settings.webhooks, t0 - day);
    await fourFacts(settings);
    await deliver([shop.url], t0 + day, { limit: 2 });
    expect(await rows()).toHaveLength(4);
    await eraseCustomer({ store: store() }, { customerId: 'c1', now: t0 + 2 * day });
    expect(await rows()).toEqual([]);
  });
});
