// The coupon API on a real libSQL file: validation reasons, redemption,
// idempotency per order, single use under 100 concurrent requests, rate limits
// and input errors that change nothing.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign, Offer } from '../../../src/core/campaigns/types.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import type { Store } from '../../../src/db/store.ts';
import type { AppDeps } from '../../../src/http/app-env.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { dormantCampaign, winbackOffer } from '../support/campaign-fixtures.ts';
import { issuedCoupons } from '../support/coupon-seed.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';

const day = 86_400_000;
const start = Date.parse('2026-11-01T12:00:00Z');
let clock = start;
let temp: TempStore;
let app: ReturnType<typeof createApp>;
let key: string;
const generous = {
  perClient: { capacity: 1000, refillPerSecond: 1000 },
  perCode: { capacity: 1000, refillPerSecond: 1000 },
};

function makeApp(limits?: AppDeps['couponRateLimits']) {
  return createApp({ store: temp.store, now: () => clock, couponRateLimits: limits });
}

beforeEach(async () => {
  temp = await openTempStore();
  clock = start;
  app = makeApp(generous);
  key = (await createApiKey(temp.store, { name: 'platform', scopes: ['coupons'], now: clock })).secret;
});
afterEach(() => temp.cleanup());

function post(path: string, body: unknown, options: { key?: string; on?: typeof app } = {}) {
  return (options.on ?? app).request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.key ?? key}` },
    body: JSON.stringify(body),
  });
}

let serial = 0;

/** Issues a coupon the way its send does, then puts its message in `status` (a failed or legacy row may hold one). */
async function coupon(options: { offer?: Partial<Offer>; status?: string; customer?: string | null } = {}) {
  const offer = { ...winbackOffer, ...options.offer } as Offer;
  const campaign: Campaign = dormantCampaign({
    steps: [{ index: 0, delayHours: 0, email: { template: 'w.mjml', subject: 'Hi' }, offer }],
  });
  const id = `m${++serial}`;
  const customerId = options.customer === undefined ? 'c1' : options.customer;
  const row = {
    id,
    dedupeKey: `winback:0:${id}:e`,
    campaignId: 'winback',
    step: 0,
    customerId,
    email: 'c1@example.com',
    triggerKind: 'dormant',
    triggerRef: 'e',
    status: 'scheduled' as const,
    dueAt: clock,
    createdAt: clock,
    updatedAt: clock,
  };
  const codes = await issuedCoupons(temp.store, campaign, [row], clock);
  await temp.store.db.run(sql`update messages set status = ${options.status ?? 'sent'} where id = ${id}`);
  return codes.get(id)!;
}

const basket = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  customer_id: 'c1',
  subtotal: '50.00',
  currency: 'GBP',
  ...extra,
});
const order = (code: string, orderId: string, extra: Record<string, unknown> = {}) => ({
  code,
  order_id: orderId,
  customer_id: 'c1',
  currency: 'GBP',
  order_total: '50.00',
  ...extra,
});

interface ErrorBody {
  error: { code: string; message: string; details: { field?: string; message: string }[] };
}

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as ErrorBody).error.code;
}

async function redemptionCount() {
  const [row] = await temp.store.db.all<{ n: number }>(sql`select count(*) as n from redemptions`);
  return row!.n;
}

describe('POST /v1/coupons/validate', () => {
  it('a good code, typed loosely, is valid with its discount', async () => {
    const code = await coupon();
    const typed = ` ${code.toLowerCase().replaceAll('-', ' ')} `;
    const response = await post('/v1/coupons/validate', basket(typed, { subtotal: 59.99 }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      valid: true,
      code,
      kind: 'percent_off',
      percent_off: 15,
      amount_off: null,
      free_shipping: false,
      min_subtotal: '40.00',
      expires_at: new Date(start + 14 * day).toISOString(),
      uses_left: 1,
      currency: 'GBP',
      discount: '9.00',
    });
  });

  it('amount_off is capped at the subtotal; free_shipping takes nothing off', async () => {
    const five = await coupon({
      offer: { kind: 'amount_off', amount: { GBP: 500 }, minSubtotal: null } as Partial<Offer>,
    });
    const response = await post('/v1/coupons/validate', basket(five, { subtotal: '3.20' }));
    expect(await response.json()).toMatchObject({ valid: true, amount_off: '5.00', discount: '3.20' });
    const ship = await coupon({ offer: { kind: 'free_shipping' } as Partial<Offer> });
    expect(await (await post('/v1/coupons/validate', basket(ship))).json()).toMatchObject({
      valid: true,
      free_shipping: true,
      discount: '0.00',
    });
  });

  it.each([
    ['unknown', async () => ({ code: 'BACK-2222-3333-4444' })],
    ['unknown', async () => ({ code: 'not a code at all' })],
    ['not_sent', async () => ({ code: await coupon({ status: 'scheduled' }) })],
    ['not_sent', async () => ({ code: await coupon({ status: 'held_out' }) })],
    ['not_sent', async () => ({ code: await coupon({ status: 'suppressed' }) })],
    ['not_sent', async () => ({ code: await coupon({ status: 'failed' }) })],
    ['wrong_customer', async () => ({ code: await coupon(), customer_id: 'c2' })],
    ['wrong_customer', async () => ({ code: await coupon(), customer_id: null })],
    ['below_minimum', async () => ({ code: await coupon(), subtotal: '39.99' })],
    ['wrong_currency', async () => ({ code: await coupon(), currency: 'EUR' })],
  ])('answers 200 { valid: false, reason: %s }', async (reason, make) => {
    const { code, ...extra } = await make();
    const response = await post('/v1/coupons/validate', basket(code, extra));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ valid: false, reason });
  });

  it('expired once its days are over', async () => {
    const code = await coupon();
    clock = start + 14 * day - 1;
    expect(await (await post('/v1/coupons/validate', basket(code))).json()).toMatchObject({ valid: true });
    clock = start + 14 * day;
    expect(await (await post('/v1/coupons/validate', basket(code))).json()).toEqual({
      valid: false,
      reason: 'expired',
    });
  });

  it('used once redeemed', async () => {
    const code = await coupon();
    expect((await post('/v1/redemptions', order(code, 'o1'))).status).toBe(201);
    expect(await (await post('/v1/coupons/validate', basket(code))).json()).toEqual({
      valid: false,
      reason: 'used',
    });
  });

  it('an unknown code next to a real one answers exactly like any unknown code', async () => {
    const code = await coupon();
    const neighbour = code.slice(0, -1) + (code.endsWith('2') ? '3' : '2');
    const near = await post('/v1/coupons/validate', basket(neighbour));
    const far = await post('/v1/coupons/validate', basket('ZZZZ-2222-3333-4444'));
    expect(await near.text()).toBe(await far.text());
  });
});

describe('POST /v1/redemptions', () => {
  it('redeems a sent coupon: 201 with the redemption, and the use is counted', async () => {
    const code = await coupon();
    const response = await post('/v1/redemptions', order(code.toLowerCase(), 'o-1', { discount: '7.50' }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      id: expect.any(Number),
      code,
      order_id: 'o-1',
      currency: 'GBP',
      order_total: '50.00',
      discount: '7.50',
      redeemed_at: new Date(start).toISOString(),
    });
    const [row] = await temp.store.db.all(sql`select uses from coupons where code = ${code}`);
    expect(row).toEqual({ uses: 1 });
  });

  it('values the discount from the offer when the platform leaves it out, as an ingested order', async () => {
    const code = await coupon();
    // The total is after the discount: 15% of the 23.52 it came from, 19.99 x 15 / 85 = 3.5276.
    const response = await post('/v1/redemptions', order(code, 'o-1', { order_total: '19.99' }));
    expect(await response.json()).toMatchObject({ discount: '3.53', order_total: '19.99' });
  });

  it('the same order redeemed twice is one redemption: 200 with the first', async () => {
    const code = await coupon({ offer: { uses: 5 } });
    const first = await post('/v1/redemptions', order(code, 'o-1'));
    const second = await post('/v1/redemptions', order(code, 'o-1'));
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual(await first.json());
    expect(await redemptionCount()).toBe(1);
    const [row] = await temp.store.db.all(sql`select uses from coupons where code = ${code}`);
    expect(row).toEqual({ uses: 1 });
  });

  it('a used-up code is 409; an order that used another code is 409', async () => {
    const code = await coupon();
    const other = await coupon();
    await post('/v1/redemptions', order(code, 'o-1'));
    const again = await post('/v1/redemptions', order(code, 'o-2'));
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe('coupon_used');
    const twice = await post('/v1/redemptions', order(other, 'o-1'));
    expect(twice.status).toBe(409);
    expect(await errorCode(twice)).toBe('order_already_redeemed');
    expect(await redemptionCount()).toBe(1);
  });

  it.each(['held_out', 'scheduled', 'suppressed', 'failed', 'cancelled'])(
    'a coupon whose message is %s cannot be redeemed',
    async (status) => {
      const code = await coupon({ status });
      const response = await post('/v1/redemptions', order(code, 'o-1'));
      expect(response.status).toBe(409);
      expect(await errorCode(response)).toBe('coupon_not_sent');
      expect(await redemptionCount()).toBe(0);
    },
  );

  it('unknown is 404; wrong customer and expired are 409', async () => {
    expect((await post('/v1/redemptions', order('BACK-2222-3333-4444', 'o-1'))).status).toBe(404);
    const code = await coupon();
    const stranger = await post('/v1/redemptions', order(code, 'o-2', { customer_id: 'c2' }));
    expect([stranger.status, await errorCode(stranger)]).toEqual([409, 'coupon_wrong_customer']);
    clock = start + 15 * day;
    const late = await post('/v1/redemptions', order(code, 'o-3'));
    expect([late.status, await errorCode(late)]).toEqual([409, 'coupon_expired']);
    expect(await redemptionCount()).toBe(0);
  });

  it('an unbound coupon can be redeemed by anyone, guests included', async () => {
    const code = await coupon({ offer: { bindToCustomer: false }, customer: 'c9' });
    const response = await post('/v1/redemptions', order(code, 'o-1', { customer_id: undefined }));
    expect(response.status).toBe(201);
  });
});

describe('single use under concurrency', () => {
  // The embedded driver answers synchronously, so left alone the requests
  // would run one after another. A store whose writes wait a moment, as any
  // networked database's do, lets every request read the coupon as unused
  // before any of them writes: the race the single conditional statement must win.
  async function storm(code: string, count: number, sameOrder = false) {
    let batches = 0;
    const store: Store = {
      ...temp.store,
      async batch(statements) {
        batches++;
        await new Promise((resolve) => setTimeout(resolve, 1));
        return temp.store.batch(statements);
      },
    };
    const on = createApp({ store, now: () => clock, couponRateLimits: generous });
    const responses = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        post('/v1/redemptions', order(code, sameOrder ? 'order-0' : `order-${i}`), { on }),
      ),
    );
    // Most requests got past the read and tried to write: the race happened.
    expect(batches).toBeGreaterThan(count / 2);
    const statuses = responses.map((r) => r.status);
    return {
      created: statuses.filter((s) => s === 201).length,
      conflicts: statuses.filter((s) => s === 409).length,
      ...(sameOrder ? { existing: statuses.filter((s) => s === 200).length } : {}),
    };
  }

  it('100 concurrent redemptions of a single-use code: exactly 1 succeeds, 99 get 409', async () => {
    const code = await coupon();
    expect(await storm(code, 100)).toEqual({ created: 1, conflicts: 99 });
    expect(await redemptionCount()).toBe(1);
    const [row] = await temp.store.db.all(sql`select uses from coupons where code = ${code}`);
    expect(row).toEqual({ uses: 1 });
  });

  it('a code allowing 5 uses gives exactly 5', async () => {
    const code = await coupon({ offer: { uses: 5 } });
    expect(await storm(code, 100)).toEqual({ created: 5, conflicts: 95 });
    const [row] = await temp.store.db.all(sql`select uses from coupons where code = ${code}`);
    expect(row).toEqual({ uses: 5 });
  });

  it('one order sent 20 times at once is one redemption: one 201, nineteen 200', async () => {
    const code = await coupon({ offer: { uses: 5 } });
    expect(await storm(code, 20, true)).toEqual({ created: 1, conflicts: 0, existing: 19 });
    const [row] = await temp.store.db.all(sql`select uses from coupons where code = ${code}`);
    expect(row).toEqual({ uses: 1 });
  });
});

describe('rate limits', () => {
  it('per code: the 21st attempt on one code in a burst is 429 with Retry-After', async () => {
    const limited = makeApp();
    const code = await coupon();
    for (let i = 0; i < 20; i++) {
      expect((await post('/v1/coupons/validate', basket(code), { on: limited })).status).toBe(200);
    }
    const refused = await post('/v1/coupons/validate', basket(code.toLowerCase()), { on: limited });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect(await errorCode(refused)).toBe('rate_limited');
    // Redemption shares the code's bucket; other codes are still fine.
    expect((await post('/v1/redemptions', order(code, 'o-1'), { on: limited })).status).toBe(429);
    expect((await post('/v1/coupons/validate', basket(await coupon()), { on: limited })).status).toBe(200);
    clock += 3000;
    expect((await post('/v1/coupons/validate', basket(code), { on: limited })).status).toBe(200);
  });

  it('per API key: guessing many codes is cut off after a burst of 120, other keys unaffected', async () => {
    const limited = makeApp();
    const guesses = Array.from({ length: 121 }, (_, i) => `BACK-2222-3333-${String(i).padStart(4, '2')}`);
    const statuses: number[] = [];
    for (const guess of guesses) {
      statuses.push((await post('/v1/coupons/validate', basket(guess), { on: limited })).status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(120);
    expect(statuses.at(-1)).toBe(429);
    const otherKey = (await createApiKey(temp.store, { name: 'b', scopes: ['coupons'], now: clock })).secret;
    const other = await post('/v1/coupons/validate', basket('BACK-2222-3333-5555'), {
      on: limited,
      key: otherKey,
    });
    expect(other.status).toBe(200);
  });
});

describe('bad input', () => {
  it.each([
    ['/v1/coupons/validate', { code: 'X', subtotal: 'ten', currency: 'GBP' }, 'subtotal'],
    ['/v1/coupons/validate', { code: 'X', subtotal: '10.001', currency: 'GBP' }, 'subtotal'],
    ['/v1/coupons/validate', { code: 'X', subtotal: '-1', currency: 'GBP' }, 'subtotal'],
    ['/v1/coupons/validate', { code: 'X', subtotal: '10', currency: 'pounds' }, 'currency'],
    ['/v1/coupons/validate', { subtotal: '10', currency: 'GBP' }, 'code'],
    ['/v1/coupons/validate', { code: 'X', subtotal: '10', currency: 'GBP', extra: 1 }, 'extra'],
    ['/v1/redemptions', { code: 'X', currency: 'GBP', order_total: '10' }, 'order_id'],
    ['/v1/redemptions', { code: 'X', order_id: 123, currency: 'GBP', order_total: '10' }, 'order_id'],
    [
      '/v1/redemptions',
      { code: 'X', order_id: 'o', currency: 'GBP', order_total: '10', discount: 'x' },
      'discount',
    ],
  ])('%s %j -> 400 naming %s, nothing changed', async (path, body, field) => {
    const code = await coupon();
    const before = await snapshot(temp.store);
    const response = await post(path, { ...body, ...('code' in body ? { code } : {}) });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.code).toBe('invalid_input');
    expect(error.details.map((d) => d.field)).toContain(field);
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('needs the coupons scope', async () => {
    const ingest = (await createApiKey(temp.store, { name: 'i', scopes: ['ingest'], now: clock })).secret;
    const response = await post('/v1/coupons/validate', basket('BACK-2222-3333-4444'), { key: ingest });
    expect(response.status).toBe(403);
  });
});
