// The browse-abandonment sweep on D1 in workerd: the messages the pure rule
// (src/core/triggers/browse-abandonment.ts) expects, from views stored by the
// browse verb, and nothing new on a second sweep. Storage is shared between
// test files: ids carry this test's prefix, its clock is years ahead of the
// others' views, and only its campaign's messages are compared.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ingestSchemas } from '../../src/core/ingest/records.ts';
import { browseKinds } from '../../src/core/tracking/browse-events.ts';
import { browseRef } from '../../src/core/triggers/trigger-ref.ts';
import { ingestRecords } from '../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../src/services/sweep/run-sweep.ts';
import { recordBrowseEvents } from '../../src/services/tracking/record-browse.ts';
import { browseCampaign, shopSettings } from '../node/support/campaign-fixtures.ts';
import { testStore, uniquePrefix } from './support/worker-client.ts';

const hour = 3_600_000;
const now = Date.parse('2029-06-01T12:00:00Z');

describe('the browse-abandonment sweep on D1', () => {
  it('mails the latest product view that no cart or order followed, once', async () => {
    const prefix = uniquePrefix();
    const store = testStore();
    const id = (name: string) => `${prefix}-${name}`;
    const names = ['viewer', 'carted', 'bought', 'young', 'soldout'];
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
    const product = (name: string, stock: number) =>
      ingestSchemas.products.parse({ id: id(name), title: name, currency: 'GBP', price: '9.00', stock });
    await ingestRecords(
      { store },
      { kind: 'products', records: [product('mug', 4), product('jug', 0)], now },
    );
    const view = (name: string, productName: string, hoursAgo: number) => ({
      shopper: { customerId: id(name) },
      kind: browseKinds.product_viewed,
      ref: id(productName),
      at: now - hoursAgo * hour,
    });
    await recordBrowseEvents(
      { store },
      {
        events: [
          view('viewer', 'jug', 20),
          view('viewer', 'mug', 6),
          view('carted', 'mug', 6),
          view('bought', 'mug', 6),
          view('young', 'mug', 2),
          view('soldout', 'jug', 6),
        ],
        now,
        retentionDays: 90,
      },
    );
    const at = new Date(now - 5 * hour).toISOString();
    await ingestRecords(
      { store },
      {
        kind: 'carts',
        records: [
          ingestSchemas.carts.parse({
            id: id('k1'),
            customer_id: id('carted'),
            currency: 'GBP',
            last_activity_at: at,
            items: [{ product_id: id('mug'), quantity: 1, unit_price: '9.00' }],
          }),
        ],
        now,
      },
    );
    await ingestRecords(
      { store },
      {
        kind: 'orders',
        records: [
          ingestSchemas.orders.parse({
            id: id('o1'),
            customer_id: id('bought'),
            placed_at: at,
            currency: 'GBP',
            total: '9.00',
          }),
        ],
        now,
      },
    );

    const campaign = browseCampaign({ id: `browse${prefix.replace(/[^a-z0-9]/gi, '').toLowerCase()}` });
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
      { customer_id: id('viewer'), trigger_ref: browseRef(id('mug'), now - 6 * hour), status: 'scheduled' },
    ];
    expect(await ours()).toEqual(expected);
    expect(first.campaigns[0]).toMatchObject({ scheduled: 1 });
    const second = await sweep();
    expect(second.campaigns[0]).toMatchObject({ scheduled: 0, skipped: { alreadyMessaged: 1 } });
    expect(await ours()).toEqual(expected);
  });
});
