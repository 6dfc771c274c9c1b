import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attributeOrder, type Touch } from '../../../src/core/attribution/rules.ts';
import { type AttributedOrder, listAttributedOrders } from '../../../src/db/repositories/attribution.ts';
import { writeRedemption } from '../../../src/db/repositories/coupons.ts';
import { day, ingestOrders, order, seedCustomers, seedEvent, seedMessage } from '../support/report-seed.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const t0 = Date.parse('2026-03-02T10:00:00Z');
const now = t0 + 30 * day;
const options = { attributionDays: { winback: 7, cart: 7 }, defaultAttributionDays: 7, now };

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await seedCustomers(temp.store, ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'], t0 - 400 * day);
});
afterEach(() => temp.cleanup());

async function redemptions() {
  return temp.store.db.all<{
    coupon_code: string;
    order_id: string;
    discount_minor: number;
    currency: string;
  }>(sql`select coupon_code, order_id, discount_minor, currency from redemptions order by order_id`);
}
async function uses(code: string) {
  const [row] = await temp.store.db.all<{ uses: number }>(sql`select uses from coupons where code = ${code}`);
  return row?.uses;
}
const byOrder = (rows: AttributedOrder[]) => new Map(rows.map((row) => [row.orderId, row]));

describe('coupon orders become redemptions', () => {
  it('credits an order using a sent message coupon to that message, once', async () => {
    await seedMessage(temp.store, {
      id: 'm1',
      campaignId: 'winback',
      customerId: 'c1',
      status: 'sent',
      dueAt: t0,
      couponCode: 'BACK-AAAA-AAAA-AAAA',
    });
    const o = order('o1', 'c1', t0 + 2 * day, 3400, {
      discountCodes: ['BACK-AAAA-AAAA-AAAA'],
      items: [{ productId: 'p1', title: 'Mug', quantity: 2, unitPriceMinor: 2000 }],
    });
    await ingestOrders(temp.store, [o], t0 + 2 * day);
    // 15% of the 40.00 subtotal.
    expect(await redemptions()).toEqual([
      { coupon_code: 'BACK-AAAA-AAAA-AAAA', order_id: 'o1', discount_minor: 600, currency: 'GBP' },
    ]);
    expect(await uses('BACK-AAAA-AAAA-AAAA')).toBe(1);

    // The platform re-sends the order, then also redeems it explicitly: still one redemption.
    await ingestOrders(temp.store, [o], t0 + 3 * day);
    await ingestOrders(temp.store, [{ ...o, totalMinor: 3500 }], t0 + 3 * day);
    const again = await writeRedemption(temp.store, {
      code: 'BACK-AAAA-AAAA-AAAA',
      orderId: 'o1',
      customerId: 'c1',
      currency: 'GBP',
      orderTotalMinor: 3400,
      discountMinor: 600,
      now: t0 + 3 * day,
    });
    expect(again).toBeUndefined();
    expect(await redemptions()).toHaveLength(1);
    expect(await uses('BACK-AAAA-AAAA-AAAA')).toBe(1);

    const attributed = await listAttributedOrders(temp.store, options);
    expect(attributed).toEqual([
      {
        orderId: 'o1',
        messageId: 'm1',
        kind: 'redeemed',
        group: 'mailed',
        currency: 'GBP',
        totalMinor: 3400,
        placedAt: t0 + 2 * day,
      },
    ]);
  });

  it('does not double count an order redeemed over the API before it was ingested', async () => {
    await seedMessage(temp.store, {
      id: 'm1',
      campaignId: 'winback',
      customerId: 'c1',
      status: 'sent',
      dueAt: t0,
      couponCode: 'BACK-BBBB-BBBB-BBBB',
    });
    const explicit = await writeRedemption(temp.store, {
      code: 'BACK-BBBB-BBBB-BBBB',
      orderId: 'o1',
      customerId: 'c1',
      currency: 'GBP',
      orderTotalMinor: 3400,
      discountMinor: 600,
      now: t0 + day,
    });
    expect(explicit).toBeDefined();
    await ingestOrders(
      temp.store,
      [order('o1', 'c1', t0 + day, 3400, { discountCodes: ['BACK-BBBB-BBBB-BBBB'] })],
      t0 + day,
    );
    expect(await redemptions()).toHaveLength(1);
    expect(await uses('BACK-BBBB-BBBB-BBBB')).toBe(1);
  });

  it('never credits a coupon whose message was not sent, nor an order that is not paid', async () => {
    await seedMessage(temp.store, {
      id: 'm1',
      campaignId: 'winback',
      customerId: 'c1',
      status: 'scheduled',
      dueAt: t0,
      couponCode: 'BACK-CCCC-CCCC-CCCC',
    });
    await seedMessage(temp.store, {
      id: 'm2',
      campaignId: 'winback',
      customerId: 'c2',
      status: 'sent',
      dueAt: t0,
      couponCode: 'BACK-DDDD-DDDD-DDDD',
    });
    await ingestOrders(
      temp.store,
      [
        order('o1', 'c1', t0 + day, 3000, { discountCodes: ['BACK-CCCC-CCCC-CCCC'] }),
        order('o2', 'c2', t0 + day, 3000, { discountCodes: ['BACK-DDDD-DDDD-DDDD'], status: 'cancelled' }),
      ],
      t0 + day,
    );
    expect(await redemptions()).toEqual([]);
    expect(await uses('BACK-CCCC-CCCC-CCCC')).toBe(0);
    expect(await listAttributedOrders(temp.store, options)).toEqual([]);
  });

  it('credits an order with another campaign coupon to that campaign, not the latest mail', async () => {
    await seedMessage(temp.store, {
      id: 'wb',
      campaignId: 'winback',
      customerId: 'c4',
      status: 'sent',
      dueAt: t0,
      couponCode: 'BACK-EEEE-EEEE-EEEE',
    });
    await seedMessage(temp.store, {
      id: 'ct',
      campaignId: 'cart',
      customerId: 'c4',
      status: 'sent',
      dueAt: t0 + day,
      triggerRef: 'cart-9',
    });
    await seedEvent(temp.store, 'ct', 'click', t0 + day + 60_000);
    await ingestOrders(
      temp.store,
      [order('o4', 'c4', t0 + 2 * day, 5000, { discountCodes: ['back eeee-eeeeeeee'] })],
      t0 + 2 * day,
    );
    const attributed = byOrder(await listAttributedOrders(temp.store, options));
    expect(attributed.get('o4')).toMatchObject({ messageId: 'wb', kind: 'redeemed' });
    expect(attributed.size).toBe(1);
  });
});

describe('influenced orders and the holdout', () => {
  it('counts an order exactly attribution_days after the send, and not one millisecond later', async () => {
    await seedMessage(temp.store, {
      id: 'm2',
      campaignId: 'winback',
      customerId: 'c2',
      status: 'sent',
      dueAt: t0,
    });
    await seedMessage(temp.store, {
      id: 'm3',
      campaignId: 'winback',
      customerId: 'c3',
      status: 'sent',
      dueAt: t0,
    });
    await ingestOrders(
      temp.store,
      [
        order('edge', 'c2', t0 + 7 * day, 2000),
        order('late', 'c3', t0 + 7 * day + 1, 2000),
        order('before', 'c3', t0 - 1, 2000),
      ],
      now,
    );
    const attributed = byOrder(await listAttributedOrders(temp.store, options));
    expect(attributed.get('edge')).toMatchObject({ messageId: 'm2', kind: 'influenced', group: 'mailed' });
    expect(attributed.has('late')).toBe(false);
    expect(attributed.has('before')).toBe(false);
  });

  it('counts a held-out customer who buys for the control group, once their message fell due', async () => {
    await seedMessage(temp.store, {
      id: 'h5',
      campaignId: 'winback',
      customerId: 'c5',
      status: 'held_out',
      dueAt: t0,
    });
    await seedMessage(temp.store, {
      id: 'h6',
      campaignId: 'winback',
      customerId: 'c6',
      status: 'held_out',
      dueAt: now + day,
    });
    await ingestOrders(
      temp.store,
      [order('o5', 'c5', t0 + 3 * day, 4200), order('o6', 'c6', now + 2 * day, 4200)],
      now,
    );
    const attributed = byOrder(await listAttributedOrders(temp.store, options));
    expect(attributed.get('o5')).toMatchObject({ messageId: 'h5', kind: 'influenced', group: 'held_out' });
    expect(attributed.has('o6')).toBe(false);
  });

  it('credits the latest message, and a click restarts the window', async () => {
    await seedMessage(temp.store, {
      id: 'wb7',
      campaignId: 'winback',
      customerId: 'c7',
      status: 'sent',
      dueAt: t0,
    });
    await seedMessage(temp.store, {
      id: 'ct7',
      campaignId: 'cart',
      customerId: 'c7',
      status: 'sent',
      dueAt: t0 + 2 * day,
      triggerRef: 'cart-7',
    });
    await seedMessage(temp.store, {
      id: 'wb8',
      campaignId: 'winback',
      customerId: 'c8',
      status: 'sent',
      dueAt: t0,
    });
    await seedEvent(temp.store, 'wb8', 'click', t0 + 6 * day);
    await ingestOrders(
      temp.store,
      [order('o7', 'c7', t0 + 3 * day, 1000), order('o8', 'c8', t0 + 12 * day, 1000)],
      now,
    );
    const attributed = byOrder(await listAttributedOrders(temp.store, options));
    expect(attributed.get('o7')).toMatchObject({ messageId: 'ct7', kind: 'influenced' });
    expect(attributed.get('o8')).toMatchObject({ messageId: 'wb8', kind: 'influenced' });
  });

  it('agrees with the pure rules on a mixed history', async () => {
    const touches: Touch[] = [];
    const sends = [
      { id: 'a', campaignId: 'winback', customerId: 'c1', at: t0 },
      { id: 'b', campaignId: 'cart', customerId: 'c1', at: t0 + 4 * day },
      { id: 'c', campaignId: 'winback', customerId: 'c2', at: t0 + day },
      { id: 'd', campaignId: 'cart', customerId: 'c3', at: t0 + 2 * day },
    ];
    for (const s of sends) {
      await seedMessage(temp.store, {
        id: s.id,
        campaignId: s.campaignId,
        customerId: s.customerId,
        status: 'sent',
        dueAt: s.at,
        triggerRef: s.id,
      });
      touches.push({
        messageId: s.id,
        campaignId: s.campaignId,
        customerId: s.customerId,
        group: 'mailed',
        at: s.at,
        attributionDays: 7,
      });
    }
    await seedMessage(temp.store, {
      id: 'h',
      campaignId: 'winback',
      customerId: 'c4',
      status: 'held_out',
      dueAt: t0,
    });
    touches.push({
      messageId: 'h',
      campaignId: 'winback',
      customerId: 'c4',
      group: 'held_out',
      at: t0,
      attributionDays: 7,
    });
    const orders = ['c1', 'c2', 'c3', 'c4'].flatMap((customer, i) =>
      [0.5, 3, 5, 8, 11, 14].map((d, k) =>
        order(`${customer}-${k}`, customer, t0 + d * day + i * 1000, 1000 + k),
      ),
    );
    await ingestOrders(temp.store, orders, now);
    const fromSql = byOrder(await listAttributedOrders(temp.store, options));
    for (const o of orders) {
      const expected = attributeOrder({ ...o, couponMessageId: null }, touches);
      expect(fromSql.get(o.id)?.messageId ?? null, o.id).toBe(expected?.messageId ?? null);
    }
    expect(fromSql.size).toBeGreaterThan(5);
  });
});
