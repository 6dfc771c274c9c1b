// The new-arrivals sweep on a real libSQL file: products ingested with their
// creation times (first_in_stock_at), orders with items, browse events through
// the browse verb; then one message per batch of arrivals in the customer's
// categories, the batch's products on the message and in the email, never an
// arrival told twice, reruns writing nothing, --explain and preview saying
// why; and the trigger's SQL and the pure rule agree on a random shop.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { type BrowseEvent, browseKinds } from '../../../src/core/tracking/browse-events.ts';
import { type Arrival, matchNewArrivals } from '../../../src/core/triggers/new-arrivals.ts';
import { parseNewArrivalsRef } from '../../../src/core/triggers/trigger-ref.ts';
import { databaseViews } from '../../../src/services/delivery/db-views.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { createViewBuilder } from '../../../src/services/render/build-view.ts';
import { explainSweep } from '../../../src/services/sweep/explain-sweep.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { recordBrowseEvents } from '../../../src/services/tracking/record-browse.ts';
import { newArrivalsCampaign, shopSettings } from '../support/campaign-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const day = 86_400_000;
const now = Date.parse('2026-12-07T12:00:00Z');
const settings = shopSettings({ frequencyCap: { maxMessages: 100, perDays: 1 } });
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

const iso = (at: number) => new Date(at).toISOString();

async function ingest(kind: 'customers' | 'products' | 'orders', records: unknown[], at = now) {
  const schema = ingestSchemas[kind];
  await ingestRecords(
    { store: temp.store },
    { kind, records: records.map((r) => schema.parse(r)) as never, now: at },
  );
}

const customer = (id: string) => ({ id, email: `${id}@example.com`, marketing_consent: true });
/** A product created (first in stock) `age` ms before now, or out of stock. */
const product = (id: string, category: string | null, age: number, stock = 4) => ({
  id,
  title: `Product ${id}`,
  currency: 'GBP',
  price: '12.00',
  stock,
  ...(category === null ? {} : { category }),
  created_at: iso(now - age),
});
const order = (id: string, customerId: string, at: number, productIds: string[], status = 'paid') => ({
  id,
  customer_id: customerId,
  placed_at: iso(at),
  status,
  currency: 'GBP',
  items: productIds.map((p) => ({ product_id: p, quantity: 1, unit_price: '12.00' })),
});

async function browse(events: { customer: string; product?: string; category?: string; at: number }[]) {
  const rows: BrowseEvent[] = events.map((e) => ({
    shopper: { customerId: e.customer },
    kind: e.product === undefined ? browseKinds.category_viewed : browseKinds.product_viewed,
    ref: e.product ?? e.category ?? '',
    at: e.at,
  }));
  await recordBrowseEvents({ store: temp.store }, { events: rows, now, retentionDays: 90 });
}

function sweep(at: number, campaign: Campaign = newArrivalsCampaign(), pageSize = 3, dryRun = false) {
  return runSweep({
    store: temp.store,
    campaigns: { settings, campaigns: [campaign] },
    now: at,
    dryRun,
    pageSize,
  });
}

async function outbox() {
  return temp.store.db.all<{ customer_id: string; trigger_ref: string; status: string }>(
    sql`SELECT customer_id, trigger_ref, status FROM messages ORDER BY customer_id, created_at`,
  );
}
const batches = async () =>
  (await outbox()).map((m) => [m.customer_id, parseNewArrivalsRef(m.trigger_ref)?.productIds]);

/** The catalogue: two new teas, a new pot, an old tea, a new tea out of stock, a new product without a category. */
async function shop() {
  await ingest('products', [
    product('oolong', 'tea', 2 * day),
    product('sencha', 'tea', 5 * day),
    product('pot', 'kitchen', day),
    product('assam', 'tea', 40 * day),
    product('matcha', 'tea', day, 0),
    product('thing', null, day),
  ]);
}

describe('new-arrivals sweep', () => {
  it('mails each customer the new products of the categories they bought from or browsed, newest first', async () => {
    await shop();
    await ingest('customers', ['buyer', 'looker', 'viewer', 'both', 'stranger', 'cancelled'].map(customer));
    await ingest('orders', [
      order('o1', 'buyer', now - 60 * day, ['assam']),
      order('o2', 'both', now - 60 * day, ['assam']),
      order('o3', 'cancelled', now - 60 * day, ['assam'], 'cancelled'),
    ]);
    await browse([
      { customer: 'looker', category: 'kitchen', at: now - 3 * day },
      // A product viewed counts for its category.
      { customer: 'viewer', product: 'assam', at: now - 3 * day },
      { customer: 'both', category: 'kitchen', at: now - 3 * day },
      // Browsing after the sweep's now is not known to it.
      { customer: 'stranger', category: 'tea', at: now + 2 * day },
    ]);
    const result = await sweep(now);
    expect(await batches()).toEqual([
      ['both', ['pot', 'oolong', 'sencha']],
      ['buyer', ['oolong', 'sencha']],
      ['looker', ['pot']],
      ['viewer', ['oolong', 'sencha']],
    ]);
    expect(result.campaigns[0]).toMatchObject({ eligible: 4, scheduled: 4 });
    // Swept again, and a day later with nothing new: nothing more.
    await sweep(now);
    await sweep(now + day);
    expect(await outbox()).toHaveLength(4);
  });

  it('a later arrival is the next batch, without the products already told', async () => {
    await shop();
    await ingest('customers', [customer('ada')]);
    await ingest('orders', [order('o1', 'ada', now - 60 * day, ['assam'])]);
    await sweep(now);
    // A new tea three days later.
    await ingest(
      'products',
      [{ ...product('gyokuro', 'tea', 0), created_at: iso(now + 3 * day) }],
      now + 3 * day,
    );
    await sweep(now + 3 * day);
    expect(await batches()).toEqual([
      ['ada', ['oolong', 'sencha']],
      ['ada', ['gyokuro']],
    ]);
    // With a cooldown, the second batch waits; its products are not lost (told once the cooldown is over).
    await temp.store.db.run(sql`DELETE FROM messages WHERE trigger_ref LIKE ${'new%gyokuro%'}`);
    await sweep(now + 3 * day, newArrivalsCampaign({ cooldownDays: 7 }));
    expect(await outbox()).toHaveLength(1);
    await sweep(now + 8 * day, newArrivalsCampaign({ cooldownDays: 7 }));
    expect((await batches())[1]).toEqual(['ada', ['gyokuro']]);
  });

  it('idle_days and min_products keep it to quiet customers with enough to show', async () => {
    await shop();
    await ingest('customers', ['quiet', 'recent'].map(customer));
    await ingest('orders', [
      order('o1', 'quiet', now - 60 * day, ['assam']),
      order('o2', 'recent', now - 5 * day, ['assam']),
    ]);
    const quietOnly = newArrivalsCampaign({
      trigger: {
        type: 'new_arrivals',
        days: 14,
        minProducts: 2,
        maxProducts: 3,
        idleDays: { min: 30, max: null },
      },
    });
    await sweep(now, quietOnly);
    expect(await batches()).toEqual([['quiet', ['oolong', 'sencha']]]);
    await temp.store.db.run(sql`DELETE FROM messages`);
    await sweep(
      now,
      newArrivalsCampaign({
        trigger: {
          type: 'new_arrivals',
          days: 3,
          minProducts: 2,
          maxProducts: 3,
          idleDays: { min: null, max: null },
        },
      }),
    );
    // Only oolong is under three days old: one is not enough.
    expect(await outbox()).toEqual([]);
  });

  it('the email lists the batch as the sweep chose it, less what sold out since; preview and --explain agree', async () => {
    await shop();
    await ingest('customers', ['ada', 'bob'].map(customer));
    await ingest('orders', [order('o1', 'ada', now - 60 * day, ['assam'])]);
    await sweep(now);
    const [message] = await temp.store.db.all<{ trigger_ref: string }>(sql`SELECT trigger_ref FROM messages`);
    await ingest('products', [{ ...product('sencha', 'tea', 5 * day, 0) }], now + 1000);
    const set = { settings, campaigns: [newArrivalsCampaign()] };
    const builder = createViewBuilder({ store: temp.store, campaigns: set });
    const view = await builder.forMessage(
      {
        campaignId: 'arrivals',
        step: 0,
        customerId: 'ada',
        email: 'ada@example.com',
        triggerKind: 'new_arrivals',
        triggerRef: message!.trigger_ref,
        couponCode: null,
      },
      { unsubscribe: 'https://example.com/u' },
    );
    expect(view.arrivals?.map((p) => p.id)).toEqual(['oolong']);
    expect(view.recommended.map((p) => p.id)).not.toContain('oolong');
    const preview = await builder.forPreview({
      campaign: newArrivalsCampaign(),
      step: 0,
      customerId: 'ada',
      now: now + 2000,
      unsubscribeUrl: 'https://example.com/u',
    });
    // Told already: the preview falls back to the sample products.
    expect(preview?.arrivals?.map((p) => p.title)).toEqual(['Stoneware Pitcher, Moss', 'Waxed Canvas Tote']);
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
      outcome: 'skipped',
      summary: 'already messaged for this trigger instance',
    });
    expect(await explained('bob')).toMatchObject({
      outcome: 'not_triggered',
      summary: expect.stringContaining(
        'nothing new in the last 14 days in a category the customer bought from or browsed',
      ),
    });
    await browse([{ customer: 'bob', category: 'kitchen', at: now - day }]);
    expect(await explained('bob')).toMatchObject({
      outcome: 'scheduled',
      summary: expect.stringContaining('new arrivals up to'),
    });
  });

  it('delivery cancels a batch none of whose products is left in stock, and sends one with any left', async () => {
    await shop();
    await ingest('customers', [customer('ada')]);
    await ingest('orders', [order('o1', 'ada', now - 60 * day, ['assam'])]);
    await sweep(now);
    const [message] = await temp.store.db.all<{ trigger_ref: string }>(sql`SELECT trigger_ref FROM messages`);
    const campaign = newArrivalsCampaign();
    const views = databaseViews(temp.store, { settings, campaigns: [campaign] });
    const build = () =>
      views.build({
        campaign,
        step: campaign.steps[0]!,
        settings,
        message: {
          campaignId: 'arrivals',
          step: 0,
          customerId: 'ada',
          email: 'ada@example.com',
          triggerKind: 'new_arrivals',
          triggerRef: message!.trigger_ref,
          couponCode: null,
        } as never,
        unsubscribeUrl: 'https://example.com/u',
      });
    await ingest('products', [product('oolong', 'tea', 2 * day, 0)], now + 1000);
    expect((await build())?.arrivals?.map((p) => p.id)).toEqual(['sencha']);
    await ingest('products', [product('sencha', 'tea', 5 * day, 0)], now + 2000);
    expect(await build()).toBeNull();
  });

  it('the SQL and the pure rule agree on a random shop, page after page', async () => {
    let seed = 20261208;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
    const categories = ['tea', 'kitchen', 'garden', 'books'];
    // Ages on the window's edges too (14 days exactly, a millisecond over).
    const ages = [0, day, 3 * day, 14 * day, 14 * day + 1, 30 * day];
    const catalog = Array.from({ length: 24 }, (_, i) => {
      const category = next() < 0.1 ? null : pick(categories);
      return { id: `p${String(i).padStart(2, '0')}`, category, age: pick(ages), stock: next() < 0.8 ? 3 : 0 };
    });
    await ingest(
      'products',
      catalog.map((p) => product(p.id, p.category, p.age, p.stock)),
    );
    const ids = Array.from({ length: 150 }, (_, i) => `c${String(i).padStart(3, '0')}`);
    await ingest('customers', ids.map(customer));
    const interests = new Map<string, Set<string>>();
    const lastPaid = new Map<string, number>();
    const orders: ReturnType<typeof order>[] = [];
    const events: { customer: string; product?: string; category?: string; at: number }[] = [];
    const categoryOf = new Map(catalog.map((p) => [p.id, p.category]));
    const note = (id: string, category: string | null | undefined) => {
      if (!category) return;
      interests.set(id, (interests.get(id) ?? new Set()).add(category));
    };
    for (const id of ids) {
      for (let n = Math.floor(next() * 3); n > 0; n--) {
        const at = now - Math.floor(next() * 400) * day;
        const bought = [pick(catalog).id, pick(catalog).id];
        const status = next() < 0.8 ? 'paid' : 'cancelled';
        orders.push(order(`o-${id}-${n}`, id, at, bought, status));
        if (status === 'paid') {
          for (const p of bought) note(id, categoryOf.get(p));
          lastPaid.set(id, Math.max(lastPaid.get(id) ?? 0, at));
        }
      }
      if (next() < 0.3) {
        const category = pick(categories);
        events.push({ customer: id, category, at: now - day });
        note(id, category);
      }
      if (next() < 0.3) {
        const viewed = pick(catalog).id;
        events.push({ customer: id, product: viewed, at: now - 2 * day });
        note(id, categoryOf.get(viewed));
      }
    }
    await ingest('orders', orders);
    await browse(events);

    const campaign = newArrivalsCampaign({
      trigger: {
        type: 'new_arrivals',
        days: 14,
        minProducts: 2,
        maxProducts: 3,
        idleDays: { min: 20, max: 300 },
      },
    });
    if (campaign.trigger.type !== 'new_arrivals') throw new Error('unreachable');
    const trigger = campaign.trigger;
    const arrivals: Arrival[] = catalog.flatMap((p) =>
      p.category !== null && p.stock > 0
        ? [{ productId: p.id, category: p.category, firstInStockAt: now - p.age }]
        : [],
    );
    const expected = ids.flatMap((id) => {
      const outcome = matchNewArrivals(
        trigger,
        {
          arrivals,
          categories: interests.get(id) ?? new Set(),
          toldUpTo: null,
          lastPurchaseAt: lastPaid.get(id) ?? null,
        },
        now,
      );
      return outcome.match ? [{ customer_id: id, trigger_ref: outcome.ref, status: 'scheduled' }] : [];
    });
    expect(expected.length).toBeGreaterThan(10);
    expect(expected.length).toBeLessThan(ids.length / 2);
    await sweep(now, campaign, 7);
    expect(await outbox()).toEqual(expected);
  });
});
