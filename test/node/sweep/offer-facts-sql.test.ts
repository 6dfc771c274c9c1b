// The offer rule's and exclude_if_messaged_by's facts: the page SQL
// (src/db/sweeps/offer-history-columns.ts) finds what the core oracles
// (offerFacts, messagedByFact) find in the same messages, on random histories
// in a real libSQL file: every status, coupons used up or expiring at the
// edge, offers noted whose coupons are still to be issued at their send, due
// times on the window's edge, a cart's own series, guests known only by
// address, and messages to the same address under another identity.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { audienceNeeds } from '../../../src/core/selection/audience.ts';
import { messagedByFact } from '../../../src/core/selection/messaged-by.ts';
import { type OfferFactNeeds, offerFacts, type PastMessage } from '../../../src/core/selection/offer-rule.ts';
import { cartRef } from '../../../src/core/triggers/trigger-ref.ts';
import { coupons, messageStatuses, messages } from '../../../src/db/schema/index.ts';
import { cartPage, firstCartCursor } from '../../../src/db/sweeps/cart-hits.ts';
import { dormantPage } from '../../../src/db/sweeps/dormant-hits.ts';
import {
  type OfferHistoryNeeds,
  parseHeldCoupon,
  parseMessageFact,
} from '../../../src/db/sweeps/offer-history-columns.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { noAudience } from '../support/campaign-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const hour = 3_600_000;
const day = 24 * hour;
const now = Date.parse('2026-11-23T12:00:00Z');
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Seeded extends PastMessage {
  customerId: string | null;
  email: string;
}

const needs: OfferHistoryNeeds = {
  offers: { couponsSince: now - 30 * day, heldCouponsAt: now },
  messagedBy: { campaigns: ['winback', 'cart'], since: now - 20 * day },
};

async function seedShop(next: () => number): Promise<Seeded[]> {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const customers = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5'];
  const guests = ['g0@example.com', 'g1@example.com', 'g2@example.com'];
  const cartActivity = now - 2 * hour;
  const store = { store: temp.store };
  await ingestRecords(store, {
    kind: 'customers',
    records: customers.map((id) =>
      ingestSchemas.customers.parse({ id, email: `${id}@example.com`, marketing_consent: true }),
    ),
    now,
  });
  await ingestRecords(store, {
    kind: 'orders',
    records: customers.map((id) =>
      ingestSchemas.orders.parse({
        id: `o-${id}`,
        customer_id: id,
        placed_at: new Date(now - 200 * day).toISOString(),
        status: 'paid',
        currency: 'GBP',
        total: '50.00',
      }),
    ),
    now,
  });
  const carts = [
    ...customers.map((id) => ({ id: `cart-${id}`, customer_id: id, email: `${id}@example.com` })),
    ...guests.map((email, i) => ({ id: `cart-g${i}`, customer_id: null, email })),
  ];
  await ingestRecords(store, {
    kind: 'carts',
    records: carts.map((c) =>
      ingestSchemas.carts.parse({
        ...c,
        currency: 'GBP',
        last_activity_at: new Date(cartActivity).toISOString(),
        items: [{ product_id: 'p1', quantity: 1, unit_price: '20.00' }],
      }),
    ),
    now,
  });

  const since = [needs.offers.couponsSince!, needs.messagedBy!.since];
  const seeded: Seeded[] = [];
  let n = 0;
  // A customer's messages, guest messages to an address, and the confusers:
  // a guest message to a customer's address, a customer's message to a guest address.
  const recipients = [
    ...customers.map((id) => ({ customerId: id, email: `${id}@example.com`, cart: `cart-${id}` })),
    ...guests.map((email, i) => ({ customerId: null, email, cart: `cart-g${i}` })),
    { customerId: null, email: 'c0@example.com', cart: 'none' },
    { customerId: 'c1', email: 'g0@example.com', cart: 'none' },
  ];
  for (const to of recipients) {
    const count = Math.floor(next() * 11);
    for (let i = 0; i < count; i++) {
      const edge = next();
      const dueAt =
        edge < 0.15
          ? pick(since) + pick([-1, 0, 1])
          : now + Math.round((next() * 80 - 70) * day) + Math.floor(next() * 1000);
      const usesAllowed = pick([1, 1, 2]);
      const coupon =
        next() < 0.65
          ? {
              expiresAt: pick([null, now, now + 1, now - 1, dueAt + 3 * day, dueAt + 40 * day]),
              uses: next() < 0.6 ? 0 : Math.floor(next() * (usesAllowed + 1)),
              usesAllowed,
            }
          : null;
      // The offer the sweep noted: on most coupon-less ones, a coupon still to
      // be issued at their send; a coupon without it is a row from before
      // offers were noted.
      const offer = coupon ? next() < 0.5 : next() < 0.4;
      const campaignId = pick(['winback', 'vip', 'cart', 'z-other']);
      const triggerRef = campaignId === 'cart' && next() < 0.5 ? cartRef(to.cart, cartActivity) : `ref${n}`;
      seeded.push({
        customerId: to.customerId,
        email: to.email,
        campaignId,
        triggerRef,
        // Mostly live ones, so a recipient often has several that count.
        status: pick([...messageStatuses, 'sent', 'sent', 'scheduled', 'sent']),
        dueAt,
        coupon,
        offer,
      });
      n++;
    }
  }
  for (const [i, m] of seeded.entries()) {
    const id = `m${String(i).padStart(4, '0')}`;
    const code = m.coupon ? `CODE${i}` : null;
    await temp.store.db.insert(messages).values({
      id,
      dedupeKey: `k${i}`,
      campaignId: m.campaignId,
      customerId: m.customerId,
      email: m.email,
      triggerKind: m.campaignId === 'cart' ? 'abandoned_cart' : 'dormant',
      triggerRef: m.triggerRef,
      status: m.status as (typeof messageStatuses)[number],
      couponCode: code,
      offerCurrency: m.offer ? 'GBP' : null,
      dueAt: m.dueAt,
      createdAt: m.dueAt,
      updatedAt: m.dueAt,
    });
    if (m.coupon && code) {
      await temp.store.db.insert(coupons).values({
        code,
        campaignId: m.campaignId,
        messageId: id,
        customerId: m.customerId,
        kind: 'percent_off',
        value: 10,
        currency: 'GBP',
        expiresAt: m.coupon.expiresAt,
        usesAllowed: m.coupon.usesAllowed,
        uses: m.coupon.uses,
        createdAt: m.dueAt,
      });
    }
  }
  return seeded;
}

/** A recipient's history as the rule means it: by customer id, or for a guest by address among guest messages. */
function historyOf(seeded: readonly Seeded[], customerId: string | null, email: string): Seeded[] {
  return seeded.filter((m) =>
    customerId === null ? m.customerId === null && m.email === email : m.customerId === customerId,
  );
}

const expected = (
  history: readonly PastMessage[],
  ownSeries: { campaignId: string; triggerRef: string } | null,
) => ({
  ...offerFacts(history, needs.offers, ownSeries),
  messagedBy: messagedByFact(history, needs.messagedBy!),
});

const found = (row: { last_coupon_message?: unknown; held_coupon?: unknown; messaged_by?: unknown }) => ({
  lastCouponMessage: parseMessageFact(row.last_coupon_message),
  heldCoupon: parseHeldCoupon(row.held_coupon),
  messagedBy: parseMessageFact(row.messaged_by),
});

const dormantQuery = (offerHistory: OfferHistoryNeeds) => ({
  campaignId: 'vip',
  trigger: { type: 'dormant' as const, days: 90, maxDays: null, minOrders: 1, cadenceFactor: null },
  audience: audienceNeeds({ audience: noAudience, steps: [] }),
  shopCurrency: 'GBP',
  now,
  capSince: now - day,
  offerHistory,
});

const cartQuery = (offerHistory: OfferHistoryNeeds) => ({
  campaignId: 'cart',
  delaysHours: [1],
  audience: audienceNeeds({ audience: noAudience, steps: [] }),
  shopCurrency: 'GBP',
  now,
  capSince: now - day,
  offerHistory,
});

describe('offer facts: the page SQL agrees with the core oracles', () => {
  it.each([1, 2, 3, 4, 5, 6])('on a random history (seed %i)', async (seed) => {
    const seeded = await seedShop(random(seed));

    const dormant = await dormantPage(temp.store, dormantQuery(needs), '', 1000);
    expect(dormant).toHaveLength(6);
    for (const row of dormant) {
      expect({ customer: row.customer_id, ...found(row) }).toEqual({
        customer: row.customer_id,
        ...expected(historyOf(seeded, row.customer_id, row.email!), null),
      });
    }

    const carts = await cartPage(temp.store, cartQuery(needs), firstCartCursor, 1000);
    expect(carts).toHaveLength(9);
    for (const row of carts) {
      const own = { campaignId: 'cart', triggerRef: cartRef(row.cart_id, row.last_activity_at) };
      expect({ cart: row.cart_id, ...found(row) }).toEqual({
        cart: row.cart_id,
        ...expected(historyOf(seeded, row.customer_id, row.email!), own),
      });
    }
  });

  it('a campaign no rule applies to gets none of the columns', async () => {
    await seedShop(random(7));
    const none: OfferHistoryNeeds = {
      offers: { couponsSince: null, heldCouponsAt: null } satisfies OfferFactNeeds,
      messagedBy: null,
    };
    const [dormant] = await dormantPage(temp.store, dormantQuery(none), '', 1);
    const [cart] = await cartPage(temp.store, cartQuery(none), firstCartCursor, 1);
    for (const row of [dormant, cart]) {
      expect(row).toBeDefined();
      expect(Object.keys(row!)).not.toEqual(expect.arrayContaining(['last_coupon_message']));
      expect(row).not.toHaveProperty('held_coupon');
      expect(row).not.toHaveProperty('messaged_by');
    }
  });
});
