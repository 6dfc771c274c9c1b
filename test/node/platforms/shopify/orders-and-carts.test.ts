// Orders and checkouts through POST /webhooks/shopify on a real libSQL file:
// a checkout becomes a cart with its recovery link; the order placed from it
// converts the cart, so its reminder is cancelled before sending and no later
// step is planned (sweeps and a send run); a late retry with an older
// updated_at never overwrites newer state; test orders are skipped; a full
// refund makes the order refunded; discount codes reach the redemption rule.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTransport } from '../../../../src/adapters/mailer/memory.ts';
import type { Campaign, CampaignSet } from '../../../../src/core/campaigns/types.ts';
import { coupons, messages } from '../../../../src/db/schema/index.ts';
import { drainOutbox } from '../../../../src/services/delivery/drain-outbox.ts';
import { runSweep } from '../../../../src/services/sweep/run-sweep.ts';
import { noAudience, shopSettings } from '../../support/campaign-fixtures.ts';
import { deliveryOptions } from '../../support/delivery-fixtures.ts';
import { openTempStore, type TempStore } from '../../support/temp-store.ts';
import { fixtureText, shopifyClient, withFields } from './shopify-client.ts';

const hour = 3_600_000;
const checkoutAt = Date.parse('2026-11-23T10:05:00Z');
let temp: TempStore;
let now: number;
beforeEach(async () => {
  temp = await openTempStore();
  now = checkoutAt;
});
afterEach(() => temp.cleanup());

const cartCampaign: Campaign = {
  id: 'cart',
  name: 'You left something behind',
  enabled: true,
  priority: 80,
  cooldownDays: 0,
  holdoutPercent: 0,
  attributionDays: 7,
  onFrequencyCap: 'defer',
  consent: 'required',
  trigger: { type: 'abandoned_cart', minCartValue: null },
  audience: noAudience,
  excludeIfMessagedBy: null,
  steps: [1, 24].map((delayHours, index) => ({
    index,
    delayHours,
    email: { template: `cart-${index + 1}.mjml`, subject: 'Your cart' },
    offer: null,
  })),
  sendWindow: null,
};
const campaigns: CampaignSet = {
  settings: shopSettings({ currency: 'USD', frequencyCap: { maxMessages: 10, perDays: 1 } }),
  campaigns: [cartCampaign],
};

function client() {
  return shopifyClient(temp.store, { now: () => now, campaigns });
}

/** Jane, the checkout's customer, subscribed. */
function jane(): string {
  return fixtureText('customers-create.json')
    .replaceAll('706405506930370084', '603851970716743426')
    .replace('bob@example.com', 'jane@example.com');
}

async function cartRow() {
  const [row] = await temp.store.db.all<{
    id: string;
    status: string;
    recovery_url: string;
    value_minor: number;
    email: string;
  }>(sql`select id, status, recovery_url, value_minor, email from carts`);
  return row;
}

async function orderStatus(): Promise<string | undefined> {
  const [row] = await temp.store.db.all<{ status: string }>(sql`select status from orders`);
  return row?.status;
}

function sweep() {
  return runSweep({ store: temp.store, campaigns, now, dryRun: false, pageSize: 10 });
}

describe('checkouts and the orders placed from them', () => {
  it('stores a checkout as an open cart with its recovery link and value', async () => {
    const shop = client();
    expect((await shop.send('checkouts/create', fixtureText('checkouts-create.json'))).status).toBe(200);
    expect(await cartRow()).toEqual({
      id: '981820079255243537',
      status: 'open',
      recovery_url:
        'https://checkout.local/548380009/checkouts/0123456789abcdef0123456789abcdef/recover?key=example-secret-token',
      value_minor: 3998,
      email: 'jane@example.com',
    });
  });

  it('converts the cart when the order with its checkout_token arrives: the reminder is cancelled, no later step is planned', async () => {
    const shop = client();
    await shop.send('customers/create', jane());
    await shop.send('checkouts/create', fixtureText('checkouts-create.json'));
    now = checkoutAt + 2 * hour;
    await sweep();
    const planned = await temp.store.db.all<{ status: string }>(sql`select status from messages`);
    expect(planned).toEqual([{ status: 'scheduled' }]);

    now = checkoutAt + 2 * hour + 60_000;
    const placed = await shop.send('orders/create', fixtureText('orders-create.json'));
    expect(await placed.json()).toMatchObject({ outcome: 'applied' });
    expect((await cartRow())?.status).toBe('converted');

    const transport = createMemoryTransport();
    await drainOutbox(await deliveryOptions(temp.store, transport, { campaigns, now: () => now }));
    expect(transport.sent).toEqual([]);
    const cancelled = await temp.store.db.all(sql`select status, cancel_reason from messages`);
    expect(cancelled).toEqual([{ status: 'cancelled', cancel_reason: 'cart_converted' }]);

    now = checkoutAt + 30 * hour;
    await sweep();
    const [count] = await temp.store.db.all<{ n: number }>(sql`select count(*) as n from messages`);
    expect(count?.n).toBe(1);
  });

  it('converts the cart named by the order cart_token, before any reminder is planned', async () => {
    const shop = client();
    await shop.send('customers/create', jane());
    await shop.send('checkouts/create', fixtureText('checkouts-create.json'));
    const order = withFields(fixtureText('orders-create.json'), {
      checkout_token: null,
      cart_token: 'eeafa272cebfd4b22385bc4b645e762c',
    });
    await shop.send('orders/create', order);
    expect((await cartRow())?.status).toBe('converted');
    now = checkoutAt + 2 * hour;
    await sweep();
    expect(await temp.store.db.all(sql`select id from messages`)).toEqual([]);
  });

  it('converts the cart of a checkout that arrives completed, and leaves a cart no order names open', async () => {
    const shop = client();
    await shop.send('checkouts/create', fixtureText('checkouts-create.json'));
    const other = withFields(fixtureText('orders-create.json'), {
      checkout_token: 'ffffffffffffffffffffffffffffffff',
    });
    await shop.send('orders/create', other);
    expect((await cartRow())?.status).toBe('open');
    const completed = withFields(fixtureText('checkouts-create.json'), {
      completed_at: '2026-11-23T10:10:00+00:00',
      updated_at: '2026-11-23T10:10:00+00:00',
    });
    await shop.send('checkouts/update', completed);
    expect((await cartRow())?.status).toBe('converted');
  });

  it('deletes the cart of a deleted checkout, for good', async () => {
    const shop = client();
    await shop.send('checkouts/create', fixtureText('checkouts-create.json'));
    await shop.send('checkouts/delete', fixtureText('checkouts-delete.json'));
    expect((await cartRow())?.status).toBe('deleted');
    const later = withFields(fixtureText('checkouts-create.json'), {
      updated_at: '2026-11-23T11:00:00+00:00',
    });
    expect(await (await shop.send('checkouts/update', later)).json()).toMatchObject({ outcome: 'stale' });
    expect((await cartRow())?.status).toBe('deleted');
  });
});

describe('newer state wins', () => {
  it('never lets a late retry with an older updated_at overwrite the order', async () => {
    const shop = client();
    await shop.send('orders/create', fixtureText('orders-create.json'));
    const cancelledLater = withFields(fixtureText('orders-create.json'), {
      cancelled_at: '2026-11-23T15:00:00+00:00',
      updated_at: '2026-11-23T15:00:00+00:00',
    });
    await shop.send('orders/cancelled', cancelledLater);
    expect(await orderStatus()).toBe('cancelled');

    // orders/paid from before the cancellation, delivered late by Shopify's retry.
    const latePaid = withFields(fixtureText('orders-create.json'), {
      updated_at: '2026-11-23T13:00:00+00:00',
    });
    const response = await shop.send('orders/paid', latePaid);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: 'stale' });
    expect(await orderStatus()).toBe('cancelled');
  });

  it('never lets an older checkout update reopen or change the cart', async () => {
    const shop = client();
    const newer = withFields(fixtureText('checkouts-create.json'), {
      updated_at: '2026-11-23T10:30:00+00:00',
      total_price: '59.97',
    });
    await shop.send('checkouts/update', newer);
    await shop.send('checkouts/create', fixtureText('checkouts-create.json'));
    expect((await cartRow())?.value_minor).toBe(5997);
  });
});

describe('what an order becomes', () => {
  it('skips a test order, as Shopify sends its sample', async () => {
    const shop = client();
    const response = await shop.send('orders/create', fixtureText('orders-create-sample.json'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      outcome: 'skipped',
      note: expect.stringContaining('test order'),
    });
    expect(await temp.store.db.all(sql`select id from orders`)).toEqual([]);
  });

  it('does not store an order that is not paid yet, and stores it once orders/paid says paid', async () => {
    const shop = client();
    const pending = withFields(fixtureText('orders-create.json'), { financial_status: 'pending' });
    expect(await (await shop.send('orders/create', pending)).json()).toMatchObject({ outcome: 'skipped' });
    expect(await orderStatus()).toBeUndefined();
    const paid = withFields(fixtureText('orders-create.json'), { updated_at: '2026-11-23T12:40:00+00:00' });
    await shop.send('orders/paid', paid);
    expect(await orderStatus()).toBe('paid');
  });

  it('stores currency, total and lines, and hands discount_codes to the redemption rule', async () => {
    const shop = client();
    // The code a sent win-back email carried.
    await temp.store.db.insert(messages).values({
      id: 'm1',
      dedupeKey: 'winback:0:115310627314723954:lp1',
      campaignId: 'winback',
      customerId: '115310627314723954',
      email: 'john@example.com',
      triggerKind: 'dormant',
      triggerRef: 'lp1',
      status: 'sent',
      couponCode: 'BACK-7KQ9-M2XF-H4TP',
      dueAt: checkoutAt,
      createdAt: checkoutAt,
      updatedAt: checkoutAt,
    });
    await temp.store.db.insert(coupons).values({
      code: 'BACK-7KQ9-M2XF-H4TP',
      messageId: 'm1',
      campaignId: 'winback',
      customerId: '115310627314723954',
      kind: 'amount_off',
      value: 2000,
      currency: 'USD',
      createdAt: checkoutAt,
    });
    await shop.send('orders/create', fixtureText('orders-create.json'));
    const [order] = await temp.store.db.all(
      sql`select currency, total_minor, discount_codes, placed_at from orders`,
    );
    expect(order).toEqual({
      currency: 'USD',
      total_minor: 38800,
      discount_codes: '["BACK-7KQ9-M2XF-H4TP"]',
      placed_at: Date.parse('2026-11-23T12:30:00Z'),
    });
    const lines = await temp.store.db.all(
      sql`select title, quantity, unit_price_minor from order_items order by line_no`,
    );
    expect(lines).toEqual([
      { title: 'Example T-Shirt - Small', quantity: 1, unit_price_minor: 19900 },
      { title: 'Example T-Shirt - Medium', quantity: 1, unit_price_minor: 19900 },
    ]);
    const redeemed = await temp.store.db.all(
      sql`select coupon_code, order_id, discount_minor from redemptions`,
    );
    expect(redeemed).toEqual([
      { coupon_code: 'BACK-7KQ9-M2XF-H4TP', order_id: '820982911946154508', discount_minor: 2000 },
    ]);
    const [coupon] = await temp.store.db.all(sql`select uses from coupons`);
    expect(coupon).toEqual({ uses: 1 });
    // Another customer's order with the bound code: the rule refuses it and says why.
    const stranger = fixtureText('orders-create.json')
      .replaceAll('820982911946154508', '820982911946154509')
      .replaceAll('115310627314723954', '115310627314723955');
    await shop.send('orders/create', stranger);
    const rejected = await temp.store.db.all(sql`select order_id, code from coupon_rejections`);
    expect(rejected).toEqual([{ order_id: '820982911946154509', code: 'BACK-7KQ9-M2XF-H4TP' }]);
  });

  it('makes the order refunded when a refund covers its total, not when it is partial', async () => {
    const shop = client();
    await shop.send('orders/create', fixtureText('orders-create.json'));
    const partial = fixtureText('refunds-create.json').replace('"amount": "388.00"', '"amount": "100.00"');
    expect(await (await shop.send('refunds/create', partial)).json()).toMatchObject({ outcome: 'skipped' });
    expect(await orderStatus()).toBe('paid');
    await shop.send('refunds/create', fixtureText('refunds-create.json'));
    expect(await orderStatus()).toBe('refunded');
  });
});
