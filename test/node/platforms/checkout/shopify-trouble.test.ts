// When Shopify will not take the codes now: the cost throttle is waited out
// in place; an outage delays the messages (no attempt spent, nothing reaches
// the SMTP server) until Shopify is back, then each goes exactly once; a code
// Shopify refuses, or one still missing when it expires, fails its message
// unsent. The stand-in's clock is the test's, moved only by the waits.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTransport } from '../../../../src/adapters/mailer/memory.ts';
import { createSmtpTransport } from '../../../../src/adapters/mailer/smtp.ts';
import { drainOutbox } from '../../../../src/services/delivery/drain-outbox.ts';
import { type ServedFetch, serveFetch } from '../../support/serve-fetch.ts';
import { type SmtpSink, startSmtpSink } from '../../support/smtp-sink.ts';
import { openTempStore, type TempStore } from '../../support/temp-store.ts';
import { createShopifyStandIn, type ShopifyStandIn } from '../stand-ins/shopify-admin.ts';
import {
  adminToken,
  campaignsOf,
  checkoutDelivery,
  checkoutStates,
  day,
  issueAsFirstAttempt,
  outbox,
  seedDormant,
  shopDomain,
  shopifyPlatform,
  sweep,
  sweepAt,
  winback,
} from './checkout-shop.ts';

let temp: TempStore;
let served: ServedFetch | undefined;
let sink: SmtpSink | undefined;

beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  await served?.close();
  await sink?.close();
  served = undefined;
  sink = undefined;
  await temp.cleanup();
});

async function standIn(options: Parameters<typeof createShopifyStandIn>[0] = {}): Promise<ShopifyStandIn> {
  const shopify = createShopifyStandIn(options);
  served = await serveFetch(shopify.handle);
  return shopify;
}

describe('Shopify will not take the codes now', () => {
  it('a THROTTLED answer is waited out for as long as its cost extensions say, then the codes are made', async () => {
    let clock = sweepAt;
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      clock += ms;
    };
    // An empty bucket refilling 50 points a second: the first mutation (10 points) is throttled.
    const shopify = await standIn({ clock: () => clock, bucket: { currentlyAvailable: 0, restoreRate: 50 } });
    const campaigns = campaignsOf(winback());
    await seedDormant(temp.store, 30);
    await sweep(temp.store, campaigns);
    const transport = createMemoryTransport();
    const options = await checkoutDelivery(temp.store, transport, {
      platforms: shopifyPlatform(),
      campaigns,
      // The delivery's clock is the one the sleeps move, as real time would.
      now: () => clock,
      shopifyBaseUrl: served!.url,
      sleep,
    });
    expect(await drainOutbox(options)).toMatchObject({ sent: 30, awaitingCodes: 0, failed: 0 });
    expect(shopify.calls[0]).toMatchObject({ operation: 'discountCodeBasicCreate', answer: 'throttled' });
    expect(shopify.calls[1]).toMatchObject({ operation: 'discountCodeBasicCreate', answer: 'ok' });
    // (10 requested - 0 available) / 50 per second = 200 ms.
    expect(sleeps[0]).toBe(200);
    expect(shopify.codes.size).toBe(30);
  });

  it('a throttle longer than the client waits in place delays the messages at least that long', async () => {
    let clock = sweepAt;
    const sleep = async (ms: number) => {
      clock += ms;
    };
    // 10 points short at 0.05 a second: 200 s, past the 10 s the client waits in place.
    const shopify = await standIn({
      clock: () => clock,
      bucket: { currentlyAvailable: 0, restoreRate: 0.05 },
    });
    const campaigns = campaignsOf(winback());
    await seedDormant(temp.store, 3);
    await sweep(temp.store, campaigns);
    const transport = createMemoryTransport();
    const options = await checkoutDelivery(temp.store, transport, {
      platforms: shopifyPlatform(),
      campaigns,
      now: () => sweepAt,
      shopifyBaseUrl: served!.url,
      sleep,
    });
    expect(await drainOutbox(options)).toMatchObject({ sent: 0, awaitingCodes: 3 });
    expect(shopify.calls.map((c) => c.answer)).toEqual(['throttled']);
    for (const m of await outbox(temp.store)) {
      expect(m.due_at).toBeGreaterThanOrEqual(sweepAt + 200_000);
      expect(m.last_error).toContain('throttled');
    }
  });

  it('an outage delays every message, unsent and with no attempt spent, until Shopify is back; then each goes once', async () => {
    const shopify = await standIn();
    sink = await startSmtpSink();
    const transport = createSmtpTransport({ url: sink.url, poolSize: 2 });
    const campaigns = campaignsOf(winback());
    await seedDormant(temp.store, 6);
    await sweep(temp.store, campaigns);
    let now = sweepAt;
    const options = await checkoutDelivery(temp.store, transport, {
      platforms: shopifyPlatform(),
      campaigns,
      now: () => now,
      shopifyBaseUrl: served!.url,
    });
    try {
      shopify.failNext(1_000, 503);
      expect(await drainOutbox(options)).toMatchObject({ claimed: 6, sent: 0, failed: 0, awaitingCodes: 6 });
      expect(sink.received).toHaveLength(0);
      const waiting = await outbox(temp.store);
      for (const m of waiting) {
        expect(m).toMatchObject({ status: 'scheduled', attempts: 0 });
        expect(m.due_at).toBeGreaterThan(now);
        expect(m.last_error).toMatch(/^checkout: shopify: Shopify is unavailable \(HTTP 503\)/);
      }
      expect(new Set((await checkoutStates(temp.store)).map((s) => `${s.state}:${s.tries}`))).toEqual(
        new Set(['waiting:1']),
      );
      // Still down a while later: they wait longer, still unsent.
      now = Math.max(...waiting.map((m) => m.due_at));
      expect(await drainOutbox(options)).toMatchObject({ sent: 0, awaitingCodes: 6 });
      const longer = await outbox(temp.store);
      expect(Math.min(...longer.map((m) => m.due_at))).toBeGreaterThan(now);
      expect(sink.received).toHaveLength(0);

      // Back: the next drain makes the codes and sends each message once.
      shopify.failNext(0);
      now = Math.max(...longer.map((m) => m.due_at));
      expect(await drainOutbox(options)).toMatchObject({ sent: 6, awaitingCodes: 0 });
      expect(await drainOutbox(options)).toMatchObject({ claimed: 0 });
      expect(sink.received).toHaveLength(6);
      const sent = await outbox(temp.store);
      expect(sent.every((m) => m.status === 'sent' && m.attempts === 1)).toBe(true);
      expect([...shopify.codes.keys()].sort()).toEqual(sent.map((m) => m.coupon_code).sort());
      for (const m of sent) expect(sink.received.some((r) => r.raw.includes(m.coupon_code!))).toBe(true);
    } finally {
      await transport.close();
    }
  });

  it('a wrong token delays the messages and says which setting to check', async () => {
    await standIn({ token: 'shpat_other' });
    const campaigns = campaignsOf(winback());
    await seedDormant(temp.store, 2);
    await sweep(temp.store, campaigns);
    const transport = createMemoryTransport();
    const options = await checkoutDelivery(temp.store, transport, {
      platforms: { shopify: { shopDomain, adminToken, apiVersion: '2025-10' } },
      campaigns,
      now: () => sweepAt,
      shopifyBaseUrl: served!.url,
    });
    expect(await drainOutbox(options)).toMatchObject({ sent: 0, awaitingCodes: 2 });
    expect(transport.sent).toHaveLength(0);
    for (const m of await outbox(temp.store)) expect(m.last_error).toContain('SHOPIFY_ADMIN_TOKEN');
  });

  it('a code Shopify refuses fails its message unsent; the others go', async () => {
    const shopify = await standIn();
    const campaigns = campaignsOf(winback());
    await seedDormant(temp.store, 4);
    await sweep(temp.store, campaigns);
    await issueAsFirstAttempt(temp.store, campaigns);
    // The first code (in code order) makes the discount; the last is refused in the bulk job.
    const planned = (await outbox(temp.store)).sort((a, b) => (a.coupon_code! < b.coupon_code! ? -1 : 1));
    const refusedRow = planned[3]!;
    shopify.refuse(refusedRow.coupon_code!);
    const transport = createMemoryTransport();
    const options = await checkoutDelivery(temp.store, transport, {
      platforms: shopifyPlatform(),
      campaigns,
      now: () => sweepAt,
      shopifyBaseUrl: served!.url,
    });
    expect(await drainOutbox(options)).toMatchObject({ sent: 3, failed: 1 });
    const refused = (await outbox(temp.store)).find((m) => m.id === refusedRow.id)!;
    expect(refused).toMatchObject({ status: 'failed', attempts: 0 });
    expect(refused.last_error).toMatch(/^checkout: shopify: Shopify refused the code: INVALID/);
    expect(transport.sent.map((m) => m.id)).not.toContain(refusedRow.id);
  });

  it('a code still missing when it expires fails its message; it is never sent with it', async () => {
    const shopify = await standIn();
    shopify.failNext(1_000_000, 502);
    const campaigns = campaignsOf(winback());
    await seedDormant(temp.store, 2);
    await sweep(temp.store, campaigns);
    let now = sweepAt;
    const transport = createMemoryTransport();
    const options = await checkoutDelivery(temp.store, transport, {
      platforms: shopifyPlatform(),
      campaigns,
      now: () => now,
      shopifyBaseUrl: served!.url,
    });
    expect(await drainOutbox(options)).toMatchObject({ awaitingCodes: 2 });
    // The offer's codes last 14 days from their issue, at the first attempt.
    now = sweepAt + 14 * day;
    expect(await drainOutbox(options)).toMatchObject({ failed: 2, sent: 0 });
    for (const m of await outbox(temp.store)) {
      expect(m.status).toBe('failed');
      expect(m.last_error).toMatch(/expired before the checkout took it/);
    }
    expect(transport.sent).toHaveLength(0);
  });
});
