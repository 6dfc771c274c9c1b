import { describe, expect, it } from 'vitest';
import type { Offer } from '../../src/core/campaigns/types.ts';
import { codeAlphabet, codeEntropyBits, generateCode, normalizeCode } from '../../src/core/offers/code.ts';
import { discountMinor, termsIn } from '../../src/core/offers/discount.ts';
import { type Basket, evaluateCoupon, type StoredCoupon } from '../../src/core/offers/evaluate.ts';
import { type MessageToCode, planCoupon } from '../../src/core/offers/issue.ts';
import { winbackOffer } from '../node/support/campaign-fixtures.ts';

function terms(offer: Offer) {
  const written = termsIn(offer, 'GBP');
  if ('gap' in written) throw new Error(written.gap);
  return written.terms;
}

describe('termsIn', () => {
  const perCurrency: Offer = {
    ...winbackOffer,
    kind: 'amount_off',
    amount: { GBP: 500, EUR: 600 },
    minSubtotal: { GBP: 4000, EUR: 4500, USD: 5000 },
  };

  it("writes the coupon in the customer's currency with that currency's figures", () => {
    expect(termsIn(perCurrency, 'EUR')).toEqual({
      terms: { kind: 'amount_off', value: 600 },
      currency: 'EUR',
      minSubtotalMinor: 4500,
    });
    expect(termsIn({ ...winbackOffer, minSubtotal: null }, 'JPY')).toEqual({
      terms: { kind: 'percent_off', value: 15 },
      currency: 'JPY',
      minSubtotalMinor: null,
    });
  });

  it('never converts: a currency without a figure is a gap that names the field', () => {
    expect(termsIn(perCurrency, 'USD')).toEqual({
      gap: 'offer.value has no figure in USD (it gives GBP, EUR)',
    });
    expect(termsIn(winbackOffer, 'EUR')).toEqual({
      gap: 'offer.min_subtotal has no figure in EUR (it gives GBP)',
    });
  });
});

/** A deterministic source: the bytes given, repeated. */
function fixedBytes(...values: number[]) {
  let i = 0;
  return (bytes: Uint8Array) => {
    for (let j = 0; j < bytes.length; j++) bytes[j] = values[i++ % values.length]!;
    return bytes;
  };
}

describe('coupon codes', () => {
  it('are the prefix and three groups of four symbols, like BACK-7KQ9-M2XF-H4TP', () => {
    for (let i = 0; i < 200; i++) {
      expect(generateCode('BACK')).toMatch(/^BACK-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    }
  });

  it('carry at least 40 bits of entropy from an alphabet without look-alikes', () => {
    expect(codeEntropyBits).toBeGreaterThanOrEqual(40);
    for (const confusable of '01OIL') expect(codeAlphabet).not.toContain(confusable);
    expect(new Set(codeAlphabet).size).toBe(codeAlphabet.length);
  });

  it('come from the random source it is given, by rejection sampling', () => {
    // 248..255 are rejected (keeping them would favour the first 8 symbols);
    // 0 -> '2', 30 -> 'Z', 61 -> 61 % 31 = 30 -> 'Z'.
    expect(generateCode('AB', fixedBytes(250, 0, 255, 30, 61))).toBe('AB-2ZZ2-ZZ2Z-Z2ZZ');
  });

  it('use every symbol about equally often', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      for (const symbol of generateCode('XX').slice(3).replaceAll('-', '')) {
        counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
      }
    }
    expect(counts.size).toBe(31);
    const expected = (3000 * 12) / 31;
    for (const n of counts.values()) expect(Math.abs(n - expected)).toBeLessThan(expected * 0.25);
  });

  it('refuses a prefix the campaign schema would refuse', () => {
    expect(() => generateCode('back')).toThrow(/prefix/);
    expect(() => generateCode('B')).toThrow(/prefix/);
  });
});

describe('normalizeCode', () => {
  it('ignores case, spaces and dashes', () => {
    for (const typed of [
      'back-7kq9-m2xf-h4tp',
      ' BACK 7KQ9 M2XF H4TP ',
      'BACK7KQ9M2XFH4TP',
      'back_7kq9—m2xf.h4tp',
    ]) {
      expect(normalizeCode(typed)).toBe('BACK-7KQ9-M2XF-H4TP');
    }
  });

  it('keeps digits and look-alike letters in the prefix, which the campaign chose', () => {
    expect(normalizeCode('w10-7kq9-m2xf-h4tp')).toBe('W10-7KQ9-M2XF-H4TP');
  });

  it('is null for text that cannot be a code', () => {
    expect(normalizeCode('')).toBeNull();
    expect(normalizeCode('BACK-7KQ9-M2XF')).toBeNull(); // too short
    expect(normalizeCode('BACK-7KQ9-M2XF-H4T0')).toBeNull(); // 0 is not in the random part
    expect(normalizeCode('ABCDEFGHJKLM-7KQ9-M2XF-H4TP')).toBeNull(); // prefix too long
  });
});

describe('discountMinor', () => {
  it('percent_off rounds half a minor unit up, in exact integers', () => {
    expect(discountMinor(terms(winbackOffer), 1999)).toBe(300); // 299.85
    expect(discountMinor(terms(winbackOffer), 10_000)).toBe(1500);
    expect(discountMinor({ kind: 'percent_off', value: 12.5 }, 1001)).toBe(125); // 125.125
    expect(discountMinor({ kind: 'percent_off', value: 10 }, 5)).toBe(1); // 0.5 rounds up
    expect(discountMinor({ kind: 'percent_off', value: 15 }, 9_007_199_254_740_991)).toBe(
      1_351_079_888_211_149,
    );
  });

  it('amount_off is capped at the subtotal', () => {
    expect(discountMinor({ kind: 'amount_off', value: 500 }, 4000)).toBe(500);
    expect(discountMinor({ kind: 'amount_off', value: 500 }, 320)).toBe(320);
  });

  it('free_shipping takes nothing off the subtotal', () => {
    expect(discountMinor({ kind: 'free_shipping', value: 0 }, 4000)).toBe(0);
  });

  it('a 100% coupon takes the whole subtotal and no more', () => {
    expect(discountMinor({ kind: 'percent_off', value: 100 }, 4321)).toBe(4321);
  });

  it('throws on a subtotal that is not minor units', () => {
    expect(() => discountMinor(terms(winbackOffer), 19.99)).toThrow();
    expect(() => discountMinor(terms(winbackOffer), -1)).toThrow();
  });
});

const now = Date.parse('2026-11-10T12:00:00Z');
const sent: StoredCoupon = {
  code: 'BACK-7KQ9-M2XF-H4TP',
  campaignId: 'winback',
  customerId: 'c1',
  terms: { kind: 'percent_off', value: 15 },
  currency: 'GBP',
  minSubtotalMinor: 4000,
  expiresAt: now + 1000,
  usesAllowed: 1,
  uses: 0,
  messageStatus: 'sent',
};
const basket: Basket = { customerId: 'c1', currency: 'gbp', subtotalMinor: 5000 };

describe('evaluateCoupon', () => {
  it('a sent, unexpired, unused coupon for this customer over the minimum is valid with its discount', () => {
    expect(evaluateCoupon(sent, basket, now)).toEqual({ valid: true, coupon: sent, discountMinor: 750 });
  });

  it.each<[string, StoredCoupon | undefined, Partial<Basket>, number]>([
    ['unknown', undefined, {}, now],
    ['not_sent', { ...sent, messageStatus: 'scheduled' }, {}, now],
    ['not_sent', { ...sent, messageStatus: 'held_out' }, {}, now],
    ['not_sent', { ...sent, messageStatus: 'suppressed' }, {}, now],
    ['not_sent', { ...sent, messageStatus: 'failed' }, {}, now],
    ['not_sent', { ...sent, messageStatus: null }, {}, now],
    ['wrong_customer', sent, { customerId: 'c2' }, now],
    ['wrong_customer', sent, { customerId: null }, now],
    ['expired', sent, {}, now + 1000],
    ['used', { ...sent, uses: 1 }, {}, now],
    ['wrong_currency', sent, { currency: 'EUR' }, now],
    ['below_minimum', sent, { subtotalMinor: 3999 }, now],
  ])('%s', (reason, coupon, change, at) => {
    expect(evaluateCoupon(coupon, { ...basket, ...change }, at)).toEqual({ valid: false, reason });
  });

  it('a stranger learns wrong_customer, not whether the code is used or expired', () => {
    const spent = { ...sent, uses: 1, expiresAt: now - 1 };
    expect(evaluateCoupon(spent, { ...basket, customerId: 'c2' }, now)).toEqual({
      valid: false,
      reason: 'wrong_customer',
    });
  });

  it('an unbound coupon is anyone’s; a coupon with uses left stays valid', () => {
    const open = { ...sent, customerId: null, usesAllowed: 5, uses: 4 };
    expect(evaluateCoupon(open, { ...basket, customerId: null }, now).valid).toBe(true);
  });

  it('the minimum is checked exactly at the boundary and can be waived at redemption', () => {
    expect(evaluateCoupon(sent, { ...basket, subtotalMinor: 4000 }, now).valid).toBe(true);
    expect(evaluateCoupon(sent, { ...basket, subtotalMinor: 100, enforceMinimum: false }, now)).toMatchObject(
      {
        valid: true,
        discountMinor: 15,
      },
    );
  });

  it('a percent coupon without a minimum works in any currency', () => {
    const anywhere = { ...sent, minSubtotalMinor: null };
    expect(evaluateCoupon(anywhere, { ...basket, currency: 'EUR' }, now).valid).toBe(true);
  });
});

describe('planCoupon', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  const cartOffer: Offer = { ...winbackOffer, codePrefix: 'CART' };
  const message = (m: Partial<MessageToCode> = {}): MessageToCode => ({
    id: 'm1',
    campaignId: 'cart',
    customerId: 'c1',
    offerCurrency: 'GBP',
    couponCode: null,
    ...m,
  });

  it('issues the step offer in the noted currency, bound, expiring its days after the send', () => {
    const plan = planCoupon(cartOffer, message({ offerCurrency: 'gbp' }), now, new Set());
    if (plan.kind !== 'issue') throw new Error(`expected an issue, got ${plan.kind}`);
    expect(plan.coupon).toMatchObject({
      messageId: 'm1',
      campaignId: 'cart',
      customerId: 'c1',
      terms: { kind: 'percent_off', value: 15 },
      currency: 'GBP',
      minSubtotalMinor: 4000,
      expiresAt: now + winbackOffer.expiresAfterDays * 86_400_000,
      usesAllowed: 1,
      issuedAt: now,
    });
    expect(plan.coupon.code).toMatch(/^CART-/);
    const anyone = planCoupon({ ...cartOffer, bindToCustomer: false }, message(), now, new Set());
    expect(anyone.kind === 'issue' && anyone.coupon.customerId).toBeNull();
  });

  it('issues nothing for a message with its code fixed or no offer noted; tells a gone offer and a currency gap', () => {
    expect(planCoupon(cartOffer, message({ couponCode: 'CART-2222-3333-4444' }), now, new Set())).toEqual({
      kind: 'none',
    });
    expect(planCoupon(cartOffer, message({ offerCurrency: null }), now, new Set())).toEqual({ kind: 'none' });
    expect(planCoupon(null, message(), now, new Set())).toEqual({ kind: 'offer_gone' });
    const gbpOnly: Offer = { ...cartOffer, kind: 'amount_off', amount: { GBP: 500 } };
    const gap = planCoupon(gbpOnly, message({ offerCurrency: 'USD' }), now, new Set());
    expect(gap.kind).toBe('gap');
    expect(gap.kind === 'gap' && gap.reason).toContain('USD');
  });

  it('never hands out one code twice in a batch, even from a repeating source', () => {
    let calls = 0;
    // The first two codes come out equal; the third differs.
    const source = (bytes: Uint8Array) => bytes.fill(calls++ < 2 ? 0 : 1);
    const taken = new Set<string>();
    const codes = ['a', 'b'].map((id) => {
      const plan = planCoupon(cartOffer, message({ id }), now, taken, source);
      return plan.kind === 'issue' ? plan.coupon.code : null;
    });
    expect(codes.every((code) => code !== null)).toBe(true);
    expect(new Set(codes).size).toBe(2);
  });
});
