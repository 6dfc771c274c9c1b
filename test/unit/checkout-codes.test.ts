// The pure rules of coupons at checkout: what one message's coupon comes to
// across platforms, which codes share a platform discount, how long a
// message waits, which currencies a checkout can take, and the recovery
// link that applies the code on a Shopify shop.
import { describe, expect, it } from 'vitest';
import {
  type CheckoutCoupon,
  type CheckoutOutcome,
  checkoutExpired,
  checkoutWaitMs,
  codeVerdict,
  currencyProblem,
  discountKey,
} from '../../src/core/delivery/checkout-codes.ts';
import { recoveryUrlWithCoupon } from '../../src/core/rendering/recovery-url.ts';

const coupon = (fields: Partial<CheckoutCoupon> = {}): CheckoutCoupon => ({
  code: 'BACK-7KQ9-M2XF-H4TP',
  kind: 'percent_off',
  value: 15,
  currency: 'GBP',
  minSubtotalMinor: 4000,
  expiresAt: 1_000,
  usesAllowed: 1,
  customer: { id: '42', email: 'a@example.com' },
  campaignId: 'winback',
  step: 0,
  ...fields,
});

const outcomes = (entries: [string, CheckoutOutcome][]) => new Map(entries);

describe('codeVerdict', () => {
  it('ready only when every platform holds the code', () => {
    expect(
      codeVerdict(
        outcomes([
          ['shopify', { kind: 'created' }],
          ['woocommerce', { kind: 'existed' }],
        ]),
      ),
    ).toEqual({
      kind: 'ready',
    });
    expect(codeVerdict(outcomes([]))).toEqual({ kind: 'ready' });
  });

  it('one refusal fails it; otherwise it waits as long as the longest wait asked, with the first reason', () => {
    expect(
      codeVerdict(
        outcomes([
          ['shopify', { kind: 'retry_later', reason: 'down' }],
          ['woocommerce', { kind: 'failed', reason: 'bad code' }],
        ]),
      ),
    ).toEqual({ kind: 'failed', reason: 'woocommerce: bad code' });
    expect(
      codeVerdict(
        outcomes([
          ['shopify', { kind: 'retry_later', reason: 'throttled', waitMs: 5_000 }],
          ['woocommerce', { kind: 'retry_later', reason: '429', waitMs: 60_000 }],
          ['other', { kind: 'created' }],
        ]),
      ),
    ).toEqual({ kind: 'wait', reason: 'shopify: throttled', waitMs: 60_000 });
    expect(codeVerdict(outcomes([['shopify', { kind: 'retry_later', reason: 'down' }]]))).toEqual({
      kind: 'wait',
      reason: 'shopify: down',
      waitMs: undefined,
    });
  });
});

describe('discountKey', () => {
  it('codes of one offer with the same terms share a discount; other terms, currencies or binding do not', () => {
    const base = discountKey(coupon());
    expect(discountKey(coupon({ code: 'BACK-2222-3333-4444', customer: { id: '7', email: null } }))).toEqual(
      base,
    );
    expect(discountKey(coupon({ expiresAt: 9_999 }))).toEqual(base);
    for (const other of [
      coupon({ value: 20 }),
      coupon({ minSubtotalMinor: null }),
      coupon({ usesAllowed: 2 }),
      coupon({ customer: null }),
      coupon({ kind: 'amount_off', value: 15 }),
    ]) {
      expect(discountKey(other).terms).not.toBe(base.terms);
    }
    expect(discountKey(coupon({ currency: 'EUR' })).currency).toBe('EUR');
    expect(discountKey(coupon({ step: 1 })).step).toBe(1);
  });
});

describe('waiting for a code', () => {
  it('backs off from a minute to an hour, never sooner than the platform asked', () => {
    const half = () => 0.5;
    expect(checkoutWaitMs(1, undefined, half)).toBe(45_000);
    expect(checkoutWaitMs(2, undefined, half)).toBe(90_000);
    expect(checkoutWaitMs(20, undefined, half)).toBe(2_700_000);
    expect(checkoutWaitMs(1, 600_000, half)).toBe(600_000);
    expect(checkoutWaitMs(20, 1_000, () => 1)).toBe(3_600_000);
  });

  it('a code past its expiry is dead; one with none never is', () => {
    expect(checkoutExpired(coupon({ expiresAt: 1_000 }), 999)).toBe(false);
    expect(checkoutExpired(coupon({ expiresAt: 1_000 }), 1_000)).toBe(true);
    expect(checkoutExpired(coupon({ expiresAt: null }), 10 ** 15)).toBe(false);
  });
});

describe('currencyProblem', () => {
  it('an amount or minimum in another currency than the shop’s cannot be written; a bare percentage can', () => {
    expect(currencyProblem(coupon(), 'gbp')).toBeUndefined();
    expect(currencyProblem(coupon({ currency: 'EUR', minSubtotalMinor: null }), 'GBP')).toBeUndefined();
    expect(
      currencyProblem(
        coupon({ currency: 'EUR', kind: 'free_shipping', value: 0, minSubtotalMinor: null }),
        'GBP',
      ),
    ).toBeUndefined();
    expect(currencyProblem(coupon({ currency: 'EUR' }), 'GBP')).toMatch(/shop currency \(GBP\).*EUR/);
    expect(
      currencyProblem(
        coupon({ currency: 'EUR', kind: 'amount_off', value: 500, minSubtotalMinor: null }),
        'GBP',
      ),
    ).toMatch(/EUR/);
  });
});

describe('recovery links with the code', () => {
  const recover = 'https://rekindle-test.myshopify.com/1234/checkouts/ab12/recover?key=k9';
  const shopifyHosts = ['rekindle-test.myshopify.com'];

  it('on the Shopify shop’s own host: its shareable discount link, redirecting to the recovery page', () => {
    const link = new URL(recoveryUrlWithCoupon(recover, 'BACK-7KQ9-M2XF-H4TP', { shopifyHosts })!);
    expect(link.origin).toBe('https://rekindle-test.myshopify.com');
    expect(link.pathname).toBe('/discount/BACK-7KQ9-M2XF-H4TP');
    expect(link.searchParams.get('redirect')).toBe('/1234/checkouts/ab12/recover?key=k9');
  });

  it('elsewhere the discount parameter, and a link that already names a code is left alone', () => {
    expect(recoveryUrlWithCoupon('https://shop.example/cart', 'BACK-7KQ9-M2XF-H4TP', { shopifyHosts })).toBe(
      'https://shop.example/cart?discount=BACK-7KQ9-M2XF-H4TP',
    );
    expect(recoveryUrlWithCoupon(recover, 'BACK-7KQ9-M2XF-H4TP')).toBe(
      `${recover}&discount=BACK-7KQ9-M2XF-H4TP`,
    );
    const named = 'https://rekindle-test.myshopify.com/cart?discount=OTHER';
    expect(recoveryUrlWithCoupon(named, 'BACK-7KQ9-M2XF-H4TP', { shopifyHosts })).toBe(named);
    expect(recoveryUrlWithCoupon(recover, null, { shopifyHosts })).toBe(recover);
  });
});
