// Hand-written cases for the findings of issue 9, kept as regression
// examples beside the random ones: each must pass every property once its fix
// lands. Built from the context so the keys are real. Pure.
import type { FuzzCase, FuzzContext, RouteName } from './fuzz-case.ts';

const encoder = new TextEncoder();

function post(
  route: RouteName,
  path: string,
  key: string,
  body: unknown,
  contentType = 'application/json',
): FuzzCase {
  return {
    route,
    auth: 'ok',
    bodyType: contentType === 'application/json' ? 'json' : 'other',
    label: 'regression',
    request: {
      method: 'POST',
      path,
      headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
      body: encoder.encode(typeof body === 'string' ? body : JSON.stringify(body)),
    },
  };
}

const order = (extra: Record<string, unknown>) => ({
  id: 'o-reg',
  customer_id: 'c1',
  placed_at: '2026-11-01T10:00:00Z',
  currency: 'EUR',
  total: '10.00',
  ...extra,
});
const cart = (extra: Record<string, unknown>) => ({
  id: 'cart-reg',
  email: 'c1@example.com',
  currency: 'EUR',
  last_activity_at: '2026-11-23T10:00:00Z',
  ...extra,
});
const product = (extra: Record<string, unknown>) => ({
  id: 'p-reg',
  title: 'Mug',
  currency: 'EUR',
  price: '5.00',
  stock: 3,
  ...extra,
});

/** [what the case shows, the case]. */
export function regressionCases(ctx: FuzzContext): [string, FuzzCase][] {
  const ingest = ctx.keys.ingest;
  const huge = { product_id: 'p1', quantity: 9007199254740991, unit_price: '99999999.99' };
  return [
    [
      'a lone surrogate in first_name',
      post('customers', '/v1/customers', ingest, { id: 'c1', first_name: '\ud800' }),
    ],
    [
      'a lone surrogate in a product title',
      post('products', '/v1/products', ingest, product({ title: 'Mug \udfff' })),
    ],
    [
      'an order line of 2^53-1 at 99999999.99',
      post('orders', '/v1/orders', ingest, order({ items: [huge] })),
    ],
    ['a cart line of 2^53-1 at 99999999.99', post('carts', '/v1/carts', ingest, cart({ items: [huge] }))],
    ['a negative order total', post('orders', '/v1/orders', ingest, order({ total: '-19.99' }))],
    ['a negative product price', post('products', '/v1/products', ingest, product({ price: '-1.00' }))],
    [
      'a negative unit price',
      post('orders', '/v1/orders', ingest, order({ items: [{ quantity: 1, unit_price: '-5.00' }] })),
    ],
    [
      'a javascript: recovery_url',
      post('carts', '/v1/carts', ingest, cart({ recovery_url: 'javascript:alert(1)' })),
    ],
    [
      'a javascript: product url',
      post('products', '/v1/products', ingest, product({ url: 'JavaScript:alert(1)' })),
    ],
    [
      'a data: image_url',
      post('products', '/v1/products', ingest, product({ image_url: 'data:text/html,<b>x</b>' })),
    ],
    ['an empty POST /v1/sweeps', post('sweeps', '/v1/sweeps', ctx.keys.sweeps, '')],
    ['a sweep body without dry_run', post('sweeps', '/v1/sweeps', ctx.keys.sweeps, {})],
    ['a text/plain customer', post('customers', '/v1/customers', ingest, { id: 'c9' }, 'text/plain')],
    [
      'a text/plain coupon check',
      post(
        'coupons-validate',
        '/v1/coupons/validate',
        ctx.keys.coupons,
        { code: 'X', subtotal: '1', currency: 'EUR' },
        'text/plain',
      ),
    ],
  ];
}
