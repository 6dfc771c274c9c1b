// One redemption rule on all three paths, on a real libSQL file: an order
// arriving over POST /v1/orders or `rekindle import` with a coupon code is
// judged by the same rule as POST /v1/redemptions. An invalid code never
// becomes a redemption and never takes a use; the order is stored in full and
// the code is kept as a rejected use with its reason, which the campaign
// report shows. Uses never pass uses_allowed, within one batch or when
// orders and redemptions race.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../src/cli/io.ts';
import { printReports } from '../../../src/cli/report.ts';
import type { Offer } from '../../../src/core/campaigns/types.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import { exportCustomer } from '../../../src/db/repositories/privacy.ts';
import type { Store } from '../../../src/db/store.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { campaignPage } from '../../../src/http/pages/dashboard/campaign-page.ts';
import { buildCampaignReports } from '../../../src/services/reports/build-campaign-report.ts';
import { sentCoupon } from '../support/coupon-seed.ts';
import { importFile } from '../support/import-file.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const day = 86_400_000;
const start = Date.parse('2026-11-01T12:00:00Z');
const generous = {
  perClient: { capacity: 1000, refillPerSecond: 1000 },
  perCode: { capacity: 1000, refillPerSecond: 1000 },
};

let temp: TempStore;
let key: string;
beforeEach(async () => {
  temp = await openTempStore();
  key = (
    await createApiKey(temp.store, { name: 'shop', scopes: ['coupons', 'ingest', 'reports'], now: start })
  ).secret;
});
afterEach(() => temp.cleanup());

/** A coupon issued as a sweep issues it (15% off, 14 days, bound to c1), its message sent. */
function coupon(offer: Partial<Offer> = {}): Promise<string> {
  return sentCoupon(temp.store, { now: start, offer });
}

function order(id: string, codes: string[], extra: Record<string, unknown> = {}) {
  return {
    id,
    customer_id: 'c1',
    placed_at: new Date(start + day).toISOString(),
    currency: 'GBP',
    total: '34.00',
    discount_codes: codes,
    items: [{ product_id: 'p1', title: 'Mug', quantity: 2, unit_price: '20.00' }],
    ...extra,
  };
}

function post(path: string, body: unknown, on = createApp({ store: temp.store, now: () => start + day })) {
  return on.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
}

const couponUses = async (code: string) =>
  (await temp.store.db.all<{ uses: number }>(sql`select uses from coupons where code = ${code}`))[0]!.uses;
const redemptions = () =>
  temp.store.db.all<{ coupon_code: string; order_id: string; discount_minor: number }>(
    sql`select coupon_code, order_id, discount_minor from redemptions order by order_id`,
  );
const rejections = () =>
  temp.store.db.all<{
    order_id: string;
    code: string;
    reason: string;
    campaign_id: string | null;
    at: number;
  }>(sql`select order_id, code, reason, campaign_id, at from coupon_rejections order by order_id, code`);
const storedOrder = async (id: string) => ({
  order: (
    await temp.store.db.all<{ total_minor: number; status: string }>(
      sql`select total_minor, status from orders where id = ${id}`,
    )
  )[0],
  items: (await temp.store.db.all(sql`select line_no from order_items where order_id = ${id}`)).length,
});

describe('POST /v1/orders with a coupon code', () => {
  it('a valid code is redeemed: 15% of the lines, one use', async () => {
    const code = await coupon();
    expect((await post('/v1/orders', order('o1', [code.toLowerCase()]))).status).toBe(200);
    expect(await redemptions()).toEqual([{ coupon_code: code, order_id: 'o1', discount_minor: 600 }]);
    expect(await couponUses(code)).toBe(1);
    expect(await rejections()).toEqual([]);
  });

  it.each([
    ['expired', { placed_at: new Date(start + 15 * day).toISOString() }],
    ['wrong_customer', { customer_id: 'c2' }],
  ])('a code that is %s is rejected with its reason; the order is stored in full', async (reason, given) => {
    const extra: Record<string, string> = given;
    const code = await coupon();
    const response = await post('/v1/orders', order('o1', [code], extra));
    expect(response.status).toBe(200);
    expect(await storedOrder('o1')).toEqual({ order: { total_minor: 3400, status: 'paid' }, items: 1 });
    expect(await redemptions()).toEqual([]);
    expect(await couponUses(code)).toBe(0);
    expect(await rejections()).toEqual([
      {
        order_id: 'o1',
        code,
        reason,
        campaign_id: 'winback',
        at: Date.parse(String(order('o1', [], extra).placed_at)),
      },
    ]);
    // The same code is refused by POST /v1/redemptions for the same reason.
    const explicit = await post(
      '/v1/redemptions',
      {
        code,
        order_id: 'o2',
        customer_id: extra.customer_id ?? 'c1',
        currency: 'GBP',
        order_total: '34.00',
      },
      createApp({
        store: temp.store,
        now: () => Date.parse(String(order('o1', [], extra).placed_at)),
        couponRateLimits: generous,
      }),
    );
    expect(explicit.status).toBe(409);
    expect(((await explicit.json()) as { error: { code: string } }).error.code).toBe(`coupon_${reason}`);
  });

  it('a used-up code is rejected as used and uses stay at uses_allowed', async () => {
    const code = await coupon();
    const redeemed = await post('/v1/redemptions', {
      code,
      order_id: 'o1',
      customer_id: 'c1',
      currency: 'GBP',
      order_total: '34.00',
    });
    expect(redeemed.status).toBe(201);
    await post('/v1/orders', order('o2', [code]));
    expect((await redemptions()).map((r) => r.order_id)).toEqual(['o1']);
    expect(await couponUses(code)).toBe(1);
    expect((await rejections()).map((r) => [r.order_id, r.reason])).toEqual([['o2', 'used']]);
    // The order redeemed over the API and then ingested is that redemption, not a rejection.
    await post('/v1/orders', order('o1', [code]));
    expect((await rejections()).map((r) => r.order_id)).toEqual(['o2']);
  });

  it('one batch never takes a coupon past uses_allowed: the first orders get the uses', async () => {
    const code = await coupon({ uses: 2 });
    const response = await post('/v1/orders', [
      order('o1', [code]),
      order('o2', [code]),
      order('o3', [code]),
    ]);
    expect(response.status).toBe(200);
    expect((await redemptions()).map((r) => r.order_id)).toEqual(['o1', 'o2']);
    expect(await couponUses(code)).toBe(2);
    expect((await rejections()).map((r) => [r.order_id, r.reason])).toEqual([['o3', 'used']]);
    // Re-sent, nothing changes.
    await post('/v1/orders', [order('o1', [code]), order('o2', [code]), order('o3', [code])]);
    expect(await couponUses(code)).toBe(2);
    expect(await rejections()).toHaveLength(1);
  });

  it('an order redeems its first valid code and keeps the invalid ones as rejections', async () => {
    const bound = await coupon();
    const good = await coupon({ bindToCustomer: false });
    await temp.store.db.run(sql`update coupons set customer_id = 'c9' where code = ${bound}`);
    await post('/v1/orders', order('o1', ['SHOP10', bound, good, 'BACK-2222-3333-4444']));
    expect(await redemptions()).toEqual([{ coupon_code: good, order_id: 'o1', discount_minor: 600 }]);
    expect((await rejections()).map((r) => [r.code, r.reason, r.campaign_id])).toEqual([
      // Code-shaped but no coupon's: unknown, with no campaign. SHOP10 cannot be a code and is the shop's own.
      ['BACK-2222-3333-4444', 'unknown', null],
      [bound, 'wrong_customer', 'winback'],
    ]);
  });

  it("a customer's data export holds the codes refused on their orders", async () => {
    const code = await coupon();
    expect((await post('/v1/customers', { id: 'c2', email: 'c2@example.com' })).status).toBe(200);
    await post('/v1/orders', order('o1', [code], { customer_id: 'c2' }));
    const exported = await exportCustomer(temp.store, 'c2');
    expect(exported?.coupon_rejections).toMatchObject([{ order_id: 'o1', code, reason: 'wrong_customer' }]);
  });

  it('the campaign report counts rejected codes by reason', async () => {
    const code = await coupon();
    await post('/v1/orders', [
      order('o1', [code], { customer_id: 'c2' }),
      order('o2', [code], { customer_id: 'c3' }),
      order('o3', [code], { placed_at: new Date(start + 20 * day).toISOString() }),
      order('o4', [code]),
      order('o5', [code]),
    ]);
    const [report] = await buildCampaignReports({ store: temp.store }, { now: start + 30 * day });
    expect(report!.rejectedCodes).toEqual({ total: 4, byReason: { wrong_customer: 2, expired: 1, used: 1 } });
    expect(report!.totals.redeemed).toBe(1);
    const api = await createApp({ store: temp.store, now: () => start + 30 * day }).request(
      '/v1/reports/campaigns',
      { headers: { authorization: `Bearer ${key}` } },
    );
    const body = (await api.json()) as { campaigns: { rejectedCodes: unknown }[] };
    expect(body.campaigns[0]!.rejectedCodes).toEqual(report!.rejectedCodes);
    // rekindle report prints them under the campaign; the dashboard page shows them.
    let printed = '';
    const write = (text: string) => {
      printed += text;
      return true;
    };
    const stdout = { write } as unknown as NodeJS.WritableStream;
    printReports({ stdout } as CliIO, [report!], false);
    expect(printed).toContain(
      'coupon codes used by orders but invalid (not counted as redemptions): 4 (wrong customer 2, expired 1, used 1)',
    );
    const page = String(await campaignPage(report!, 'now', []));
    expect(page).toContain('data-rejected="4"');
    expect(page).toContain('4 (wrong customer 2, expired 1, used 1)');
  });
});

describe('rekindle import with coupon codes', () => {
  it.each([false, true])('applies the same rule (parse worker: %s)', async (worker) => {
    const code = await coupon({ uses: 1 });
    const lines = [order('i1', [code]), order('i2', [code]), order('i3', [code], { customer_id: 'c2' })].map(
      (o) => JSON.stringify(o),
    );
    const file = join(temp.dir, 'orders.jsonl');
    await writeFile(file, `${lines.join('\n')}\n`);
    const summary = await importFile(temp.store, 'orders', file, { worker }, start + 2 * day);
    expect(summary.stored.orders).toBe(3);
    expect((await redemptions()).map((r) => r.order_id)).toEqual(['i1']);
    expect(await couponUses(code)).toBe(1);
    expect((await rejections()).map((r) => [r.order_id, r.reason])).toEqual([
      ['i2', 'used'],
      ['i3', 'wrong_customer'],
    ]);
  });
});

const sqlOf = (statement: unknown) => (statement as { toSQL(): { sql: string } }).toSQL().sql;
const insertsRedemptions = (statement: unknown) => sqlOf(statement).startsWith('insert into "redemptions"');
const insertsOrders = (statement: unknown) => sqlOf(statement).startsWith('insert into "orders"');

describe('orders and redemptions racing for one coupon', () => {
  // Every write is held back until all 60 requests have read the coupon as
  // unused and are waiting to write, then they are let go: the conditional
  // statements alone decide, for both paths.
  it('never takes more than uses_allowed, whichever path wins', async () => {
    const code = await coupon({ uses: 3, bindToCustomer: false });
    let batches = 0;
    let orderTurns = 0;
    let redemptionTurns = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Only a safety net should a request never reach its write; the gate opens at 60.
    const timer = setTimeout(release, 20_000);
    const store: Store = {
      ...temp.store,
      async batch(statements) {
        // Only the writes that may redeem wait; the rate limiter's go through.
        if (!statements.some(insertsRedemptions)) return temp.store.batch(statements);
        const n = ++batches;
        if (n === 60) release();
        await gate;
        // Let go spaced out, redemptions and orders interleaved.
        const isOrder = statements.some(insertsOrders);
        const turn = isOrder ? orderTurns++ : redemptionTurns++;
        await new Promise((resolve) => setTimeout(resolve, 6 * turn + (isOrder ? 3 : 0)));
        return temp.store.batch(statements);
      },
    };
    const on = createApp({ store, now: () => start + day, couponRateLimits: generous });
    const requests = Array.from({ length: 60 }, (_, i) =>
      i % 2 === 0
        ? post(
            '/v1/redemptions',
            { code, order_id: `red-${i}`, customer_id: 'c1', currency: 'GBP', order_total: '34.00' },
            on,
          )
        : post('/v1/orders', order(`ord-${i}`, [code]), on),
    );
    const responses = await Promise.all(requests);
    const statuses = responses.map((r) => r.status);
    clearTimeout(timer);
    // All 30 orders and all 30 redemptions got past their reads and raced to write.
    expect(batches).toBe(60);
    const redeemedOverApi = statuses.filter((s) => s === 201).length;
    const rows = await redemptions();
    expect(rows).toHaveLength(3);
    expect(await couponUses(code)).toBe(3);
    expect(rows.filter((r) => r.order_id.startsWith('red-'))).toHaveLength(redeemedOverApi);
    // Every order that lost is stored and rejected as used; every redemption that lost is a 409.
    const lostOrders = 30 - rows.filter((r) => r.order_id.startsWith('ord-')).length;
    expect((await rejections()).filter((r) => r.reason === 'used')).toHaveLength(lostOrders);
    expect(statuses.filter((s) => s === 409)).toHaveLength(30 - redeemedOverApi);
    const [orders] = await temp.store.db.all<{ n: number }>(sql`select count(*) as n from orders`);
    expect(orders!.n).toBe(30);
  });
});
