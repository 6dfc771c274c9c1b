// Shopify's ids past 2^53 survive parsing as their exact decimal text, at any
// depth, and only integer literals outside strings are touched.

import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  parseJsonKeepingLongIntegers,
  quoteLongIntegers,
} from '../../../../src/adapters/platforms/shared/exact-ids-json.ts';
import { openTempStore, type TempStore } from '../../support/temp-store.ts';
import { fixtureText, shopifyClient } from './shopify-client.ts';

describe('parseJsonKeepingLongIntegers', () => {
  it('keeps integers past 2^53 exact, where JSON.parse rounds them', () => {
    const text =
      '{"id":820982911946154508,"line_items":[{"id":866550311766439020,"variant_id":642667041472713922}]}';
    expect(String((JSON.parse(text) as { id: number }).id)).not.toBe('820982911946154508');
    expect(parseJsonKeepingLongIntegers(text)).toEqual({
      id: '820982911946154508',
      line_items: [{ id: '866550311766439020', variant_id: '642667041472713922' }],
    });
  });

  it('leaves strings, fractions, exponents and short integers alone', () => {
    const text =
      '{"note":"order 820982911946154508 \\" 9007199254740993","a":-9007199254740993,"b":1234567890123456.5,"c":12345678901234567e2,"d":123456789012345,"e":[0,-1,1e3],"f":"\\\\"}';
    expect(parseJsonKeepingLongIntegers(text)).toEqual({
      note: 'order 820982911946154508 " 9007199254740993',
      a: '-9007199254740993',
      b: 1234567890123456.5,
      c: JSON.parse('12345678901234567e2'),
      d: 123456789012345,
      e: [0, -1, 1000],
      f: '\\',
    });
  });

  it('changes nothing in text without long integers', () => {
    const text = '{"id": 632910392, "price": "199.00"}';
    expect(quoteLongIntegers(text)).toBe(text);
  });

  it('agrees with JSON.parse on every value that is not a long integer', () => {
    const text = fixtureText('products-create.json');
    const exact = parseJsonKeepingLongIntegers(text) as Record<string, unknown>;
    const rounded = JSON.parse(text) as Record<string, unknown>;
    expect(exact.title).toBe(rounded.title);
    expect(exact.tags).toBe(rounded.tags);
    expect(exact.id).toBe('788032119674292922');
  });
});

describe('ids stored by the route', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await openTempStore();
  });
  afterEach(() => temp.cleanup());

  it('stores an order id, its customer id and its line items past 2^53 exactly', async () => {
    const client = shopifyClient(temp.store);
    expect((await client.send('orders/create', fixtureText('orders-create.json'))).status).toBe(200);
    const orders = await temp.store.db.all(sql`select id, customer_id from orders`);
    expect(orders).toEqual([{ id: '820982911946154508', customer_id: '115310627314723954' }]);
    const items = await temp.store.db.all(sql`select product_id from order_items order by line_no`);
    expect(items).toEqual([{ product_id: '642667041472713922' }, { product_id: '757650484644203962' }]);
    const customers = await temp.store.db.all(sql`select id, email from customers`);
    expect(customers).toEqual([{ id: '115310627314723954', email: 'john@example.com' }]);
  });
});
