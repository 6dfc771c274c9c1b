import { describe, expect, it } from 'vitest';
import { customerKey, dedupeKey, dedupeKeyPrefix } from '../../src/core/selection/dedupe-key.ts';
import {
  cartRef,
  describeInstance,
  dormantRef,
  heldCartInstance,
  parseCartRef,
  parseDormantRef,
  parseRestockRef,
  restockRef,
  waitlistInstance,
} from '../../src/core/triggers/trigger-ref.ts';

describe('trigger refs', () => {
  it('format the shapes messages carry', () => {
    expect(dormantRef(1767225600000)).toBe('lp1767225600000');
    expect(cartRef('c-1', 1767225600000)).toBe('cartc-1@1767225600000');
    expect(restockRef(42)).toBe('restock42');
    expect(waitlistInstance('w-9')).toBe('wlw-9');
    expect(heldCartInstance('p-1', 'k-2')).toBe('bisp-1cartk-2');
  });

  it('parse what they format, ids with the separators included', () => {
    for (const at of [0, -5, 1767225600000]) expect(parseDormantRef(dormantRef(at))).toBe(at);
    for (const cartId of ['c-1', 'weird@id', 'a:b@c', '@']) {
      expect(parseCartRef(cartRef(cartId, 1767225600000))).toEqual({ cartId, lastActivityAt: 1767225600000 });
    }
    expect(parseRestockRef(restockRef(7))).toBe(7);
  });

  it('refuse other shapes', () => {
    expect(parseCartRef('lp1767225600000')).toBeNull();
    expect(parseCartRef('cart@1')).toBeNull();
    expect(parseCartRef('cartk@')).toBeNull();
    expect(parseDormantRef('cartk@1')).toBeNull();
    expect(parseDormantRef('lp1.5')).toBeNull();
    expect(parseRestockRef('restockX')).toBeNull();
    expect(parseRestockRef('restock')).toBeNull();
  });
});

describe('dedupe keys', () => {
  it('are campaign:step:customer:instance, a guest keyed by address', () => {
    const hit = { campaignId: 'winback', step: 1, email: 'a@b.example', instance: 'lp5' };
    expect(dedupeKey({ ...hit, customerId: 'c-1' })).toBe('winback:1:c-1:lp5');
    expect(dedupeKey({ ...hit, customerId: null })).toBe('winback:1:email:a@b.example:lp5');
    expect(customerKey({ customerId: null, email: 'a@b.example' })).toBe('email:a@b.example');
    expect(dedupeKeyPrefix('winback', 0)).toBe('winback:0:');
  });
});

describe('describeInstance', () => {
  const now = Date.parse('2026-11-20T12:00:00Z');
  it('says the facts an instance stands for, never the internal string', () => {
    expect(describeInstance(dormantRef(Date.parse('2026-08-22T09:00:00Z')), now)).toBe(
      'last purchase 2026-08-22, 90 days ago',
    );
    expect(describeInstance(cartRef('c@7', Date.parse('2026-11-20T10:30:00Z')), now)).toBe(
      'cart c@7 left 2026-11-20 10:30 UTC',
    );
    expect(describeInstance(waitlistInstance('42'), now)).toBe('back in stock for a waitlist sign-up');
    expect(describeInstance(heldCartInstance('hat', 'cart1'), now)).toBe(
      'back in stock, held in an open cart',
    );
  });
});
