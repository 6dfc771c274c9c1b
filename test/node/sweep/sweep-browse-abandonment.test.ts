// The browse-abandonment sweep on a real libSQL file: views recorded through
// the browse verb, then the trigger's SQL and the pure rule
// (src/core/triggers/browse-abandonment.ts) agree on a random shop, one
// message per latest view however often it is swept, the cooldown spaces
// them, and --explain says why a customer was not mailed.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { type BrowseEvent, browseKinds } from '../../../src/core/tracking/browse-events.ts';
import {
  latestProductView,
  matchBrowseAbandonment,
  type ProductView,
} from '../../../src/core/triggers/browse-abandonment.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { explainSweep } from '../../../src/services/sweep/explain-sweep.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { recordBrowseEvents } from '../../../src/services/tracking/record-browse.ts';
import { browseCampaign, shopSettings } from '../support/campaign-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const hour = 3_600_000;
const now = Date.parse('2026-12-07T12:00:00Z');
const settings = shopSettings({ frequencyCap: { maxMessages: 100, perDays: 1 } });
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

async function ingest(kind: 'customers' | 'products' | 'carts' | 'orders', records: unknown[], at = now) {
  const schema = ingestSchemas[kind];
  await ingestRecords(
    { store: temp.store },
    { kind, records: records.map((r) => schema.parse(r)) as never, now: at },
  );
}

const customer = (id: string) => ({ id, email: `${id}@example.com`, marketing_consent: true });
const product = (id: string, stock: number) => ({
  id,
  title: `Product ${id}`,
  currency: 'GBP',
  price: '12.00',
  stock,
});
const iso = (at: number) => new Date(at).toISOString();
const cart = (id: string, customerId: string, at: number) => ({
  id,
  customer_id: customerId,
  currency: 'GBP',
  last_activity_at: iso(at),
  items: [{ product_id: 'mug', quantity: 1, unit_price: '12.00' }],
});
const order = (id: string, customerId: string, at: number, status = 'paid') => ({
  id,
  customer_id: customerId,
  placed_at: iso(at),
  status,
  currency: 'GBP',
  total: '12.00',
});

async function views(events: { customer: string; product?: string; category?: string; at: number }[]) {
  const rows: BrowseEvent[] = events.map((e) => ({
    shopper: { customerId: e.customer },
    kind: e.product === undefined ? browseKinds.category_viewed : browseKinds.product_viewed,
    ref: e.product ?? e.category ?? '',
    at: e.at,
  }));
  await recordBrowseEvents({ store: temp.store }, { events: rows, now, retentionDays: 90 });
}

function sweep(at: number, campaign: Campaign = browseCampaign(), pageSize = 3) {
  return runSweep({
    store: temp.store,
    campaigns: { settings, campaigns: [campaign] },
    now: at,
    dryRun: false,
    pageSize,
  });
}

async function outbox() {
  return temp.store.db.all<{ customer_id: string; trigger_ref: string; due_at: number; status: string }>(
    sql`SELECT customer_id, trigger_ref, due_at, status FROM messages ORDER BY customer_id, created_at`,
  );
}

describe('browse-abandonment sweep', () => {
  it('mails the latest product view once, after hours and before max_hours, unless a cart or order followed', async () => {
    await ingest(
      'customers',
      ['viewer', 'carted', 'bought', 'young', 'old', 'soldout', 'categories'].map(customer),
    );
    await ingest('products', [product('mug', 5), product('jug', 0)]);
    await views([
      // An older look at the jug, then the mug: the mug is the latest view.
      { customer: 'viewer', product: 'jug', at: now - 30 * hour },
      { customer: 'viewer', product: 'mug', at: now - 6 * hour },
      { customer: 'carted', product: 'mug', at: now - 6 * hour },
      { customer: 'bought', product: 'mug', at: now - 6 * hour },
      // Still browsing: the latest view is too recent, though an older one is due.
      { customer: 'young', product: 'mug', at: now - 10 * hour },
      { customer: 'young', product: 'jug', at: now - 1 * hour },
      { customer: 'old', product: 'mug', at: now - 49 * hour },
      { customer: 'soldout', product: 'jug', at: now - 6 * hour },
      // Category views are not product views.
      { customer: 'categories', category: 'kitchen', at: now - 6 * hour },
    ]);
    await ingest('carts', [cart('k1', 'carted', now - 5 * hour)], now - 5 * hour);
    await ingest('orders', [order('o1', 'bought', now - 5 * hour)], now - 5 * hour);

    const first = await sweep(now);
    expect(await outbox()).toEqual([
      {
        customer_id: 'viewer',
        trigger_ref: `viewmug@${now - 6 * hour}`,
        // Due 2 h ago (4 h after the view): a message is never due before the sweep that writes it.
        due_at: now,
        status: 'scheduled',
      },
    ]);
    expect(first.campaigns[0]).toMatchObject({ eligible: 1, scheduled: 1 });
    // Swept again, and again an hour later: nothing new for the same view.
    await sweep(now);
    await sweep(now + hour);
    expect(await outbox()).toHaveLength(1);
  });

  it('a new look is a new episode, which the cooldown spaces per customer', async () => {
    await ingest('customers', [customer('ada')]);
    await ingest('products', [product('mug', 5), product('bowl', 5)]);
    await views([{ customer: 'ada', product: 'mug', at: now - 5 * hour }]);
    await sweep(now);
    await views([{ customer: 'ada', product: 'bowl', at: now }]);
    // With a 14-day cooldown the second look is not followed up; without one it is.
    await sweep(now + 5 * hour);
    expect((await outbox()).map((m) => m.trigger_ref)).toEqual([`viewmug@${now - 5 * hour}`]);
    await sweep(now + 5 * hour, browseCampaign({ cooldownDays: 0 }));
    expect((await outbox()).map((m) => m.trigger_ref)).toEqual([
      `viewmug@${now - 5 * hour}`,
      `viewbowl@${now}`,
    ]);
  });

  it('a sweep at an earlier time sees only the views, carts and orders there were then', async () => {
    await ingest('customers', [customer('ada'), customer('bob')]);
    await ingest('products', [product('mug', 5)]);
    await views([
      { customer: 'ada', product: 'mug', at: now - 30 * hour },
      { customer: 'ada', product: 'mug', at: now - 2 * hour },
      { customer: 'bob', product: 'mug', at: now - 30 * hour },
    ]);
    await ingest('carts', [cart('k1', 'bob', now - hour)], now - hour);
    // At now - 20 h, Ada's later view and Bob's cart are still to come.
    await sweep(now - 20 * hour);
    expect((await outbox()).map((m) => [m.customer_id, m.trigger_ref])).toEqual([
      ['ada', `viewmug@${now - 30 * hour}`],
      ['bob', `viewmug@${now - 30 * hour}`],
    ]);
  });

  it('--explain names the rule that stopped it', async () => {
    await ingest('customers', [customer('ada'), customer('bob')]);
    await ingest('products', [product('mug', 5)]);
    await views([
      { customer: 'ada', product: 'mug', at: now - 6 * hour },
      { customer: 'bob', product: 'mug', at: now - 6 * hour },
    ]);
    await ingest('orders', [order('o1', 'ada', now - 5 * hour)], now - 5 * hour);
    const set = { settings, campaigns: [browseCampaign()] };
    const explained = async (id: string) => {
      const result = await runSweep({
        store: temp.store,
        campaigns: set,
        now,
        dryRun: true,
        explainCustomer: id,
      });
      return (await explainSweep(temp.store, set, result, id)).campaigns[0]!;
    };
    expect(await explained('ada')).toMatchObject({
      outcome: 'not_triggered',
      summary: expect.stringContaining('ordered after the view'),
    });
    expect(await explained('bob')).toMatchObject({
      outcome: 'scheduled',
      summary: expect.stringContaining('product mug viewed'),
    });
  });

  it('the SQL and the pure rule agree on a random shop, page after page', async () => {
    let seed = 20261207;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
    // Times on a few shared instants too, so ties and exact boundaries occur.
    const instants = [3.99, 4, 6, 48, 48.01].map((h) => now - h * hour);
    const time = () => (next() < 0.7 ? pick(instants) : now - Math.floor(next() * 60 * hour));
    const catalog = ['a', 'b', 'c', 'd', 'e'];
    const stock = new Map(catalog.map((id) => [id, next() < 0.7 ? 3 : 0]));
    await ingest(
      'products',
      catalog.map((id) => product(id, stock.get(id)!)),
    );
    const ids = Array.from({ length: 240 }, (_, i) => `c${String(i).padStart(3, '0')}`);
    await ingest('customers', ids.map(customer));
    const seen = new Map<string, ProductView[]>();
    const cartTimes = new Map<string, number[]>();
    const paidTimes = new Map<string, number[]>();
    const events: { customer: string; product?: string; category?: string; at: number }[] = [];
    const carts: ReturnType<typeof cart>[] = [];
    const orders: ReturnType<typeof order>[] = [];
    for (const id of ids) {
      for (let n = Math.floor(next() * 5); n > 0; n--) {
        // 'ghost' is not in the catalog.
        const viewed = next() < 0.1 ? 'ghost' : pick(catalog);
        const at = time();
        events.push({ customer: id, product: viewed, at });
        seen.set(id, [...(seen.get(id) ?? []), { productId: viewed, at }]);
      }
      if (next() < 0.3) events.push({ customer: id, category: 'kitchen', at: time() });
      if (next() < 0.35) {
        const at = time();
        carts.push(cart(`k-${id}`, id, at));
        cartTimes.set(id, [at]);
      }
      if (next() < 0.4) {
        const at = time();
        const status = next() < 0.7 ? 'paid' : 'cancelled';
        orders.push(order(`o-${id}`, id, at, status));
        if (status === 'paid') paidTimes.set(id, [at]);
      }
    }
    await views(events);
    await ingest('carts', carts);
    await ingest('orders', orders);

    const campaign = browseCampaign({ cooldownDays: 0 });
    if (campaign.trigger.type !== 'browse_abandonment') throw new Error('unreachable');
    const trigger = campaign.trigger;
    const expected = ids.flatMap((id) => {
      const lastView = latestProductView(seen.get(id) ?? []);
      const units = lastView ? stock.get(lastView.productId) : undefined;
      const outcome = matchBrowseAbandonment(
        trigger,
        {
          lastView,
          productInStock: units === undefined ? null : units > 0,
          cartedSince: (cartTimes.get(id) ?? []).some((at) => lastView !== null && at >= lastView.at),
          orderedSince: (paidTimes.get(id) ?? []).some((at) => lastView !== null && at > lastView.at),
        },
        now,
      );
      return outcome.match
        ? [
            {
              customer_id: id,
              trigger_ref: outcome.instance,
              due_at: Math.max(outcome.dueAt, now),
              status: 'scheduled',
            },
          ]
        : [];
    });
    await sweep(now, campaign, 7);
    expect(await outbox()).toEqual(expected);
    // Enough of each kind that the comparison says something.
    expect(expected.length).toBeGreaterThan(10);
    expect(expected.length).toBeLessThan(ids.length / 2);
  });
});
