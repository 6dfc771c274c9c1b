// Events to the shop when the shop does not answer 2xx, on a real libSQL
// file and a real HTTP receiver on loopback: a 500 is retried with the same
// id and body until delivered; an endpoint that is down is tried again after
// growing waits (30 s doubling to 6 h, with jitter) and given up after three
// days with the reason; and one that fails is not tried again in that pass.
import { describe, expect, it } from 'vitest';
import { syncSubscriptions } from '../../../src/services/webhooks/sync-subscriptions.ts';
import {
  complaintAt,
  eventSecret,
  sendCouponMail,
  settingsWithWebhooks,
  unsubscribeAt,
} from '../support/event-facts.ts';
import { closedEndpointUrl, signatureValid } from '../support/event-receiver.ts';
import { eventTest } from '../support/event-test.ts';

const minute = 60_000;
const day = 86_400_000;
const t0 = Date.parse('2026-11-23T12:00:00Z');

const { store, receiver, deliver, fourFacts, rows } = eventTest(t0);

describe('events the shop did not take', () => {
  it('retries after a 500 with the same id and body, and ends delivered', async () => {
    const shop = await receiver((_event, n) => (n === 0 ? 500 : 200));
    const settings = settingsWithWebhooks([{ url: shop.url, events: ['customer.unsubscribed'] }]);
    await syncSubscriptions(store(), settings.webhooks, t0 - day);
    const mail = await sendCouponMail(store(), settings, t0);
    await unsubscribeAt(store(), mail.messageId, t0 + minute);

    const now = t0 + 10 * minute;
    expect(await deliver([shop.url], now)).toMatchObject({ delivered: 0, retrying: 1 });
    const [waiting] = await rows();
    expect(waiting).toMatchObject({ attempts: 1, delivered_at: null, last_error: 'HTTP 500' });
    // 30 s with equal jitter: between 15 and 30 seconds later.
    expect(waiting!.next_attempt_at - now).toBeGreaterThanOrEqual(15_000);
    expect(waiting!.next_attempt_at - now).toBeLessThanOrEqual(30_000);
    // Not due yet: nothing is tried.
    expect(await deliver([shop.url], now + 10_000)).toMatchObject({ claimed: 0 });

    expect(await deliver([shop.url], now + 30_000)).toMatchObject({ delivered: 1 });
    expect(shop.received).toHaveLength(2);
    const [first, second] = shop.received;
    expect(second!.body.id).toBe(first!.body.id);
    expect(second!.raw).toBe(first!.raw);
    expect(second!.headers['rekindle-event-id']).toBe(first!.headers['rekindle-event-id']);
    expect(signatureValid(second!, eventSecret)).toBe(true);
    expect(await rows()).toEqual([
      expect.objectContaining({ attempts: 2, delivered_at: now + 30_000, last_error: null }),
    ]);
  });

  it('backs off further each time an endpoint is down, then gives up after three days with the reason', async () => {
    const url = await closedEndpointUrl();
    const settings = settingsWithWebhooks([{ url, events: ['customer.complained'] }]);
    await syncSubscriptions(store(), settings.webhooks, t0 - day);
    const mail = await sendCouponMail(store(), settings, t0);
    await complaintAt(store(), mail.messageId, t0 + minute);

    const waits: number[] = [];
    let now = t0 + minute;
    for (let i = 0; i < 100; i++) {
      const counts = await deliver([url], now);
      expect(counts.claimed).toBe(1);
      const [row] = await rows();
      expect(row!.attempts).toBe(i + 1);
      if (row!.failed_at !== null) break;
      expect(row!.last_error).toBe('network error: ECONNREFUSED');
      waits.push(row!.next_attempt_at - now);
      now = row!.next_attempt_at;
    }
    const [row] = await rows();
    expect(row!.failed_at).toBe(now);
    expect(row!.last_error).toMatch(/^gave up after \d+ attempts over 3 days: network error: ECONNREFUSED$/);
    // Each wait at least as long as the one before while the doubling runs
    // (30 s x 2^9 is the last below 6 hours; jitter keeps every wait above half
    // its nominal), then between 3 and 6 hours.
    expect(waits.length).toBeGreaterThan(12);
    for (let i = 1; i <= 9; i++) expect(waits[i]!).toBeGreaterThanOrEqual(waits[i - 1]!);
    expect(waits[0]!).toBeLessThanOrEqual(30_000);
    expect(waits[9]! / waits[0]!).toBeGreaterThan(200);
    for (const wait of waits.slice(10)) {
      expect(wait).toBeGreaterThanOrEqual(3 * 60 * minute);
      expect(wait).toBeLessThanOrEqual(6 * 60 * minute);
    }
    expect(now - (t0 + minute)).toBeLessThanOrEqual(3 * day);
    expect(now - (t0 + minute)).toBeGreaterThan(2 * day);
    // Given up is final.
    expect(await deliver([url], now + day)).toMatchObject({ claimed: 0 });
  });

  it('tries an endpoint that answers 503 once per pass; the rest wait untried, with no attempt spent', async () => {
    const shop = await receiver(() => 503);
    const settings = settingsWithWebhooks([{ url: shop.url }]);
    await syncSubscriptions(store(), settings.webhooks, t0 - day);
    await fourFacts(settings);

    const counts = await deliver([shop.url], t0 + day, { settings: { concurrency: 1 } });
    expect(counts).toMatchObject({ claimed: 4, retrying: 1, released: 3 });
    expect(shop.received).toHaveLength(1);
    expect((await rows()).map((r) => r.attempts).sort()).toEqual([0, 0, 0, 1]);
    // Untried rows are due again at once and free to claim.
    expect(await deliver([shop.url], t0 + day, { settings: { concurrency: 1 } })).toMatchObject({
      claimed: 3,
      retrying: 1,
      released: 2,
    });
  });
});
