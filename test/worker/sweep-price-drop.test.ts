// The price-drop sweep on D1 in workerd: drops recorded by product updates,
// interest from views, carts and waitlist sign-ups (one by address only),
// the messages the pure rule (src/core/triggers/price-drop.ts) expects, and
// nothing new on a second sweep. Storage is shared between test files: ids
// carry this test's prefix, its clock is years ahead of the others' drops,
// and only its campaign's messages are compared.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ingestSchemas } from '../../src/core/ingest/records.ts';
import { browseKinds } from '../../src/core/tracking/browse-events.ts';
import { priceDropRef } from '../../src/core/triggers/trigger-ref.ts';
import { ingestRecords } from '../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../src/services/sweep/run-sweep.ts';
import { recordBrowseEvents } from '../../src/services/tracking/record-browse.ts';
import { priceDropCampaign, shopSettings } from '../node/support/campaign-fixtures.ts';
import { testStore, uniquePrefix } from './support/worker-client.ts';

const hour = 3_600_000;
const day = 24 * hour;
const now = Date.parse('2031-03-01T12:00:00Z');

describe('the price-drop sweep on D1', () => {
  it('mails who viewed, carted or waited for a product that fell far enough, once', async () => {
    const prefix = uniquePrefix();
    const store = testStore();
    const id = (name: string) => `${prefix}-${name}`;
    const email = (name: string) => `${id(name)}@example.com`;
    const ingest = (kind: keyof typeof ingestSchemas, records: unknown[], at = now) =>
      ingestRecords(
        { store },
        { kind, records: records.map((r) => ingestSchemas[kind].parse(r)) as never, now: at },
      );
    const names = ['viewer', 'carter', 'guest', 'bought', 'small', 'late'];
    await ingest(
      'customers',
      names.map((name) => ({ id: id(name), email: email(name), marketing_consent: true })),
    );
    const product = (name: string, price: string) => ({
      id: id(name),
      title: name,
      currency: 'GBP',
      price,
      stock: 4,
    });
    await ingest('products', [product('mug', '20.00'), product('jug', '20.00')], now - 20 * day);
    const dropAt = now - 5 * hour;
    const view = (name: string, productName: string, at: number) => ({
      shopper: { customerId: id(name) },
      kind: browseKinds.product_viewed,
      ref: id(productName),
      at,
    });
    await recordBrowseEvents(
      { store },
      {
        events: [
          view('viewer', 'mug', dropAt - 2 * day),
          view('bought', 'mug', dropAt - 2 * day),
          view('small', 'jug', dropAt - 2 * day),
          view('late', 'mug', dropAt + hour),
        ],
        now,
        retentionDays: 90,
      },
    );
    await ingest('carts', [
      {
        id: id('k1'),
        customer_id: id('carter'),
        currency: 'GBP',
        last_activity_at: new Date(dropAt - day).toISOString(),
        items: [{ product_id: id('mug'), quantity: 1, unit_price: '20.00' }],
      },
    ]);
    await ingest('waitlist', [
      { product_id: id('mug'), email: email('guest'), created_at: new Date(dropAt - 3 * day).toISOString() },
    ]);
    await ingest('orders', [
      {
        id: id('o1'),
        customer_id: id('bought'),
        placed_at: new Date(dropAt - day).toISOString(),
        currency: 'GBP',
        items: [{ product_id: id('mug'), quantity: 1, unit_price: '20.00' }],
      },
    ]);
    // The mug falls 25%, the jug 5%.
    await ingest('products', [product('mug', '15.00'), product('jug', '19.00')], dropAt);
    const [drop] = await store.db.all<{ id: number }>(
      sql`SELECT id FROM price_drops WHERE product_id = ${id('mug')}`,
    );

    const campaign = priceDropCampaign({ id: `drop${prefix.replace(/[^a-z0-9]/gi, '').toLowerCase()}` });
    const sweep = () =>
      runSweep({
        store,
        campaigns: {
          settings: shopSettings({ frequencyCap: { maxMessages: 10, perDays: 1 } }),
          campaigns: [campaign],
        },
        now,
        dryRun: false,
        pageSize: 2,
      });
    const ours = () =>
      store.db.all(sql`SELECT customer_id, trigger_ref, status FROM messages
        WHERE campaign_id = ${campaign.id} ORDER BY customer_id`);
    const first = await sweep();
    const expected = ['carter', 'guest', 'viewer'].map((name) => ({
      customer_id: id(name),
      trigger_ref: priceDropRef(drop!.id),
      status: 'scheduled',
    }));
    expect(await ours()).toEqual(expected);
    expect(first.campaigns[0]).toMatchObject({ scheduled: 3 });
    const second = await sweep();
    expect(second.campaigns[0]).toMatchObject({ scheduled: 0, skipped: { alreadyMessaged: 3 } });
    expect(await ours()).toEqual(expected);
  });
});
