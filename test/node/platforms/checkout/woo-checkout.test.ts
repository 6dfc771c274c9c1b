// Coupons at the WooCommerce checkout, end to end: a real sweep, the real
// drain, and a stand-in coupons batch endpoint on loopback HTTP (real fetch,
// Basic auth): one WooCommerce coupon per sent message with the offer's
// terms, at most 100 per batch; a 429 delays the messages for its
// Retry-After; a code WooCommerce already has counts as made.
import { describe, expect, it } from 'vitest';
import { createMemoryTransport } from '../../../../src/adapters/mailer/memory.ts';
import type { CheckoutPlatformsConfig } from '../../../../src/config/env.ts';
import { drainOutbox } from '../../../../src/services/delivery/drain-outbox.ts';
import { createWooStandIn } from '../stand-ins/woo-coupons.ts';
import {
  campaignsOf,
  checkoutDelivery,
  checkoutStates,
  issueAsFirstAttempt,
  outbox,
  seedDormant,
  standInPerTest,
  sweep,
  sweepAt,
  winback,
} from './checkout-shop.ts';

const shop = standInPerTest(createWooStandIn);

const platforms = (): CheckoutPlatformsConfig => ({
  woocommerce: { url: shop.served.url, key: 'ck_standin', secret: 'cs_standin' },
});

describe('coupons at the WooCommerce checkout', () => {
  it('one coupon per sent message, with its terms, in batches of at most 100', async () => {
    const campaigns = campaignsOf(winback(10));
    await seedDormant(shop.temp.store, 170);
    await sweep(shop.temp.store, campaigns);
    const transport = createMemoryTransport();
    const options = await checkoutDelivery(shop.temp.store, transport, {
      platforms: platforms(),
      campaigns,
      now: () => sweepAt,
    });
    const counts = await drainOutbox(options);
    const rows = await outbox(shop.temp.store);
    const sent = rows.filter((m) => m.status === 'sent');
    expect(counts).toMatchObject({ sent: sent.length, failed: 0, awaitingCodes: 0 });
    expect(rows.some((m) => m.status === 'held_out')).toBe(true);
    expect(sent.length).toBeGreaterThan(100);
    expect(Math.max(...shop.standIn.batches.map((b) => b.items))).toBe(100);
    expect(shop.standIn.batches.reduce((n, b) => n + b.items, 0)).toBe(sent.length);
    // Exactly the sent coupons, stored lower case as WooCommerce does.
    expect([...shop.standIn.coupons.keys()].sort()).toEqual(
      sent.map((m) => m.coupon_code!.toLowerCase()).sort(),
    );
    const one = sent[0]!;
    expect(shop.standIn.coupons.get(one.coupon_code!.toLowerCase())).toMatchObject({
      discount_type: 'percent',
      amount: '15',
      usage_limit: 1,
      individual_use: true,
      free_shipping: false,
      minimum_amount: '40.00',
      email_restrictions: [`c${one.customer_id}@example.com`],
      date_expires: new Date(one.expires_at!).toISOString().replace('.000Z', 'Z'),
    });
  });

  it('a 429 delays the messages for its Retry-After; then each goes once', async () => {
    const campaigns = campaignsOf(winback());
    await seedDormant(shop.temp.store, 3);
    await sweep(shop.temp.store, campaigns);
    shop.standIn.throttleNext(1, 600);
    let now = sweepAt;
    const transport = createMemoryTransport();
    const options = await checkoutDelivery(shop.temp.store, transport, {
      platforms: platforms(),
      campaigns,
      now: () => now,
    });
    expect(await drainOutbox(options)).toMatchObject({ sent: 0, awaitingCodes: 3 });
    const waiting = await outbox(shop.temp.store);
    for (const m of waiting) {
      expect(m).toMatchObject({ status: 'scheduled', attempts: 0 });
      expect(m.due_at).toBeGreaterThanOrEqual(sweepAt + 600_000);
      expect(m.last_error).toContain('HTTP 429');
    }
    expect(transport.sent).toHaveLength(0);
    now = Math.max(...waiting.map((m) => m.due_at));
    expect(await drainOutbox(options)).toMatchObject({ sent: 3 });
    expect(shop.standIn.coupons.size).toBe(3);
    expect(transport.sent).toHaveLength(3);
  });

  it('a code WooCommerce already has counts as made, and is not sent for again', async () => {
    const campaigns = campaignsOf(winback());
    await seedDormant(shop.temp.store, 2);
    await sweep(shop.temp.store, campaigns);
    await issueAsFirstAttempt(shop.temp.store, campaigns);
    const [first] = await outbox(shop.temp.store);
    // An earlier call made it and its answer was lost.
    shop.standIn.coupons.set(first!.coupon_code!.toLowerCase(), {
      id: 1,
      code: first!.coupon_code!.toLowerCase(),
    });
    const transport = createMemoryTransport();
    const options = await checkoutDelivery(shop.temp.store, transport, {
      platforms: platforms(),
      campaigns,
      now: () => sweepAt,
    });
    expect(await drainOutbox(options)).toMatchObject({ sent: 2, failed: 0 });
    const states = new Map((await checkoutStates(shop.temp.store)).map((s) => [s.code, s.state]));
    expect(states.get(first!.coupon_code!)).toBe('existed');
    expect([...states.values()].filter((s) => s === 'created')).toHaveLength(1);
  });
});
