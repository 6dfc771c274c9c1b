// The new-arrivals sweep on D1 in workerd: the batches the pure rule
// (src/core/triggers/new-arrivals.ts) expects from products, orders and
// browse events stored by the ingest and browse verbs, and nothing new on a
// second sweep. Storage is shared between test files: ids and categories
// carry this test's prefix, its clock is its own, and only its campaign's
// messages are compared.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ingestSchemas } from '../../src/core/ingest/records.ts';
import { browseKinds } from '../../src/core/tracking/browse-events.ts';
import { newArrivalsRef } from '../../src/core/triggers/trigger-ref.ts';
import { ingestRecords } from '../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../src/services/sweep/run-sweep.ts';
import { recordBrowseEvents } from '../../src/services/tracking/record-browse.ts';
import { newArrivalsCampaign, shopSettings } from '../node/support/campaign-fixtures.ts';
import { testStore, uniquePrefix } from './support/worker-client.ts';

const day = 86_400_000;
const now = Date.parse('2031-03-01T12:00:00Z');

describe('the new-arrivals sweep on D1', () => {
  it('mails each customer the new products of their categories, once', async () => {
    const prefix = uniquePrefix();
    const store = testStore();
    const id = (name: string) => `${prefix}-${name}`;
    const ingest = (kind: 'customers' | 'products' | 'orders', records: unknown[]) =>
      ingestRecords(
        { store },
        { kind, records: records.map((r) => ingestSchemas[kind].parse(r)) as never, now },
      );
    await ingest(
      'customers',
      ['buyer', 'looker', 'none'].map((name) => ({
        id: id(name),
        email: `${id(name)}@example.com`,
        marketing_consent: true,
      })),
    );
    const product = (name: string, category: string, age: number, stock = 3) => ({
      id: id(name),
      title: name,
      currency: 'GBP',
      price: '9.00',
      stock,
      category: id(category),
      created_at: new Date(now - age).toISOString(),
    });
    await ingest('products', [
      product('oolong', 'tea', day),
      product('sencha', 'tea', 3 * day),
      product('assam', 'tea', 90 * day),
      product('pot', 'kitchen', 2 * day),
      product('matcha', 'tea', day, 0),
    ]);
    await ingest('orders', [
      {
        id: id('o1'),
        customer_id: id('buyer'),
        placed_at: new Date(now - 50 * day).toISOString(),
        currency: 'GBP',
        items: [{ product_id: id('assam'), quantity: 1, unit_price: '9.00' }],
      },
    ]);
    await recordBrowseEvents(
      { store },
      {
        events: [
          {
            shopper: { customerId: id('looker') },
            kind: browseKinds.category_viewed,
            ref: id('kitchen'),
            at: now - day,
          },
        ],
        now,
        retentionDays: 90,
      },
    );
    const campaign = newArrivalsCampaign({
      id: `arrivals${prefix.replace(/[^a-z0-9]/gi, '').toLowerCase()}`,
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
      {
        customer_id: id('buyer'),
        trigger_ref: newArrivalsRef(now - day, [id('oolong'), id('sencha')]),
        status: 'scheduled',
      },
      {
        customer_id: id('looker'),
        trigger_ref: newArrivalsRef(now - 2 * day, [id('pot')]),
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
