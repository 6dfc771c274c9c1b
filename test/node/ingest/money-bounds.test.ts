// Money at and past the bounds of src/core/money-bounds.ts, on a real libSQL
// file: ingestion over the API and from a file, coupon redemption (valued in
// SQL and posted by the platform), report sums and the privacy export.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignSet } from '../../../src/core/campaigns/types.ts';
import { maxAmountMinor, maxLineQuantity } from '../../../src/core/money-bounds.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { buildCampaignReports } from '../../../src/services/reports/build-campaign-report.ts';
import { dormantCampaign, shopSettings } from '../support/campaign-fixtures.ts';
import { importFile } from '../support/import-file.ts';
import { day, seedCustomers, seedMessage } from '../support/report-seed.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';

const t0 = Date.parse('2026-03-02T10:00:00Z');
const now = t0 + 30 * day;
const code = 'BACK-AAAA-AAAA-AAAA';
let temp: TempStore;
let app: ReturnType<typeof createApp>;
let key: string;

beforeEach(async () => {
  temp = await openTempStore();
  app = createApp({ store: temp.store, now: () => now });
  key = (await createApiKey(temp.store, { name: 'all', scopes: ['admin'], now })).secret;
  await seedCustomers(temp.store, ['c1'], t0 - 400 * day);
  // A sent win-back message whose coupon takes 15% off.
  await seedMessage(temp.store, {
    id: 'm1',
    campaignId: 'winback',
    customerId: 'c1',
    status: 'sent',
    dueAt: t0,
    couponCode: code,
  });
});
afterEach(() => temp.cleanup());

function post(path: string, body: unknown) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
}
const get = (path: string) => app.request(path, { headers: { authorization: `Bearer ${key}` } });

type Details = { error: { details: { field?: string; message: string }[] } };

const order = (extra: Record<string, unknown> = {}) => ({
  id: 'o1',
  customer_id: 'c1',
  placed_at: new Date(t0 + day).toISOString(),
  currency: 'GBP',
  total: '10.00',
  discount_codes: [code],
  items: [{ product_id: 'p1', quantity: 1, unit_price: '10.00' }],
  ...extra,
});

async function redemptionRows() {
  return temp.store.db.all<{ order_id: string; order_total_minor: number; discount_minor: number }>(
    sql`select order_id, order_total_minor, discount_minor from redemptions order by order_id`,
  );
}

describe("the finding's order", () => {
  it('is refused with 400 naming the line, redeems nothing, and the export keeps working', async () => {
    const before = await snapshot(temp.store);
    const response = await post(
      '/v1/orders',
      order({ items: [{ product_id: 'p1', quantity: 9007199254740991, unit_price: '99999999.99' }] }),
    );
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as Details;
    expect(error.details).toContainEqual({
      field: 'items[0].quantity',
      message: `quantity must be between -${maxLineQuantity} and ${maxLineQuantity}`,
    });
    expect(await snapshot(temp.store)).toEqual(before);
    expect((await get('/v1/customers/c1/export')).status).toBe(200);
  });
});

describe('ingestion bounds', () => {
  const refused: [string, string, unknown, string][] = [
    ['a negative paid total', '/v1/orders', order({ total: '-1000000000.00' }), 'total'],
    [
      'a refunded order with a negative total',
      '/v1/orders',
      order({ status: 'refunded', total: '-5.00' }),
      'total',
    ],
    ['a total past the bound', '/v1/orders', order({ total: '10000000000.01' }), 'total'],
    [
      'a negative unit price',
      '/v1/orders',
      order({ items: [{ quantity: 1, unit_price: '-1.00' }] }),
      'items[0].unit_price',
    ],
    [
      'a quantity past the bound',
      '/v1/orders',
      order({ items: [{ quantity: 1_000_001, unit_price: '0.01' }] }),
      'items[0].quantity',
    ],
    [
      'a line worth more than the bound',
      '/v1/orders',
      order({ items: [{ quantity: 1_000_000, unit_price: '10000.01' }] }),
      'items[0].quantity',
    ],
    [
      'lines adding up past the bound',
      '/v1/orders',
      order({
        items: [
          { quantity: 1, unit_price: '10000000000.00' },
          { quantity: 1, unit_price: '0.01' },
        ],
      }),
      'items',
    ],
    [
      'a JPY total past the bound',
      '/v1/orders',
      order({ currency: 'JPY', total: '1000000000001', items: [] }),
      'total',
    ],
    [
      'a KWD total past the bound',
      '/v1/orders',
      order({ currency: 'KWD', total: '1000000000.001', items: [] }),
      'total',
    ],
    [
      'a negative product price',
      '/v1/products',
      { id: 'p1', title: 'Mug', currency: 'GBP', price: -5, stock: 1 },
      'price',
    ],
    [
      'a negative cart value',
      '/v1/carts',
      {
        id: 'k1',
        email: 'a@example.com',
        currency: 'GBP',
        value: '-1.00',
        last_activity_at: new Date(t0).toISOString(),
      },
      'value',
    ],
    [
      'a returned line in a cart',
      '/v1/carts',
      {
        id: 'k1',
        email: 'a@example.com',
        currency: 'GBP',
        last_activity_at: new Date(t0).toISOString(),
        items: [{ quantity: -1, unit_price: '5.00' }],
      },
      'items[0].quantity',
    ],
    [
      'cart lines adding up past the bound',
      '/v1/carts',
      {
        id: 'k1',
        email: 'a@example.com',
        currency: 'GBP',
        last_activity_at: new Date(t0).toISOString(),
        items: [
          { quantity: 1_000_000, unit_price: '10000.00' },
          { quantity: 1, unit_price: '0.01' },
        ],
      },
      'items',
    ],
  ];

  it.each(refused.map(([name, route, body, field]) => ({ name, route, body, field })))(
    'refuses $name, naming $field, and stores nothing',
    async ({ route, body, field }) => {
      const before = await snapshot(temp.store);
      const response = await post(route, body);
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as Details;
      expect(error.details.map((d) => d.field)).toContain(field);
      expect(await snapshot(temp.store)).toEqual(before);
    },
  );

  it('accepts every value at the bound, keeps a returned line, and values the redemption exactly', async () => {
    const atBound = order({
      total: '10000000000.00',
      items: [
        { product_id: 'p1', quantity: 1_000_000, unit_price: '10000.00' },
        { product_id: 'p2', quantity: -1, unit_price: '0.00' },
      ],
    });
    expect((await post('/v1/orders', atBound)).status).toBe(200);
    const yen = order({ id: 'o2', currency: 'JPY', total: '1000000000000', discount_codes: [], items: [] });
    const dinar = order({
      id: 'o3',
      currency: 'KWD',
      total: '1000000000.000',
      discount_codes: [],
      items: [],
    });
    expect((await post('/v1/orders', [yen, dinar])).status).toBe(200);
    const product = { id: 'p1', title: 'Mug', currency: 'GBP', price: '10000000000.00', stock: 1 };
    expect((await post('/v1/products', product)).status).toBe(200);
    const cart = {
      id: 'k1',
      email: 'a@example.com',
      currency: 'GBP',
      last_activity_at: new Date(t0).toISOString(),
      items: [{ quantity: 1_000_000, unit_price: '10000.00' }],
    };
    expect((await post('/v1/carts', cart)).status).toBe(200);

    const totals = await temp.store.db.all(sql`select id, total_minor from orders order by id`);
    expect(totals).toEqual([
      { id: 'o1', total_minor: maxAmountMinor },
      { id: 'o2', total_minor: maxAmountMinor },
      { id: 'o3', total_minor: maxAmountMinor },
    ]);
    expect(await temp.store.db.all(sql`select value_minor from carts`)).toEqual([
      { value_minor: maxAmountMinor },
    ]);
    // 15% of the 10^12 subtotal, exactly.
    expect(await redemptionRows()).toEqual([
      { order_id: 'o1', order_total_minor: maxAmountMinor, discount_minor: 150_000_000_000 },
    ]);
  });
});

describe('redemption values', () => {
  it('never gives a negative discount for an order of returned lines', async () => {
    const returns = order({
      total: '0.00',
      items: [{ product_id: 'p1', quantity: -2, unit_price: '10.00' }],
    });
    expect((await post('/v1/orders', returns)).status).toBe(200);
    expect(await redemptionRows()).toEqual([{ order_id: 'o1', order_total_minor: 0, discount_minor: 0 }]);
  });

  it('never values a discount past the bound when it is worked back from the total', async () => {
    await temp.store.db.run(sql`update coupons set value = 99.99 where code = ${code}`);
    expect((await post('/v1/orders', order({ total: '10000000000.00', items: [] }))).status).toBe(200);
    const [row] = await redemptionRows();
    expect(row?.discount_minor).toBe(maxAmountMinor);
  });

  it('POST /v1/redemptions holds the order total and discount to the bound', async () => {
    await temp.store.db.run(sql`update coupons set expires_at = null where code = ${code}`);
    const redeem = (extra: Record<string, unknown>) =>
      post('/v1/redemptions', { code, order_id: 'o9', customer_id: 'c1', currency: 'GBP', ...extra });
    const past = await redeem({ order_total: '10000000000.00', discount: '0.01' });
    expect(past.status).toBe(400);
    expect(((await past.json()) as Details).error.details).toEqual([
      { field: 'discount', message: 'order_total + discount must be at most 10000000000.00 GBP' },
    ]);
    expect((await redeem({ order_total: '10000000000.01' })).status).toBe(400);
    expect((await redeem({ order_total: '1.00', discount: '-1.00' })).status).toBe(400);
    expect(await redemptionRows()).toEqual([]);

    const ok = await redeem({ order_total: '9999999999.99', discount: '0.01' });
    expect(ok.status).toBe(201);
    expect(await redemptionRows()).toEqual([
      { order_id: 'o9', order_total_minor: maxAmountMinor - 1, discount_minor: 1 },
    ]);
  });
});

describe('sums and the export at the bounds', () => {
  it('report revenue and the export stay exact with orders at the bound', async () => {
    const orders = [1, 2, 3].map((n) =>
      order({ id: `o${n}`, total: '10000000000.00', discount_codes: n === 1 ? [code] : [], items: [] }),
    );
    expect((await post('/v1/orders', orders)).status).toBe(200);
    const campaigns: CampaignSet = {
      settings: shopSettings(),
      campaigns: [dormantCampaign({ attributionDays: 7 })],
    };
    const [report] = await buildCampaignReports({ store: temp.store }, { campaigns, now });
    // One redeemed, two influenced: all three to the one message.
    expect(report?.totals.revenue).toEqual([
      { currency: 'GBP', minor: 3 * maxAmountMinor, amount: '30000000000.00' },
    ]);

    const exported = await get('/v1/customers/c1/export');
    expect(exported.status).toBe(200);
    const body = (await exported.json()) as {
      orders: { total_minor: number }[];
      redemptions: { discount_minor: number }[];
    };
    expect(body.orders.map((o) => o.total_minor)).toEqual([maxAmountMinor, maxAmountMinor, maxAmountMinor]);
    // Without lines, 15% worked back from the total: 10^12 / 0.85 x 0.15.
    expect(body.redemptions.map((r) => r.discount_minor)).toEqual([176_470_588_235]);
  });

  it('the export still answers for a row an older version stored past 2^53, giving the value exactly', async () => {
    // What the finding's order left behind before the bounds existed.
    await temp.store.db.run(sql`insert into orders (id, customer_id, placed_at, status, currency, total_minor, updated_at)
      values ('o1', 'c1', ${t0}, 'paid', 'GBP', 1000, ${t0})`);
    await temp.store.db.run(sql`insert into redemptions (coupon_code, order_id, currency, order_total_minor, discount_minor, at)
      values (${code}, 'o1', 'GBP', 1000, 9223372036854775807, ${t0})`);
    const exported = await get('/v1/customers/c1/export');
    expect(exported.status).toBe(200);
    const body = (await exported.json()) as {
      redemptions: { discount_minor: unknown; order_total_minor: unknown }[];
    };
    expect(body.redemptions).toMatchObject([
      { discount_minor: '9223372036854775807', order_total_minor: 1000 },
    ]);
  });
});

describe('rekindle import at the bounds', () => {
  it('stores values at the bound and rejects the rows past it by line and field', async () => {
    const file = join(temp.dir, 'orders.jsonl');
    const line = (id: string, extra: Record<string, unknown>) =>
      JSON.stringify({
        id,
        customer_id: 'c1',
        placed_at: '2026-03-03T10:00:00Z',
        currency: 'GBP',
        total: '1.00',
        ...extra,
      });
    await writeFile(
      file,
      [
        line('i1', {
          total: '10000000000.00',
          items: [{ product_id: 'p1', quantity: 1_000_000, unit_price: '10000.00' }],
        }),
        line('i2', { total: '-1000000000.00' }),
        line('i3', { items: [{ product_id: 'p1', quantity: 9007199254740991, unit_price: '99999999.99' }] }),
        line('i4', {
          items: [
            { product_id: 'p1', quantity: 1, unit_price: '10000000000.00' },
            { product_id: 'p2', quantity: 1, unit_price: '1.00' },
          ],
        }),
      ].join('\n'),
    );
    const summary = await importFile(temp.store, 'orders', file, {}, now);
    expect(summary).toMatchObject({
      stored: { orders: 1, items: 1 },
      rejected: 3,
      rejections: [
        { line: 2, reason: 'total: must not be negative' },
        { line: 3, reason: `quantity: quantity must be between -${maxLineQuantity} and ${maxLineQuantity}` },
        { line: 4, reason: 'items: the lines add up to more than 10000000000.00 GBP' },
      ],
    });
    expect(await temp.store.db.all(sql`select id, total_minor from orders`)).toEqual([
      { id: 'i1', total_minor: maxAmountMinor },
    ]);
  });
});
