// The offer's one Shopify discount in the cases around it: a discount made
// by an earlier call whose answer was lost (its first code is TAKEN) is
// found by its code and reused, not duplicated; a free-shipping offer is a
// free-shipping discount; a coupon whose minimum is in another currency than
// the shop's fails unsent rather than being written as the shop's.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createMemoryTransport } from '../../../../src/adapters/mailer/memory.ts';
import { drainOutbox } from '../../../../src/services/delivery/drain-outbox.ts';
import { winbackOffer } from '../../support/campaign-fixtures.ts';
import { createShopifyStandIn } from '../stand-ins/shopify-admin.ts';
import {
  adminToken,
  campaignsOf,
  checkoutDelivery,
  checkoutStates,
  issueAsFirstAttempt,
  outbox,
  seedDormant,
  shopifyPlatform,
  standInPerTest,
  sweep,
  sweepAt,
  winback,
} from './checkout-shop.ts';

const shop = standInPerTest(createShopifyStandIn);

async function drain(campaigns: ReturnType<typeof campaignsOf>) {
  const transport = createMemoryTransport();
  const options = await checkoutDelivery(shop.temp.store, transport, {
    platforms: shopifyPlatform(),
    campaigns,
    now: () => sweepAt,
    shopifyBaseUrl: shop.served.url,
  });
  return { counts: await drainOutbox(options), transport };
}

describe('the offer’s Shopify discount', () => {
  it('made by a call whose answer was lost: found by its first code and reused', async () => {
    const campaigns = campaignsOf(winback());
    await seedDormant(shop.temp.store, 4);
    await sweep(shop.temp.store, campaigns);
    await issueAsFirstAttempt(shop.temp.store, campaigns);
    // The codes go in code order: Shopify already holds a discount made with the first; Rekindle never heard back.
    const [first] = (await outbox(shop.temp.store)).sort((a, b) =>
      a.coupon_code! < b.coupon_code! ? -1 : 1,
    );
    const lost = await shop.standIn.handle(
      new Request(`${shop.served.url}/admin/api/2025-10/graphql.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-shopify-access-token': adminToken },
        body: JSON.stringify({
          query:
            'mutation M($input: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $input) { codeDiscountNode { id } } }',
          variables: {
            input: {
              title: 'lost',
              code: first!.coupon_code,
              startsAt: '2026-11-23T12:00:00Z',
              context: { all: 'ALL' },
            },
          },
        }),
      }),
    );
    expect(lost.status).toBe(200);
    const { counts, transport } = await drain(campaigns);
    expect(counts).toMatchObject({ sent: 4, failed: 0 });
    expect(transport.sent).toHaveLength(4);
    expect(shop.standIn.discounts.size).toBe(1);
    expect(shop.standIn.answered('codeDiscountNodeByCode')).toHaveLength(1);
    const [discount] = [...shop.standIn.discounts.values()];
    expect(discount!.codes.slice().sort()).toEqual(
      (await outbox(shop.temp.store)).map((m) => m.coupon_code).sort(),
    );
    const states = new Map((await checkoutStates(shop.temp.store)).map((s) => [s.code, s.state]));
    expect(states.get(first!.coupon_code!)).toBe('existed');
  });

  it('a free-shipping offer is a free-shipping discount for every destination', async () => {
    const campaign = winback();
    const offer = {
      ...winbackOffer,
      kind: 'free_shipping' as const,
      minSubtotal: null,
      bindToCustomer: false,
    };
    const campaigns = campaignsOf({ ...campaign, steps: [{ ...campaign.steps[0]!, offer }] });
    await seedDormant(shop.temp.store, 3);
    await sweep(shop.temp.store, campaigns);
    const { counts } = await drain(campaigns);
    expect(counts).toMatchObject({ sent: 3 });
    expect(shop.standIn.answered('discountCodeFreeShippingCreate')).toHaveLength(1);
    expect(shop.standIn.answered('discountCodeBasicCreate')).toHaveLength(0);
    const [discount] = [...shop.standIn.discounts.values()];
    expect(discount!.input).toMatchObject({
      destination: { all: true },
      context: { all: 'ALL' },
      usageLimit: 1,
    });
    expect(discount!.input.customerGets).toBeUndefined();
    expect(discount!.codes).toHaveLength(3);
  });

  it('a minimum in another currency than the shop’s fails its message unsent', async () => {
    // The shop sells in GBP; this customer's coupon is written in EUR.
    const campaign = winback();
    const offer = { ...winbackOffer, minSubtotal: { GBP: 4000, EUR: 4500 } };
    const campaigns = campaignsOf({ ...campaign, steps: [{ ...campaign.steps[0]!, offer }] });
    const [id] = await seedDormant(shop.temp.store, 1);
    await shop.temp.store.db.run(sql`update orders set currency = 'EUR' where customer_id = ${id!}`);
    await sweep(shop.temp.store, campaigns);
    const { counts, transport } = await drain(campaigns);
    expect(counts).toMatchObject({ sent: 0, failed: 1 });
    expect(transport.sent).toHaveLength(0);
    const [row] = await outbox(shop.temp.store);
    expect(row!.last_error).toMatch(
      /^checkout: shopify: Shopify: the checkout counts amounts in the shop currency \(GBP\)/,
    );
    expect(shop.standIn.calls).toHaveLength(0);
  });
});
