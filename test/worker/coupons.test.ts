// Coupons on D1 in workerd: issuing in the messages' batch, single use under
// 100 concurrent redemptions with D1's one-statement atomicity (no
// interactive transactions), and the same limit when ingested orders carrying
// the code race the redemptions.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Campaign, Offer } from '../../src/core/campaigns/types.ts';
import type { Store } from '../../src/db/store.ts';
import { createApp } from '../../src/http/create-app.ts';
import { issuedCoupons } from '../node/support/coupon-seed.ts';
import { countRows, createKey, testStore, uniquePrefix } from './support/worker-client.ts';

const now = Date.parse('2026-11-01T12:00:00Z');
const generous = { capacity: 1000, refillPerSecond: 1000 };

function offer(uses: number): Offer {
  return {
    kind: 'percent_off',
    percent: 15,
    minSubtotal: null,
    expiresAfterDays: 14,
    codePrefix: 'BACK',
    uses,
    bindToCustomer: true,
  };
}

/** Issues a coupon as its send does and marks its message sent. */
async function sentCoupon(store: Store, prefix: string, uses: number): Promise<string> {
  const campaign = {
    id: 'winback',
    steps: [{ index: 0, delayHours: 0, email: { template: 'w.mjml', subject: 'Hi' }, offer: offer(uses) }],
  } as unknown as Campaign;
  const row = {
    id: `${prefix}-message`,
    dedupeKey: `winback:0:${prefix}-c1:e`,
    campaignId: 'winback',
    step: 0,
    customerId: `${prefix}-c1`,
    email: null,
    triggerKind: 'dormant',
    triggerRef: 'e',
    status: 'scheduled' as const,
    dueAt: now,
    createdAt: now,
    updatedAt: now,
  };
  const codes = await issuedCoupons(store, campaign, [row], now);
  expect(codes.size).toBe(1);
  await env.DB.prepare("update messages set status = 'sent' where id = ?").bind(row.id).run();
  return codes.get(row.id)!;
}

async function storm(uses: number) {
  const prefix = uniquePrefix();
  const base = testStore();
  let batches = 0;
  const store: Store = {
    ...base,
    batch(statements) {
      batches++;
      return base.batch(statements);
    },
  };
  const key = await createKey(['coupons']);
  const code = await sentCoupon(base, prefix, uses);
  const app = createApp({
    store,
    now: () => now,
    couponRateLimits: { perClient: generous, perCode: generous },
  });
  const responses = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      app.request('/v1/redemptions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({
          code,
          order_id: `${prefix}-order-${i}`,
          customer_id: `${prefix}-c1`,
          currency: 'GBP',
          order_total: '50.00',
        }),
      }),
    ),
  );
  const statuses = responses.map((r) => r.status);
  const redemptions = await env.DB.prepare('select count(*) as n from redemptions where coupon_code = ?')
    .bind(code)
    .first<{ n: number }>();
  const coupon = await env.DB.prepare('select uses from coupons where code = ?').bind(code).first();
  return {
    // Most requests passed the read and raced to write.
    raced: batches > 50,
    created: statuses.filter((s) => s === 201).length,
    conflicts: statuses.filter((s) => s === 409).length,
    redemptions: redemptions?.n,
    uses: coupon?.uses,
  };
}

describe('redemptions on D1', () => {
  it('100 concurrent redemptions of a single-use code: exactly 1 succeeds, 99 get 409', async () => {
    expect(await storm(1)).toEqual({ raced: true, created: 1, conflicts: 99, redemptions: 1, uses: 1 });
  });

  it('a code allowing 5 uses gives exactly 5', async () => {
    expect(await storm(5)).toEqual({ raced: true, created: 5, conflicts: 95, redemptions: 5, uses: 5 });
  });
});

const sqlOf = (statement: unknown) => (statement as { toSQL(): { sql: string } }).toSQL().sql;
const insertsRedemptions = (statement: unknown) => sqlOf(statement).startsWith('insert into "redemptions"');
const insertsOrders = (statement: unknown) => sqlOf(statement).startsWith('insert into "orders"');

describe('orders and redemptions racing on D1', () => {
  it('a code allowing 3 uses gives exactly 3, whichever path writes first', async () => {
    const prefix = uniquePrefix();
    const base = testStore();
    const key = await createKey(['coupons', 'ingest']);
    const code = await sentCoupon(base, prefix, 3);
    // Every write that may redeem waits until all 40 requests have read the
    // coupon as unused, then they are let go.
    let writers = 0;
    let orderTurns = 0;
    let redemptionTurns = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Only a safety net should a request never reach its write; the gate opens at 40.
    const timer = setTimeout(release, 20_000);
    const store: Store = {
      ...base,
      async batch(statements) {
        if (!statements.some(insertsRedemptions)) return base.batch(statements);
        const n = ++writers;
        if (n === 40) release();
        await gate;
        // Let go spaced out, redemptions and orders interleaved.
        const isOrder = statements.some(insertsOrders);
        const turn = isOrder ? orderTurns++ : redemptionTurns++;
        await new Promise((resolve) => setTimeout(resolve, 6 * turn + (isOrder ? 3 : 0)));
        return base.batch(statements);
      },
    };
    const app = createApp({
      store,
      now: () => now,
      couponRateLimits: { perClient: generous, perCode: generous },
    });
    const post = (path: string, body: unknown) =>
      app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(body),
      });
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0
          ? post('/v1/redemptions', {
              code,
              order_id: `${prefix}-red-${i}`,
              customer_id: `${prefix}-c1`,
              currency: 'GBP',
              order_total: '50.00',
            })
          : post('/v1/orders', {
              id: `${prefix}-ord-${i}`,
              customer_id: `${prefix}-c1`,
              placed_at: new Date(now + 3_600_000).toISOString(),
              currency: 'GBP',
              total: '42.50',
              discount_codes: [code],
            }),
      ),
    );
    clearTimeout(timer);
    expect(writers).toBe(40);
    const statuses = responses.map((r) => r.status);
    const redeemed = await env.DB.prepare('select order_id from redemptions where coupon_code = ?')
      .bind(code)
      .all<{ order_id: string }>();
    const coupon = await env.DB.prepare('select uses from coupons where code = ?').bind(code).first();
    const rejected = await env.DB.prepare(
      'select count(*) as n from coupon_rejections where code = ? and reason = ?',
    )
      .bind(code, 'used')
      .first<{ n: number }>();
    const orders = redeemed.results.filter((r) => r.order_id.includes('-ord-')).length;
    const created = statuses.filter((s) => s === 201).length;
    expect({ redemptions: redeemed.results.length, uses: coupon?.uses }).toEqual({ redemptions: 3, uses: 3 });
    expect(orders + created).toBe(3);
    // Every order that lost is stored with its code rejected as used; every redemption that lost is a 409.
    expect(rejected?.n).toBe(20 - orders);
    expect(statuses.filter((s) => s === 409)).toHaveLength(20 - created);
    expect(await countRows('orders', 'id', prefix)).toBe(20);
  });
});
