// The recheck just before sending: each way a planned message can stop
// holding cancels it with its reason, on a real libSQL file; the rest go out.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTransport } from '../../../src/adapters/mailer/memory.ts';
import type { Campaign } from '../../../src/core/campaigns/types.ts';
import { hashEmail } from '../../../src/core/email-hash.ts';
import {
  carts,
  customers,
  messages,
  orderItems,
  orders,
  priceDrops,
  products,
  restocks,
  suppressions,
} from '../../../src/db/schema/index.ts';
import { drainOutbox } from '../../../src/services/delivery/drain-outbox.ts';
import {
  dormantCampaign,
  noAudience,
  priceDropCampaign,
  shopSettings,
} from '../support/campaign-fixtures.ts';
import {
  campaignSet,
  deliveryOptions,
  fakeViews,
  seedCustomers,
  seedMessages,
  t0,
} from '../support/delivery-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  await temp.cleanup();
});

const hour = 3_600_000;
const step = (index: number) => ({
  index,
  delayHours: index,
  email: { template: 'cart.mjml', subject: 'Your cart' },
  offer: null,
});
const cartCampaign: Campaign = {
  ...dormantCampaign(),
  id: 'cart',
  consent: 'shop_policy',
  trigger: { type: 'abandoned_cart', minCartValue: null },
  audience: noAudience,
  steps: [step(0), step(1)],
};
const stockCampaign: Campaign = {
  ...dormantCampaign(),
  id: 'restock',
  trigger: { type: 'back_in_stock', includeCarts: false, allocation: { mode: 'all' } },
};

async function reasons(): Promise<Record<string, string | null>> {
  const rows = await temp.store.db.select().from(messages);
  return Object.fromEntries(rows.map((r) => [r.id, r.status === 'cancelled' ? r.cancelReason : r.status]));
}

describe('recheck before sending', () => {
  it('cancels each message that no longer holds, with its reason, and sends the rest', async () => {
    const { store } = temp;
    await seedCustomers(store, 12);
    await seedCustomers(store, 1, { id: 'nocons', email: 'nocons@example.com', marketingConsent: false });
    await store.db
      .update(customers)
      .set({ suppressedAt: t0 - 1 })
      .where(eq(customers.id, 'c2'));
    const lastPurchase = t0 - 200 * 86_400_000;
    await seedMessages(store, ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'nocons'], {});
    // c3: its address is in the suppression table (e.g. unsubscribed under another customer id).
    await store.db
      .insert(suppressions)
      .values({ emailHash: await hashEmail('C3@Example.com '), reason: 'unsubscribed', createdAt: t0 });
    // c4: erased on request.
    await store.db
      .update(customers)
      .set({ erasedAt: t0 - 1 })
      .where(eq(customers.id, 'c4'));
    // c5: bought again after the purchase the dormancy was measured from.
    await store.db.insert(orders).values({
      id: 'o-new',
      customerId: 'c5',
      placedAt: lastPurchase + 86_400_000,
      status: 'paid',
      currency: 'GBP',
      totalMinor: 100,
      updatedAt: t0,
    });
    // c6: an order after it that was refunded is not a purchase: still sent.
    await store.db.insert(orders).values({
      id: 'o-ref',
      customerId: 'c6',
      placedAt: lastPurchase + 86_400_000,
      status: 'refunded',
      currency: 'GBP',
      totalMinor: 100,
      updatedAt: t0,
    });

    // Campaign-level reasons.
    const seed = (id: string, customerId: string, fields: Partial<typeof messages.$inferInsert>) =>
      seedMessages(store, [customerId], { id, dedupeKey: `${id}:key`, ...fields });
    await seed('gone', 'c7', { campaignId: 'retired' });
    await seed('off', 'c7', { campaignId: 'paused' });
    await seed('nostep', 'c7', { step: 3 });
    await seed('noaddr', 'c7', { email: null });

    // Carts: converted, deleted (row gone), touched again, ordered since, still open.
    const activity = t0 - 2 * hour;
    const cart = (id: string, status: 'open' | 'converted' | 'deleted', lastActivityAt = activity) => ({
      id,
      customerId: 'c8',
      email: 'c8@example.com',
      status,
      currency: 'GBP',
      valueMinor: 2500,
      lastActivityAt,
      createdAt: activity,
      updatedAt: t0,
    });
    await store.db
      .insert(carts)
      .values([cart('k1', 'converted'), cart('k3', 'open', activity + hour), cart('k5', 'open')]);
    const cartMessage = (id: string, cartId: string, customerId = 'c8') =>
      seed(id, customerId, {
        campaignId: 'cart',
        triggerKind: 'abandoned_cart',
        triggerRef: `cart${cartId}@${activity}`,
        step: 1,
      });
    await cartMessage('converted', 'k1');
    await cartMessage('deleted', 'k2');
    await cartMessage('changed', 'k3');
    await cartMessage('cartok', 'k5');
    await store.db.insert(carts).values({ ...cart('k9', 'open'), customerId: 'c9', email: 'c9@example.com' });
    await store.db.insert(orders).values({
      id: 'o-cart',
      customerId: 'c9',
      placedAt: activity + 60_000,
      status: 'paid',
      currency: 'GBP',
      totalMinor: 2500,
      updatedAt: t0,
    });
    await cartMessage('cartordered', 'k9', 'c9');

    // Back in stock: sold out again, still in stock.
    await store.db.insert(products).values([
      { id: 'p1', title: 'Mug', currency: 'GBP', priceMinor: 1200, inStock: false, updatedAt: t0 },
      { id: 'p2', title: 'Jug', currency: 'GBP', priceMinor: 1900, inStock: true, updatedAt: t0 },
    ]);
    const [r1] = await store.db
      .insert(restocks)
      .values({ productId: 'p1', quantity: 3, at: t0 - hour })
      .returning();
    const [r2] = await store.db
      .insert(restocks)
      .values({ productId: 'p2', quantity: 3, at: t0 - hour })
      .returning();
    const stockMessage = (id: string, restockId: number) =>
      seed(id, 'c10', {
        campaignId: 'restock',
        triggerKind: 'back_in_stock',
        triggerRef: `restock${restockId}`,
      });
    await stockMessage('soldout', r1!.id);
    await stockMessage('instock', r2!.id);

    // The view builder finds nothing left to show for this one.
    await seed('empty', 'c11', {});

    const transport = createMemoryTransport();
    const options = await deliveryOptions(store, transport, {
      campaigns: campaignSet({
        settings: shopSettings({ consent: { nonSubscribersMayReceive: ['abandoned_cart_first_step'] } }),
        campaigns: [
          dormantCampaign(),
          { ...dormantCampaign(), id: 'paused', enabled: false },
          cartCampaign,
          stockCampaign,
        ],
      }),
      views: {
        build: (input) => (input.message.id === 'empty' ? Promise.resolve(null) : fakeViews.build(input)),
      },
      settings: { batchSize: 7, concurrency: 2, leaseMs: 60_000 },
    });
    const counts = await drainOutbox(options);

    expect(await reasons()).toEqual({
      m00001: 'sent',
      m00002: 'suppressed',
      m00003: 'suppressed',
      m00004: 'erased',
      m00005: 'ordered',
      m00006: 'sent',
      m00007: 'consent_withdrawn',
      gone: 'campaign_removed',
      off: 'campaign_disabled',
      nostep: 'step_removed',
      noaddr: 'no_address',
      converted: 'cart_converted',
      deleted: 'cart_deleted',
      changed: 'cart_changed',
      cartok: 'sent',
      cartordered: 'ordered',
      soldout: 'sold_out',
      instock: 'sent',
      empty: 'content_unavailable',
    });
    expect(counts).toMatchObject({ claimed: 19, sent: 4, cancelled: 15 });
    expect(counts.cancelReasons).toMatchObject({ suppressed: 2, ordered: 2, sold_out: 1 });
    expect(transport.sent.map((m) => m.envelope.to).sort()).toEqual([
      'c10@example.com',
      'c1@example.com',
      'c6@example.com',
      'c8@example.com',
    ]);
    const cancelled = await store.db.select().from(messages).where(eq(messages.status, 'cancelled'));
    expect(cancelled.every((m) => m.leaseUntil === null && m.attempts === 0 && m.links === null)).toBe(true);
  });

  it('lets a non-subscriber get the first cart reminder under shop_policy, but not the second', async () => {
    const { store } = temp;
    await seedCustomers(store, 1, { marketingConsent: false });
    const activity = t0 - 30 * hour;
    await store.db.insert(carts).values({
      id: 'k',
      customerId: 'c1',
      email: 'c1@example.com',
      status: 'open',
      currency: 'GBP',
      valueMinor: 900,
      lastActivityAt: activity,
      createdAt: activity,
      updatedAt: t0,
    });
    for (const index of [0, 1]) {
      await seedMessages(store, ['c1'], {
        id: `s${index}`,
        dedupeKey: `cart:${index}`,
        campaignId: 'cart',
        triggerKind: 'abandoned_cart',
        triggerRef: `cartk@${activity}`,
        step: index,
      });
    }
    const options = await deliveryOptions(store, createMemoryTransport(), {
      campaigns: campaignSet({
        settings: shopSettings({ consent: { nonSubscribersMayReceive: ['abandoned_cart_first_step'] } }),
        campaigns: [cartCampaign],
      }),
    });
    await drainOutbox(options);
    expect(await reasons()).toEqual({ s0: 'sent', s1: 'consent_withdrawn' });
  });
});

describe('recheck of a browse-abandonment message', () => {
  it('cancels it when the customer ordered after the view or the product sold out, and sends the rest', async () => {
    const { store } = temp;
    await seedCustomers(store, 4);
    const viewedAt = t0 - 5 * hour;
    await store.db.insert(products).values([
      { id: 'mug', title: 'Mug', currency: 'GBP', priceMinor: 1200, inStock: true, updatedAt: t0 },
      { id: 'jug', title: 'Jug', currency: 'GBP', priceMinor: 1900, inStock: false, updatedAt: t0 },
    ]);
    const paid = (id: string, customerId: string, placedAt: number) => ({
      id,
      customerId,
      placedAt,
      status: 'paid' as const,
      currency: 'GBP',
      totalMinor: 1200,
      updatedAt: t0,
    });
    // c1 bought after the view; c4 only before it.
    await store.db
      .insert(orders)
      .values([paid('o1', 'c1', viewedAt + 60_000), paid('o4', 'c4', viewedAt - 1)]);
    const browse: Campaign = {
      ...dormantCampaign(),
      id: 'browse',
      trigger: { type: 'browse_abandonment', hours: 4, maxHours: 48 },
    };
    const message = (customerId: string, productId: string) =>
      seedMessages(store, [customerId], {
        id: `b-${customerId}`,
        dedupeKey: `browse:0:${customerId}:view${productId}@${viewedAt}`,
        campaignId: 'browse',
        triggerKind: 'browse_abandonment',
        triggerRef: `view${productId}@${viewedAt}`,
      });
    await message('c1', 'mug');
    await message('c2', 'jug');
    await message('c3', 'mug');
    await message('c4', 'mug');
    const transport = createMemoryTransport();
    const options = await deliveryOptions(store, transport, {
      campaigns: campaignSet({ settings: shopSettings(), campaigns: [browse] }),
      views: fakeViews,
    });
    await drainOutbox(options);
    expect(await reasons()).toEqual({
      'b-c1': 'ordered',
      'b-c2': 'sold_out',
      'b-c3': 'sent',
      'b-c4': 'sent',
    });
  });
});

describe('recheck of a replenishment message', () => {
  it('cancels it when the customer bought the product again or it sold out, and sends the rest', async () => {
    const { store } = temp;
    await seedCustomers(store, 5);
    const boughtAt = t0 - 27 * 86_400_000;
    const stamp = { currency: 'GBP', updatedAt: t0 };
    await store.db.insert(products).values([
      { ...stamp, id: 'beans', title: 'Beans', priceMinor: 900, inStock: true },
      { ...stamp, id: 'tea', title: 'Tea', priceMinor: 700, inStock: false },
    ]);
    const paid = (id: string, customerId: string, placedAt: number, productId: string, quantity = 1) => ({
      order: { ...stamp, id, customerId, placedAt, status: 'paid' as const, totalMinor: 900 },
      item: { orderId: id, lineNo: 0, productId, quantity, unitPriceMinor: 900 },
    });
    const bought = [
      // c1 bought the beans again; c3 bought something else since; c4 the beans once more
      // in the same instant (no re-buy), and returned a pack (no purchase); c5 only before.
      paid('o1', 'c1', boughtAt + 60_000, 'beans'),
      paid('o3', 'c3', boughtAt + 60_000, 'tea'),
      paid('o4', 'c4', boughtAt, 'beans'),
      paid('o4r', 'c4', boughtAt + 60_000, 'beans', -1),
      paid('o5', 'c5', boughtAt - 60_000, 'beans'),
    ];
    await store.db.insert(orders).values(bought.map((b) => b.order));
    await store.db.insert(orderItems).values(bought.map((b) => b.item));
    const refill: Campaign = {
      ...dormantCampaign(),
      id: 'refill',
      trigger: { type: 'replenishment', daysBefore: 3, maxDaysLate: 14, learn: null, categories: null },
    };
    const message = (customerId: string, productId: string) =>
      seedMessages(store, [customerId], {
        id: `r-${customerId}`,
        dedupeKey: `refill:0:${customerId}:refill${productId}@${boughtAt}`,
        campaignId: 'refill',
        triggerKind: 'replenishment',
        triggerRef: `refill${productId}@${boughtAt}`,
      });
    await message('c1', 'beans');
    await message('c2', 'tea');
    await message('c3', 'beans');
    await message('c4', 'beans');
    await message('c5', 'beans');
    const transport = createMemoryTransport();
    const options = await deliveryOptions(store, transport, {
      campaigns: campaignSet({ settings: shopSettings(), campaigns: [refill] }),
      views: fakeViews,
    });
    await drainOutbox(options);
    expect(await reasons()).toEqual({
      'r-c1': 'rebought',
      'r-c2': 'sold_out',
      // Another order since is no reason: only buying the product again stops the reminder.
      'r-c3': 'sent',
      'r-c4': 'sent',
      'r-c5': 'sent',
    });
  });
});

describe('recheck of a price-drop message', () => {
  it('cancels it when the price went back up, the product sold out or they bought it since the drop', async () => {
    const { store } = temp;
    await seedCustomers(store, 7);
    const dropAt = t0 - 5 * hour;
    const product = (id: string, priceMinor: number, inStock = true, currency = 'GBP') => ({
      id,
      title: id,
      currency,
      priceMinor,
      inStock,
      updatedAt: t0,
    });
    await store.db
      .insert(products)
      .values([
        product('mug', 1500),
        product('jug', 1600),
        product('hat', 1500, false),
        product('cap', 1200),
        product('eur', 1500, true, 'EUR'),
      ]);
    const drops = await store.db
      .insert(priceDrops)
      .values(
        ['mug', 'jug', 'hat', 'cap', 'eur'].map((productId) => ({
          productId,
          currency: 'GBP',
          fromMinor: 2000,
          toMinor: 1500,
          at: dropAt,
        })),
      )
      .returning();
    const dropOf = (productId: string) => drops.find((d) => d.productId === productId)!.id;
    // c4 bought the mug after the drop, c5 only before it.
    const paid = (id: string, customerId: string, placedAt: number) => ({
      id,
      customerId,
      placedAt,
      status: 'paid' as const,
      currency: 'GBP',
      totalMinor: 1500,
      updatedAt: t0,
    });
    await store.db.insert(orders).values([paid('o4', 'c4', dropAt + 60_000), paid('o5', 'c5', dropAt - 1)]);
    await store.db.insert(orderItems).values(
      ['o4', 'o5'].map((orderId) => ({
        orderId,
        lineNo: 0,
        productId: 'mug',
        title: 'mug',
        quantity: 1,
        unitPriceMinor: 1500,
      })),
    );
    const campaign = priceDropCampaign();
    const message = (customerId: string, productId: string) =>
      seedMessages(store, [customerId], {
        id: `d-${customerId}`,
        dedupeKey: `${campaign.id}:0:${customerId}:drop${dropOf(productId)}`,
        campaignId: campaign.id,
        triggerKind: 'price_drop',
        triggerRef: `drop${dropOf(productId)}`,
      });
    await message('c1', 'mug');
    await message('c2', 'jug');
    await message('c3', 'hat');
    await message('c4', 'mug');
    await message('c5', 'mug');
    // Cheaper still than the drop: still a drop.
    await message('c6', 'cap');
    // The product now sells in another currency: the drop cannot be compared.
    await message('c7', 'eur');
    const options = await deliveryOptions(store, createMemoryTransport(), {
      campaigns: campaignSet({ settings: shopSettings(), campaigns: [campaign] }),
      views: fakeViews,
    });
    const counts = await drainOutbox(options);
    expect(await reasons()).toEqual({
      'd-c1': 'sent',
      'd-c2': 'price_restored',
      'd-c3': 'sold_out',
      'd-c4': 'ordered',
      'd-c5': 'sent',
      'd-c6': 'sent',
      'd-c7': 'price_restored',
    });
    expect(counts.cancelReasons).toEqual({ price_restored: 2, sold_out: 1, ordered: 1 });
  });
});
