// WooCommerce orders through POST /webhooks/woocommerce on a real libSQL file:
// the published sample order as Rekindle stores it, guest orders keyed by the
// billing address, the eight statuses, newer state winning over repeated and
// late deliveries, deletion and restoring, and coupon_lines judged by the one
// redemption rule.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sentCoupon } from '../../support/coupon-seed.ts';
import { snapshot } from '../../support/temp-store.ts';
import { gmtPlus, type WooPayload, wooChanged, wooFixture, wooHarness } from '../../support/woocommerce.ts';

const start = Date.parse('2026-11-01T12:00:00Z');
const h = wooHarness(start, 1000);

const order = (changes: WooPayload = {}, seconds = 0) => wooChanged('order', changes, seconds);

const storedOrder = async (id: string) =>
  (
    await h.temp.store.db.all<{
      customer_id: string;
      status: string;
      currency: string;
      total_minor: number;
      placed_at: number;
      discount_codes: string;
    }>(
      sql`select customer_id, status, currency, total_minor, placed_at, discount_codes from orders where id = ${id}`,
    )
  )[0];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the sample order (a guest order)', () => {
  it('is stored with its lines, total and time, under the guest id of its billing address', async () => {
    expect(await h.send('order.created', order())).toBe('applied');

    const guest = `guest:${sha256('john.doe@example.com')}`;
    expect(await storedOrder('727')).toEqual({
      customer_id: guest,
      status: 'paid',
      currency: 'USD',
      total_minor: 2935,
      placed_at: Date.parse('2017-03-22T19:28:02Z'),
      discount_codes: '[]',
    });
    const items = await h.temp.store.db.all(
      sql`select product_id, title, quantity, unit_price_minor from order_items where order_id = '727' order by line_no`,
    );
    expect(items).toEqual([
      { product_id: '93', title: 'Woo Single #1', quantity: 2, unit_price_minor: 300 },
      // The variation is the product; the escaped dash is text again.
      {
        product_id: '23',
        title: 'Ship Your Idea \u2013 Color: Black, Size: M Test',
        quantity: 1,
        unit_price_minor: 1200,
      },
    ]);
    const customers = await h.temp.store.db.all(
      sql`select id, email, first_name, last_name, marketing_consent from customers`,
    );
    expect(customers).toEqual([
      {
        id: guest,
        email: 'john.doe@example.com',
        first_name: 'John',
        last_name: 'Doe',
        marketing_consent: 0,
      },
    ]);
  });

  it('keeps one guest id for one address across orders, whatever its case', async () => {
    await h.send('order.created', order());
    const billing = { ...(order().billing as object), email: ' John.Doe@Example.com ' };
    await h.send('order.created', order({ id: 728, billing }));
    const ids = await h.temp.store.db.all<{ customer_id: string }>(
      sql`select distinct customer_id from orders`,
    );
    expect(ids).toEqual([{ customer_id: `guest:${sha256('john.doe@example.com')}` }]);
  });

  it('belongs to the customer account with that address when the shopper has one', async () => {
    await h.send('customer.created', wooFixture('customer'));
    await h.send('order.created', order());
    expect((await storedOrder('727'))!.customer_id).toBe('25');
    const guests = await h.temp.store.db.all(sql`select id from customers where id like 'guest:%'`);
    expect(guests).toEqual([]);
  });

  it('of a signed-in customer is theirs, and names them as a customer if they are not stored yet', async () => {
    await h.send('order.created', order({ customer_id: 25 }));
    expect((await storedOrder('727'))!.customer_id).toBe('25');
    const stub = await h.temp.store.db.all(sql`select id, email from customers`);
    expect(stub).toEqual([{ id: '25', email: 'john.doe@example.com' }]);
  });
});

describe('statuses', () => {
  // The mapping documented in src/adapters/platforms/woocommerce/order-status.ts.
  const expected: Record<string, string> = {
    pending: 'cancelled',
    processing: 'paid',
    'on-hold': 'cancelled',
    completed: 'paid',
    cancelled: 'cancelled',
    refunded: 'refunded',
    failed: 'cancelled',
    trash: 'cancelled',
  };

  it.each(Object.entries(expected))('%s is stored as %s', async (woo, rekindle) => {
    await h.send('order.updated', order({ status: woo }));
    expect((await storedOrder('727'))!.status).toBe(rekindle);
  });

  it("a plugin's own status is paid when WooCommerce recorded a payment, else not", async () => {
    await h.send('order.updated', order({ id: 801, status: 'shipped' }));
    await h.send('order.updated', order({ id: 802, status: 'awaiting-quote', date_paid_gmt: null }));
    expect((await storedOrder('801'))!.status).toBe('paid');
    expect((await storedOrder('802'))!.status).toBe('cancelled');
  });
});

describe('newer state wins', () => {
  it('applies the same delivery once: the second is answered duplicate and changes no table', async () => {
    const payload = order();
    expect(await h.send('order.created', payload)).toBe('applied');
    const after = await snapshot(h.temp.store);
    expect(await h.send('order.created', payload)).toBe('duplicate');
    expect(await snapshot(h.temp.store)).toEqual(after);
  });

  it('never applies an older date_modified_gmt over a newer one', async () => {
    expect(await h.send('order.updated', order({ status: 'completed' }, 60))).toBe('applied');
    expect(await h.send('order.updated', order({ status: 'pending' }, 0))).toBe('stale');
    expect((await storedOrder('727'))!.status).toBe('paid');
    expect(await h.send('order.updated', order({ status: 'refunded' }, 120))).toBe('applied');
    expect((await storedOrder('727'))!.status).toBe('refunded');
  });

  it('applies a different state saved in the same second (date_modified_gmt has whole seconds)', async () => {
    expect(await h.send('order.created', order({ status: 'pending' }))).toBe('applied');
    expect(await h.send('order.updated', order({ status: 'processing' }))).toBe('applied');
    expect((await storedOrder('727'))!.status).toBe('paid');
  });

  it('applies one state once when two topics deliver it at the same time', async () => {
    const payload = order();
    const outcomes = await Promise.all([h.send('order.created', payload), h.send('order.updated', payload)]);
    expect(outcomes.sort()).toEqual(['applied', 'duplicate']);
  });
});

describe('deleted and restored', () => {
  it('a deleted order is kept as cancelled; older states arriving after it are not applied; a restore is', async () => {
    await h.send('order.created', order());
    expect(await h.send('order.deleted', { id: 727 })).toBe('applied');
    expect((await storedOrder('727'))!.status).toBe('cancelled');
    expect(await h.send('order.deleted', { id: 727 })).toBe('duplicate');
    expect(await h.send('order.updated', order({}, 1))).toBe('stale');
    expect((await storedOrder('727'))!.status).toBe('cancelled');

    // Restoring from the bin saves the order again: a newer date_modified_gmt.
    const restoredAt = gmtPlus('2026-11-01T13:00:00', 0);
    expect(await h.send('order.restored', { ...order(), date_modified_gmt: restoredAt })).toBe('applied');
    expect((await storedOrder('727'))!.status).toBe('paid');
  });

  it('a deleted order never stored writes nothing but the version', async () => {
    expect(await h.send('order.deleted', { id: 999 })).toBe('applied');
    expect(await storedOrder('999')).toBeUndefined();
  });
});

describe('coupon_lines', () => {
  /** A Rekindle coupon for customer 25, issued and sent as a sweep does (15% off, 14 days). */
  const coupon = () =>
    sentCoupon(h.temp.store, { now: start, customerId: '25', email: 'john.doe@example.com' });

  /** Customer 25's GBP order placed a day after the coupon was sent, with `codes` as WooCommerce writes them. */
  function couponOrder(codes: string[], changes: WooPayload = {}, seconds = 0) {
    return order(
      {
        customer_id: 25,
        currency: 'GBP',
        date_created_gmt: gmtPlus('2026-11-02T12:00:00', 0),
        coupon_lines: codes.map((code, i) => ({ id: 400 + i, code, discount: '1.80', discount_tax: '0.00' })),
        ...changes,
      },
      seconds,
    );
  }

  const redemptions = () =>
    h.temp.store.db.all<{ coupon_code: string; order_id: string; discount_minor: number }>(
      sql`select coupon_code, order_id, discount_minor from redemptions`,
    );
  const uses = async (code: string) =>
    (await h.temp.store.db.all<{ uses: number }>(sql`select uses from coupons where code = ${code}`))[0]!
      .uses;

  it("redeem a Rekindle coupon through the one rule; the shop's own codes are left alone", async () => {
    const code = await coupon();
    // WooCommerce stores coupon codes lower-cased.
    await h.send('order.created', couponOrder(['10off', code.toLowerCase()]));
    // 15% of the lines' 18.00 subtotal.
    expect(await redemptions()).toEqual([{ coupon_code: code, order_id: '727', discount_minor: 270 }]);
    expect(await uses(code)).toBe(1);
    expect(JSON.parse((await storedOrder('727'))!.discount_codes)).toEqual(['10OFF', code]);
  });

  it('are redeemed once the order is paid, and only once when it is sent again', async () => {
    const code = await coupon();
    await h.send('order.created', couponOrder([code], { status: 'pending' }));
    expect(await redemptions()).toEqual([]);
    await h.send('order.updated', couponOrder([code], { status: 'processing' }, 30));
    await h.send('order.updated', couponOrder([code], { status: 'completed' }, 60));
    expect(await redemptions()).toHaveLength(1);
    expect(await uses(code)).toBe(1);
  });

  it("with another customer's coupon are kept as a rejected use, the order stored in full", async () => {
    const code = await coupon();
    await h.send('order.created', couponOrder([code], { customer_id: 26 }));
    expect(await redemptions()).toEqual([]);
    const rejected = await h.temp.store.db.all(sql`select order_id, code, reason from coupon_rejections`);
    expect(rejected).toEqual([{ order_id: '727', code, reason: 'wrong_customer' }]);
    expect((await storedOrder('727'))!.total_minor).toBe(2935);
  });
});
