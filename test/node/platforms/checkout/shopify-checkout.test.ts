// Coupons at the Shopify checkout, end to end: a real sweep issues coupons,
// the real outbox drain sends through a memory transport, and the codes are
// made at a stand-in Shopify Admin GraphQL API on loopback HTTP (real fetch).
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createMemoryTransport } from '../../../../src/adapters/mailer/memory.ts';
import { ingestSchemas } from '../../../../src/core/ingest/records.ts';
import { cartRef } from '../../../../src/core/triggers/trigger-ref.ts';
import { coupons, customers } from '../../../../src/db/schema/index.ts';
import { wireCheckouts } from '../../../../src/entry/checkout-platforms.ts';
import { databaseViews } from '../../../../src/services/delivery/db-views.ts';
import { drainOutbox } from '../../../../src/services/delivery/drain-outbox.ts';
import { ingestRecords } from '../../../../src/services/ingest/ingest-records.ts';
import { createShopifyStandIn } from '../stand-ins/shopify-admin.ts';
import {
  campaignsOf,
  checkoutDelivery,
  checkoutStates,
  day,
  outbox,
  seedDormant,
  shopDomain,
  shopifyPlatform,
  standInPerTest,
  sweep,
  sweepAt,
  winback,
} from './checkout-shop.ts';

const shop = standInPerTest(createShopifyStandIn);

const gid = (customerId: string) => `gid://shopify/Customer/${customerId}`;

describe('coupons at the Shopify checkout', () => {
  it('a sweep and a send make exactly one code per sent coupon, in bulk adds of at most 250, on one discount', async () => {
    const campaigns = campaignsOf(winback(10));
    const ids = await seedDormant(shop.temp.store, 320);
    await sweep(shop.temp.store, campaigns);
    const planned = await outbox(shop.temp.store);
    const scheduled = planned.filter((m) => m.status === 'scheduled');
    expect(planned.filter((m) => m.status === 'held_out').length).toBeGreaterThan(0);
    // Five planned messages will not go: three addresses suppressed, two consents withdrawn.
    const dropped = scheduled.slice(0, 5).map((m) => m.customer_id);
    for (const [i, id] of dropped.entries()) {
      await shop.temp.store.db
        .update(customers)
        .set(i < 3 ? { suppressedAt: sweepAt } : { marketingConsent: false })
        .where(eq(customers.id, id));
    }
    const transport = createMemoryTransport();
    const options = await checkoutDelivery(shop.temp.store, transport, {
      platforms: shopifyPlatform(),
      campaigns,
      now: () => sweepAt,
      shopifyBaseUrl: shop.served.url,
    });
    const counts = await drainOutbox(options);
    expect(counts).toMatchObject({ cancelled: 5, failed: 0, awaitingCodes: 0 });

    const after = await outbox(shop.temp.store);
    const sent = after.filter((m) => m.status === 'sent');
    expect(sent).toHaveLength(scheduled.length - 5);
    expect(transport.sent).toHaveLength(sent.length);
    const sentCodes = sent.map((m) => m.coupon_code!).sort();
    // Exactly the sent coupons are at the checkout: none of the held-out (they have none) or cancelled ones.
    expect([...shop.standIn.codes.keys()].sort()).toEqual(sentCodes);
    for (const m of after.filter((row) => row.status !== 'sent')) {
      if (m.coupon_code) expect(shop.standIn.codes.has(m.coupon_code)).toBe(false);
    }
    // Each mail carries its own code.
    for (const mail of transport.sent) {
      const row = sent.find((m) => m.id === mail.id)!;
      expect(mail.raw).toContain(row.coupon_code!);
    }

    // One discount for the offer, created once, holding every code; the rest added 250 at a time at most.
    expect(shop.standIn.answered('discountCodeBasicCreate')).toHaveLength(1);
    const adds = shop.standIn.answered('discountRedeemCodeBulkAdd').map((c) => c.variables.codes.length);
    expect(Math.max(...adds)).toBeLessThanOrEqual(250);
    expect(adds).toContain(249);
    expect(1 + adds.reduce((a, b) => a + b, 0)).toBe(sent.length);
    const [discount] = [...shop.standIn.discounts.values()];
    expect(shop.standIn.discounts.size).toBe(1);
    expect(discount!.codes.slice().sort()).toEqual(sentCodes);
    // The terms: 15% off, over 40.00, one use per code, only the customers it was sent to.
    expect(discount!.input).toMatchObject({
      customerGets: { value: { percentage: 0.15 }, items: { all: true } },
      minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: '40.00' } },
      usageLimit: 1,
      appliesOncePerCustomer: true,
    });
    expect([...discount!.customers!].sort()).toEqual(sent.map((m) => gid(m.customer_id)).sort());
    expect(Date.parse(discount!.endsAt!)).toBeGreaterThanOrEqual(Math.max(...sent.map((m) => m.expires_at!)));
    expect(ids.length).toBe(320);

    const states = await checkoutStates(shop.temp.store);
    expect(states.map((s) => s.code).sort()).toEqual(sentCodes);
    expect(new Set(states.map((s) => `${s.platform}:${s.state}:${s.tries}`))).toEqual(
      new Set(['shopify:created:0']),
    );
  });

  it('a second drain makes no code again, and a later sweep adds to the same discount', async () => {
    const campaigns = campaignsOf(winback());
    await seedDormant(shop.temp.store, 5);
    await sweep(shop.temp.store, campaigns);
    // The first message's first send is refused for now: it is retried later, its code already made.
    const first = (await outbox(shop.temp.store))[0]!;
    const transport = createMemoryTransport((mail, attempt) =>
      mail.id === first.id && attempt === 1
        ? { kind: 'temporary', code: 451, reason: 'try later' }
        : undefined,
    );
    let now = sweepAt;
    const options = await checkoutDelivery(shop.temp.store, transport, {
      platforms: shopifyPlatform(),
      campaigns,
      now: () => now,
      shopifyBaseUrl: shop.served.url,
    });
    expect(await drainOutbox(options)).toMatchObject({ sent: 4, retrying: 1 });
    const callsAfterFirst = shop.standIn.calls.length;
    now = sweepAt + 2 * 3_600_000;
    expect(await drainOutbox(options)).toMatchObject({ sent: 1, retrying: 0 });
    expect(shop.standIn.calls.length).toBe(callsAfterFirst);
    expect(transport.sent).toHaveLength(5);

    // Ten days on, five more customers have lapsed: their codes join the offer's one discount.
    const later = sweepAt + 10 * day;
    await seedDormant(shop.temp.store, 5, { first: 7_200_000_000, now: later });
    await sweep(shop.temp.store, campaigns, later);
    now = later;
    expect(await drainOutbox(options)).toMatchObject({ sent: 5 });
    expect(shop.standIn.answered('discountCodeBasicCreate')).toHaveLength(1);
    expect(shop.standIn.discounts.size).toBe(1);
    const [discount] = [...shop.standIn.discounts.values()];
    expect(discount!.codes).toHaveLength(10);
    // The later codes expire later: the discount's end moved with them.
    const rows = await outbox(shop.temp.store);
    expect(Date.parse(discount!.endsAt!)).toBeGreaterThanOrEqual(Math.max(...rows.map((m) => m.expires_at!)));
    expect(discount!.customers!.size).toBe(10);
    const [{ n }] = (await shop.temp.store.db.all(sql`select count(*) as n from checkout_discounts`)) as [
      { n: number },
    ];
    expect(n).toBe(1);
  });

  it('a cart recovery link on the shop applies the code through Shopify’s /discount/ link', async () => {
    const recover = `https://${shopDomain}/4481/checkouts/c0ffee/recover?key=k9`;
    const cart = ingestSchemas.carts.parse({
      id: '3345',
      customer_id: '7100000001',
      email: 'cart@example.com',
      currency: 'GBP',
      status: 'open',
      recovery_url: recover,
      last_activity_at: new Date(sweepAt - 3_600_000).toISOString(),
      items: [{ product_id: 'p1', title: 'Mug', quantity: 2, unit_price: '25.00' }],
    });
    await ingestRecords({ store: shop.temp.store }, { kind: 'carts', records: [cart], now: sweepAt });
    await shop.temp.store.db.insert(coupons).values({
      code: 'CART-7KQ9-M2XF-H4TP',
      campaignId: 'winback',
      kind: 'percent_off',
      value: 10,
      currency: 'GBP',
      createdAt: sweepAt,
    });
    const campaigns = campaignsOf(winback());
    const message = {
      campaignId: 'winback',
      step: 0,
      customerId: '7100000001',
      email: 'cart@example.com',
      triggerKind: 'abandoned_cart',
      triggerRef: cartRef('3345', sweepAt - 3_600_000),
      couponCode: 'CART-7KQ9-M2XF-H4TP',
    };
    const view = async (platforms: ReturnType<typeof shopifyPlatform>) => {
      const { links } = wireCheckouts({
        platforms,
        store: shop.temp.store,
        shopCurrency: 'GBP',
        now: () => sweepAt,
      });
      const built = await databaseViews(shop.temp.store, campaigns, links).build({
        message: message as never,
        campaign: campaigns.campaigns[0]!,
        step: campaigns.campaigns[0]!.steps[0]!,
        settings: campaigns.settings,
        unsubscribeUrl: 'https://mail.shop.example/u/x',
      });
      return built!.cart!.recovery_url!;
    };
    const link = new URL(await view(shopifyPlatform()));
    expect(`${link.origin}${link.pathname}`).toBe(`https://${shopDomain}/discount/CART-7KQ9-M2XF-H4TP`);
    expect(link.searchParams.get('redirect')).toBe('/4481/checkouts/c0ffee/recover?key=k9');
    // Without codes made in Shopify the link keeps the plain parameter.
    expect(await view({})).toBe(`${recover}&discount=CART-7KQ9-M2XF-H4TP`);
  });
});
