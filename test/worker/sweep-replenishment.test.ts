// The replenishment sweep on D1 in workerd: an interval from the product and
// one learned from re-buys (window functions on D1), the messages the pure
// rule (src/core/triggers/replenishment.ts) expects, and nothing new on a
// second sweep. Storage is shared between test files: ids carry this test's
// prefix (so the learned median is taken over its own orders only), its clock
// is years ahead of the others', and only its campaign's messages are compared.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ingestSchemas } from '../../src/core/ingest/records.ts';
import { replenishRef } from '../../src/core/triggers/trigger-ref.ts';
import { ingestRecords } from '../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../src/services/sweep/run-sweep.ts';
import { replenishmentCampaign, shopSettings } from '../node/support/campaign-fixtures.ts';
import { testStore, uniquePrefix } from './support/worker-client.ts';

const day = 86_400_000;
const now = Date.parse('2029-09-01T12:00:00Z');

describe('the replenishment sweep on D1', () => {
  it('mails the purchases due by the product or by the learned interval, once', async () => {
    const prefix = uniquePrefix();
    const store = testStore();
    const id = (name: string) => `${prefix}-${name}`;
    const regulars = ['r1', 'r2', 'r3', 'r4', 'r5'];
    const names = ['due', 'early', 'rebought', 'learned', ...regulars];
    await ingestRecords(
      { store },
      {
        kind: 'customers',
        records: names.map((name) =>
          ingestSchemas.customers.parse({
            id: id(name),
            email: `${id(name)}@example.com`,
            marketing_consent: true,
          }),
        ),
        now,
      },
    );
    const product = (name: string, replenishDays: number | null) =>
      ingestSchemas.products.parse({
        id: id(name),
        title: name,
        currency: 'GBP',
        price: '9.00',
        stock: 4,
        replenish_days: replenishDays,
      });
    await ingestRecords(
      { store },
      { kind: 'products', records: [product('beans', 30), product('tea', null)], now },
    );
    let n = 0;
    const order = (name: string, daysAgo: number, productName: string) =>
      ingestSchemas.orders.parse({
        id: id(`o${++n}`),
        customer_id: id(name),
        placed_at: new Date(now - daysAgo * day).toISOString(),
        currency: 'GBP',
        total: '9.00',
        items: [{ product_id: id(productName), quantity: 1, unit_price: '9.00' }],
      });
    await ingestRecords(
      { store },
      {
        kind: 'orders',
        records: [
          order('due', 27, 'beans'),
          order('early', 26, 'beans'),
          order('rebought', 28, 'beans'),
          order('rebought', 3, 'beans'),
          // Gaps of 18, 20, 20, 22 and 40 days: the learned median is 20.
          ...regulars.flatMap((name, i) => [
            order(name, 200, 'tea'),
            order(name, 200 - [18, 20, 20, 22, 40][i]!, 'tea'),
          ]),
          order('learned', 17, 'tea'),
        ],
        now,
      },
    );

    const campaign = replenishmentCampaign({
      id: `refill${prefix.replace(/[^a-z0-9]/gi, '').toLowerCase()}`,
    });
    const sweep = () =>
      runSweep({
        store,
        campaigns: { settings: shopSettings(), campaigns: [campaign] },
        now,
        dryRun: false,
        pageSize: 2,
      });
    const ours = () =>
      store.db.all(sql`SELECT customer_id, trigger_ref, status FROM messages
        WHERE campaign_id = ${campaign.id} ORDER BY customer_id`);
    const first = await sweep();
    const expected = [
      { customer_id: id('due'), trigger_ref: replenishRef(id('beans'), now - 27 * day), status: 'scheduled' },
      {
        customer_id: id('learned'),
        trigger_ref: replenishRef(id('tea'), now - 17 * day),
        status: 'scheduled',
      },
    ];
    expect(await ours()).toEqual(expected);
    expect(first.campaigns[0]).toMatchObject({ scheduled: 2 });
    const second = await sweep();
    expect(second.campaigns[0]).toMatchObject({ scheduled: 0, skipped: { alreadyMessaged: 2 } });
    expect(await ours()).toEqual(expected);
  });
});
