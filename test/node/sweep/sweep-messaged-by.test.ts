// A campaign's exclude_if_messaged_by (issue 11, finding 3), on a real libSQL
// file: customers the named campaigns messaged inside the window are left
// out, for each trigger, and --explain says by which message.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../src/core/campaigns/types.ts';
import { dormantCampaign } from '../support/campaign-fixtures.ts';
import { day, now, offerShop, settings, vip, winback, withOffer } from '../support/offer-history-seed.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());
const { ingest, customer, leftCart, sweep, earlier, summary } = offerShop(() => temp.store);

describe('exclude_if_messaged_by', () => {
  const excluding = (campaign: Campaign): Campaign => ({
    ...campaign,
    excludeIfMessagedBy: { campaigns: ['winback'], withinDays: 30 },
  });

  it('leaves out customers the named campaign messaged inside the window, not outside it', async () => {
    const ids = ['inside', 'outside', 'held', 'elsewhere', 'ahead'];
    for (const id of ids) await customer(id, 150);
    const to = (id: string) => ({ customerId: id, email: `${id}@example.com` });
    await earlier(winback, to('inside'), now - 12 * day);
    await earlier(winback, to('outside'), now - 31 * day);
    await earlier(winback, to('held'), now - 2 * day, 'held_out');
    await earlier(dormantCampaign({ id: 'newsletter' }), to('elsewhere'), now - 2 * day);
    await earlier(winback, to('ahead'), now + day, 'scheduled');

    const plainVip = excluding({ ...vip, steps: withOffer(null) });
    const result = await sweep([plainVip], settings());
    expect(result.campaigns[0]).toMatchObject({ eligible: 5, excluded: { messaged_by: 2 }, scheduled: 3 });
    const why = await sweep([plainVip], settings(), { explain: 'inside' });
    expect(
      await summary(why, { campaigns: [plainVip], settings: settings() }, 'inside', 'winback-vip'),
    ).toMatch(
      /^excluded by messaged_by \(step 1, .*\): messaged by winback 12 days ago \(exclude_if_messaged_by within 30 days\)\. Facts: /,
    );
    const ahead = await sweep([plainVip], settings(), { explain: 'ahead' });
    expect(
      await summary(ahead, { campaigns: [plainVip], settings: settings() }, 'ahead', 'winback-vip'),
    ).toContain('a message from winback is scheduled for 2026-11-24');
    // The same customers without the rule: all five.
    expect(
      (await sweep([{ ...plainVip, excludeIfMessagedBy: null }], settings())).campaigns[0],
    ).toMatchObject({
      scheduled: 5,
    });
  });

  it('applies to cart and back-in-stock campaigns too', async () => {
    await customer('a');
    await customer('b');
    await earlier(winback, { customerId: 'a', email: 'a@example.com' }, now - 3 * day);
    for (const id of ['a', 'b']) await leftCart(id, 2);
    await ingest('products', { id: 'p2', title: 'Teapot', currency: 'GBP', price: '20.00', stock: 0 });
    for (const id of ['a', 'b']) {
      await ingest('waitlist', {
        product_id: 'p2',
        customer_id: id,
        email: `${id}@example.com`,
        created_at: new Date(now - day).toISOString(),
      });
    }
    await ingest('products', { id: 'p2', title: 'Teapot', currency: 'GBP', price: '20.00', stock: 5 });
    const cart = excluding({
      ...dormantCampaign({ id: 'cart', cooldownDays: 0 }),
      trigger: { type: 'abandoned_cart', minCartValue: null },
      steps: [{ index: 0, delayHours: 1, email: { template: 'cart-1.mjml', subject: 'Cart' }, offer: null }],
    });
    const bis = excluding({
      ...dormantCampaign({ id: 'stock', cooldownDays: 0 }),
      trigger: { type: 'back_in_stock', includeCarts: false, allocation: { mode: 'all' } },
    });
    // Separate sweeps: in one, the first campaign to take b would keep the other from it.
    for (const campaign of [cart, bis]) {
      expect((await sweep([campaign], settings())).campaigns[0]).toMatchObject({
        eligible: 2,
        excluded: { messaged_by: 1 },
        scheduled: 1,
      });
    }
  });
});
