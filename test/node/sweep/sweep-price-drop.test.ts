// The price-drop sweep on a real libSQL file: drops recorded by product
// updates through ingest, interest from views (the browse verb), carts and
// waitlist sign-ups, then the trigger's SQL and the pure rule
// (src/core/triggers/price-drop.ts) agree on a random shop, one message per
// customer per drop however often it is swept, max_hours lets a late sweep
// catch up and no later, the cooldown spaces drops, and --explain shows the
// drop and the interest.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { type BrowseEvent, browseKinds } from '../../../src/core/tracking/browse-events.ts';
import { type Interest, matchPriceDrop } from '../../../src/core/triggers/price-drop.ts';
import type { PriceDropRow } from '../../../src/db/sweeps/price-drop-hits.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { explainSweep } from '../../../src/services/sweep/explain-sweep.ts';
import { priceDropSource } from '../../../src/services/sweep/price-drop-source.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { recordBrowseEvents } from '../../../src/services/tracking/record-browse.ts';
import { priceDropCampaign, shopSettings } from '../support/campaign-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const hour = 3_600_000;
const day = 24 * hour;
const now = Date.parse('2026-12-07T12:00:00Z');
const settings = shopSettings({ frequencyCap: { maxMessages: 100, perDays: 1 } });
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

type Kind = 'customers' | 'products' | 'carts' | 'orders' | 'waitlist';
async function ingest(kind: Kind, records: unknown[], at = now) {
  const schema = ingestSchemas[kind];
  await ingestRecords(
    { store: temp.store },
    { kind, records: records.map((r) => schema.parse(r)) as never, now: at },
  );
}

const customer = (id: string, email = `${id}@example.com`) => ({ id, email, marketing_consent: true });
const money = (minor: number) => (minor / 100).toFixed(2);
const product = (id: string, priceMinor: number, stock = 5, currency = 'GBP') => ({
  id,
  title: `Product ${id}`,
  currency,
  price: money(priceMinor),
  stock,
});
const iso = (at: number) => new Date(at).toISOString();
const cart = (
  id: string,
  owner: { customer_id?: string; email?: string },
  at: number,
  productId = 'mug',
) => ({
  id,
  ...owner,
  currency: 'GBP',
  last_activity_at: iso(at),
  items: [{ product_id: productId, quantity: 1, unit_price: '20.00' }],
});
const order = (id: string, customerId: string, at: number, productId = 'mug', status = 'paid') => ({
  id,
  customer_id: customerId,
  placed_at: iso(at),
  status,
  currency: 'GBP',
  items: [{ product_id: productId, quantity: 1, unit_price: '15.00' }],
});
const signUp = (productId: string, owner: { customer_id?: string; email: string }, at: number) => ({
  product_id: productId,
  ...owner,
  created_at: iso(at),
});

async function views(events: { customer: string; product: string; at: number }[], clock = now) {
  const rows: BrowseEvent[] = events.map((e) => ({
    shopper: { customerId: e.customer },
    kind: browseKinds.product_viewed,
    ref: e.product,
    at: e.at,
  }));
  await recordBrowseEvents({ store: temp.store }, { events: rows, now: clock, retentionDays: 90 });
}

function sweep(at: number, campaign: Campaign = priceDropCampaign(), pageSize = 2) {
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

async function dropIds(): Promise<Record<string, number[]>> {
  const rows = await temp.store.db.all<{ id: number; product_id: string }>(
    sql`SELECT id, product_id FROM price_drops ORDER BY id`,
  );
  const byProduct: Record<string, number[]> = {};
  for (const row of rows) byProduct[row.product_id] = [...(byProduct[row.product_id] ?? []), row.id];
  return byProduct;
}

describe('price-drop sweep', () => {
  it('mails who viewed, carted or waited for it in the days before, once per drop', async () => {
    const dropAt = now - 5 * hour;
    await ingest('customers', [
      ...[
        'viewer',
        'carter',
        'waiter',
        'guest',
        'late',
        'old',
        'bought',
        'small',
        'soldout',
        'converted',
      ].map((id) => customer(id)),
    ]);
    await ingest(
      'products',
      [product('mug', 2000), product('jug', 2000), product('hat', 2000)],
      now - 40 * day,
    );
    await views([
      { customer: 'viewer', product: 'mug', at: dropAt - 2 * day },
      // After the drop: they saw the new price.
      { customer: 'late', product: 'mug', at: dropAt + hour },
      // More than 30 days before it.
      { customer: 'old', product: 'mug', at: dropAt - 30 * day - 1 },
      { customer: 'bought', product: 'mug', at: dropAt - 3 * day },
      // The jug falls 5%; the hat sells out after its drop.
      { customer: 'small', product: 'jug', at: dropAt - day },
      { customer: 'soldout', product: 'hat', at: dropAt - day },
    ]);
    await ingest('carts', [
      cart('k1', { customer_id: 'carter' }, dropAt - day),
      // A converted cart was bought, not left.
      { ...cart('k2', { customer_id: 'converted' }, dropAt - day), status: 'converted' },
    ]);
    await ingest('waitlist', [
      signUp('mug', { customer_id: 'waiter', email: 'waiter@example.com' }, dropAt - 10 * day),
      // No customer id: counted for the customer with the address.
      signUp('mug', { email: 'guest@example.com' }, dropAt - 10 * day),
      // Nobody with this address: left out.
      signUp('mug', { email: 'stranger@example.com' }, dropAt - 10 * day),
    ]);
    await ingest('orders', [order('o1', 'bought', dropAt - day)]);
    await ingest('products', [product('mug', 1500), product('jug', 1900), product('hat', 1000)], dropAt);
    await ingest('products', [product('hat', 1000, 0)], dropAt + hour);
    const { mug } = await dropIds();

    const first = await sweep(now);
    const expected = ['carter', 'guest', 'viewer', 'waiter'].map((id) => ({
      customer_id: id,
      trigger_ref: `drop${mug![0]}`,
      due_at: now,
      status: 'scheduled',
    }));
    expect(await outbox()).toEqual(expected);
    expect(first.campaigns[0]).toMatchObject({ eligible: 4, scheduled: 4 });
    // Swept again at the same time and a day later: nothing new for the same drop.
    const second = await sweep(now);
    expect(second.campaigns[0]).toMatchObject({ scheduled: 0, skipped: { alreadyMessaged: 4 } });
    await sweep(now + day);
    expect(await outbox()).toEqual(expected);
  });

  it('a late sweep catches up within max_hours, and none after', async () => {
    await ingest('customers', [customer('ada')]);
    await ingest('products', [product('mug', 2000)], now - 10 * day);
    await views([{ customer: 'ada', product: 'mug', at: now - 5 * day }]);
    const dropAt = now - 2 * day;
    await ingest('products', [product('mug', 1800)], dropAt);
    await sweep(dropAt + 72 * hour + 1);
    expect(await outbox()).toEqual([]);
    await sweep(dropAt + 72 * hour);
    expect((await outbox()).map((m) => [m.trigger_ref, m.due_at])).toEqual([
      [`drop${(await dropIds()).mug![0]}`, dropAt + 72 * hour],
    ]);
  });

  it('each drop is an instance; the cooldown spaces them per customer', async () => {
    await ingest('customers', [customer('ada')]);
    await ingest('products', [product('mug', 2000)], now - 10 * day);
    await views([{ customer: 'ada', product: 'mug', at: now - 5 * day }]);
    await ingest('products', [product('mug', 1800)], now - 4 * day);
    await sweep(now - 4 * day);
    // It falls again; the 7-day cooldown holds the second drop back, no cooldown lets it through.
    await ingest('products', [product('mug', 1500)], now - day);
    await sweep(now);
    const [first, second] = (await dropIds()).mug!;
    expect((await outbox()).map((m) => m.trigger_ref)).toEqual([`drop${first}`]);
    await sweep(now, priceDropCampaign({ cooldownDays: 0 }));
    expect((await outbox()).map((m) => m.trigger_ref)).toEqual([`drop${first}`, `drop${second}`]);
  });

  it('a sweep at an earlier time sees only the drops and interest there were then', async () => {
    await ingest('customers', [customer('ada'), customer('bob')]);
    await ingest('products', [product('mug', 2000), product('jug', 2000)], now - 10 * day);
    await views([
      { customer: 'ada', product: 'mug', at: now - 5 * day },
      { customer: 'bob', product: 'jug', at: now - 5 * day },
    ]);
    await ingest('products', [product('mug', 1500)], now - 3 * day);
    await ingest('products', [product('jug', 1500)], now - day);
    // At now - 2 days the jug's drop is still to come.
    await sweep(now - 2 * day);
    expect((await outbox()).map((m) => m.customer_id)).toEqual(['ada']);
  });

  it('no message once the price went back up', async () => {
    await ingest('customers', [customer('ada')]);
    await ingest('products', [product('mug', 2000)], now - 10 * day);
    await views([{ customer: 'ada', product: 'mug', at: now - 5 * day }]);
    await ingest('products', [product('mug', 1500)], now - 3 * day);
    await ingest('products', [product('mug', 1900)], now - 2 * day);
    await sweep(now);
    expect(await outbox()).toEqual([]);
  });

  it('--explain shows the drop, the interest, and the rule that stopped it', async () => {
    await ingest('customers', [customer('ada'), customer('bob'), customer('cy')]);
    await ingest('products', [product('mug', 2000), product('jug', 2000)], now - 10 * day);
    await views([
      { customer: 'ada', product: 'mug', at: Date.parse('2026-12-01T09:30:00Z') },
      { customer: 'bob', product: 'jug', at: now - 5 * day },
    ]);
    await ingest(
      'products',
      [product('mug', 1500), product('jug', 1900)],
      Date.parse('2026-12-07T10:00:00Z'),
    );
    const set = { settings, campaigns: [priceDropCampaign()] };
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
    const ada = await explained('ada');
    expect(ada.outcome).toBe('scheduled');
    expect(ada.summary).toContain('product mug fell 25% (£20.00 to £15.00) at 2026-12-07 10:00 UTC');
    expect(ada.summary).toContain('viewed 2026-12-01 09:30 UTC');
    expect(await explained('bob')).toMatchObject({
      outcome: 'not_triggered',
      summary: expect.stringContaining(
        'product jug fell 5% (£20.00 to £19.00) at 2026-12-07 10:00 UTC: less than min_percent 10',
      ),
    });
    expect(await explained('cy')).toMatchObject({
      outcome: 'not_triggered',
      summary: expect.stringContaining(
        'no price drop in the last 72 h of a product the customer viewed, carted or waited for in the 30 days before it',
      ),
    });
  });

  it('the SQL and the pure rule agree on a random shop, page after page', async () => {
    let seed = 20261208;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
    const trigger = { minPercent: 10, days: 30, maxHours: 72 };

    // The catalog and its price changes, in time order; some fall exactly 10%, some just short.
    const catalog = ['a', 'b', 'c', 'd', 'e', 'f'];
    const start = now - 60 * day;
    const state = new Map(
      catalog.map((id) => [
        id,
        { priceMinor: 1000 * (2 + Math.floor(next() * 4)), stock: 3, currency: 'GBP' },
      ]),
    );
    await ingest(
      'products',
      catalog.map((id) => product(id, state.get(id)!.priceMinor)),
      start,
    );
    const changeTimes = [
      now - 72 * hour,
      now - 72 * hour - 1,
      now - 5 * hour,
      now - 30 * hour,
      now - 100 * hour,
      now - hour,
      now,
      now + hour,
    ].sort((x, y) => x - y);
    const expectedDrops: { productId: string; fromMinor: number; toMinor: number; at: number }[] = [];
    for (const at of changeTimes) {
      const changed = catalog.filter(() => next() < 0.45);
      for (const id of changed) {
        const current = state.get(id)!;
        const from = current.priceMinor;
        const to = pick([
          Math.floor((from * 9) / 10),
          Math.floor((from * 9) / 10),
          Math.floor((from * 9) / 10) + 1,
          from - 1,
          Math.floor((from * 3) / 4),
          from + 300,
        ]);
        const stock = next() < 0.9 ? 3 : 0;
        // Now and then a product switches currency: its price is then not comparable.
        const currency = next() < 0.05 ? 'EUR' : current.currency;
        if (to < from && currency === current.currency)
          expectedDrops.push({ productId: id, fromMinor: from, toMinor: to, at });
        state.set(id, { priceMinor: to, stock, currency });
      }
      await ingest(
        'products',
        changed.map((id) =>
          product(id, state.get(id)!.priceMinor, state.get(id)!.stock, state.get(id)!.currency),
        ),
        at,
      );
    }
    const drops = await temp.store.db.all<
      { id: number } & Pick<PriceDropRow, 'product_id' | 'currency' | 'from_minor' | 'to_minor'> & {
          at: number;
        }
    >(sql`SELECT id, product_id, currency, from_minor, to_minor, at FROM price_drops ORDER BY id`);
    expect(
      drops.map((d) => ({ productId: d.product_id, fromMinor: d.from_minor, toMinor: d.to_minor, at: d.at })),
    ).toEqual(expectedDrops);

    // Customers (two share an address), and interest on instants around the drops.
    const ids = Array.from({ length: 200 }, (_, i) => `c${String(i).padStart(3, '0')}`);
    const emailOf = new Map(ids.map((id) => [id, `${id}@example.com`]));
    emailOf.set('c001', 'c000@example.com');
    const consent = new Map(ids.map((id) => [id, next() < 0.9]));
    await ingest(
      'customers',
      ids.map((id) => ({ id, email: emailOf.get(id), marketing_consent: consent.get(id) })),
    );
    const ownerOf = (email: string) => ids.filter((id) => emailOf.get(id) === email).sort()[0];
    const dropTimes = [...new Set(drops.map((d) => d.at))];
    const time = () => {
      if (next() < 0.6) {
        const at = pick(dropTimes);
        return at + pick([-30 * day, -30 * day - 1, 0, 1, -day, -2 * day, -3 * day]);
      }
      return now - Math.floor(next() * 45 * day);
    };
    const interests = new Map<string, Interest[]>();
    const interest = (
      customerId: string | undefined,
      productId: string,
      kind: Interest['kind'],
      at: number,
    ) => {
      if (customerId === undefined) return;
      const key = `${customerId}\u0000${productId}`;
      interests.set(key, [...(interests.get(key) ?? []), { kind, at }]);
    };
    const events: { customer: string; product: string; at: number }[] = [];
    const carts: unknown[] = [];
    const signUps: unknown[] = [];
    const orders: unknown[] = [];
    const bought = new Map<string, number>();
    for (const id of ids) {
      // A few products each customer keeps coming back to, so interests and purchases interleave.
      const favourites = [pick(catalog), pick(catalog)];
      for (let n = Math.floor(next() * 5); n > 0; n--) {
        const viewed = pick(favourites);
        const at = Math.min(time(), now);
        events.push({ customer: id, product: viewed, at });
        interest(id, viewed, 'viewed', at);
      }
      if (next() < 0.5) {
        const at = time();
        const held = pick(favourites);
        const status = pick(['open', 'open', 'deleted', 'converted'] as const);
        // A guest cart, known by its address only.
        const guest = next() < 0.3;
        const owner = guest ? { email: emailOf.get(id)! } : { customer_id: id };
        carts.push({ ...cart(`k-${id}`, owner, at, held), status });
        if (status !== 'converted') interest(guest ? ownerOf(emailOf.get(id)!) : id, held, 'carted', at);
      }
      for (let n = next() < 0.4 ? 1 + Math.floor(next() * 2) : 0; n > 0; n--) {
        const at = time();
        const wanted = pick(favourites);
        const guest = next() < 0.4;
        const entry = signUp(
          wanted,
          guest ? { email: emailOf.get(id)! } : { customer_id: id, email: emailOf.get(id)! },
          at,
        );
        signUps.push({ ...entry, id: `w-${id}-${n}` });
        interest(guest ? ownerOf(emailOf.get(id)!) : id, wanted, 'waitlisted', at);
      }
      for (let n = next() < 0.4 ? 1 + Math.floor(next() * 2) : 0; n > 0; n--) {
        // Some after the sweep's now: not a purchase yet for it.
        const at = next() < 0.2 ? now + hour : time();
        const item = pick(favourites);
        const status = next() < 0.8 ? 'paid' : 'cancelled';
        orders.push(order(`o-${id}-${n}`, id, at, item, status));
        const key = `${id}\u0000${item}`;
        if (status === 'paid' && at <= now) bought.set(key, Math.max(at, bought.get(key) ?? at));
      }
    }
    // A sign-up from an address no customer has: left out.
    signUps.push(signUp('a', { email: 'nobody@example.com' }, now - day));
    await views(events);
    await ingest('carts', carts);
    await ingest('waitlist', signUps);
    await ingest('orders', orders);

    // Every (drop, customer) the rule matches, from the raw data.
    const matches = drops.flatMap((d) => {
      const final = state.get(d.product_id)!;
      return ids.flatMap((id) => {
        const outcome = matchPriceDrop(
          trigger,
          {
            drop: {
              id: d.id,
              productId: d.product_id,
              currency: d.currency,
              fromMinor: d.from_minor,
              toMinor: d.to_minor,
              at: d.at,
            },
            interests: interests.get(`${id}\u0000${d.product_id}`) ?? [],
            lastBoughtAt: bought.get(`${id}\u0000${d.product_id}`) ?? null,
            product: { inStock: final.stock > 0, currency: final.currency, priceMinor: final.priceMinor },
          },
          now,
        );
        return outcome.match ? [{ customerId: id, instance: outcome.instance }] : [];
      });
    });

    // The source's hits, every one of them, in small pages.
    const campaign = priceDropCampaign({ cooldownDays: 0 });
    const hits: { customerId: string | null; instance: string }[] = [];
    for await (const page of priceDropSource({
      store: temp.store,
      campaign,
      settings,
      now,
      pageSize: 3,
      dryRun: true,
    }))
      hits.push(...page.hits.map((h) => ({ customerId: h.customerId, instance: h.instance })));
    const order_ = (list: { customerId: string | null; instance: string }[]) =>
      [...list].sort((x, y) =>
        `${x.customerId} ${x.instance}`.localeCompare(`${y.customerId} ${y.instance}`),
      );
    expect(order_(hits)).toEqual(order_(matches));

    // The messages: one per customer with consent, the first of their drops (by id) in this sweep.
    const firstDrop = new Map<string, string>();
    for (const match of matches)
      if (!firstDrop.has(match.customerId)) firstDrop.set(match.customerId, match.instance);
    const expected = [...firstDrop]
      .filter(([id]) => consent.get(id))
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([id, instance]) => ({
        customer_id: id,
        trigger_ref: instance,
        due_at: now,
        status: 'scheduled',
      }));
    await sweep(now, campaign, 3);
    expect(await outbox()).toEqual(expected);
    // Enough of each kind that the comparison says something.
    expect(new Set(matches.map((m) => m.instance)).size).toBeGreaterThan(3);
    expect(matches.length).toBeGreaterThan(
      matches.filter((m) => firstDrop.get(m.customerId) === m.instance).length,
    );
    expect(expected.length).toBeGreaterThan(10);
    expect(expected.length).toBeLessThan(ids.length / 2);
  });
});
