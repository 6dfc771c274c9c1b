// The replenishment sweep on a real libSQL file: orders ingested as a shop
// sends them, then the trigger's SQL and the pure rule
// (src/core/triggers/replenishment.ts) agree on a random shop, learned
// medians included; one message per latest purchase however often it is
// swept, a re-buy starts over, several products due go one per sweep, and
// --explain shows the interval and where it came from.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import {
  earliestDue,
  latestPurchases,
  learnIntervals,
  matchReplenishment,
  type Purchase,
  type ReplenishmentMatch,
} from '../../../src/core/triggers/replenishment.ts';
import { replenishRef } from '../../../src/core/triggers/trigger-ref.ts';
import { replenishProducts } from '../../../src/db/sweeps/replenishment-hits.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { explainSweep } from '../../../src/services/sweep/explain-sweep.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { replenishmentCampaign, shopSettings } from '../support/campaign-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const day = 86_400_000;
const now = Date.parse('2026-12-07T12:00:00Z');
const settings = shopSettings({ frequencyCap: { maxMessages: 100, perDays: 1 } });
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

async function ingest(kind: 'customers' | 'products' | 'orders', records: unknown[]) {
  const schema = ingestSchemas[kind];
  await ingestRecords(
    { store: temp.store },
    { kind, records: records.map((r) => schema.parse(r)) as never, now },
  );
}

const customer = (id: string) => ({ id, email: `${id}@example.com`, marketing_consent: true });
const product = (
  id: string,
  replenishDays: number | null,
  options: { stock?: number; category?: string } = {},
) => ({
  id,
  title: `Product ${id}`,
  url: `https://shop.example/p/${id}`,
  category: options.category ?? 'Coffee',
  currency: 'GBP',
  price: '9.00',
  stock: options.stock ?? 5,
  replenish_days: replenishDays,
});
const iso = (at: number) => new Date(at).toISOString();
let orderNo = 0;
const order = (customerId: string, at: number, products: string[], status = 'paid') => ({
  id: `o${++orderNo}`,
  customer_id: customerId,
  placed_at: iso(at),
  status,
  currency: 'GBP',
  total: '9.00',
  items: products.map((id) => ({ product_id: id, quantity: 1, unit_price: '9.00' })),
});

function sweep(at: number, campaign: Campaign = replenishmentCampaign(), pageSize = 3) {
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

describe('replenishment sweep', () => {
  it('mails the latest purchase from exactly N - days_before days until the last day of max_days_late', async () => {
    const names = ['due', 'early', 'last', 'late', 'rebought', 'cancelled', 'soldout', 'mug', 'future'];
    await ingest('customers', names.map(customer));
    await ingest('products', [
      product('beans', 30),
      product('gone', 30, { stock: 0 }),
      product('mugs', null, { category: 'Kitchen' }),
    ]);
    await ingest('orders', [
      // Due at exactly 27 days (30 - days_before 3), and one millisecond short of it.
      order('due', now - 27 * day, ['beans']),
      order('early', now - 27 * day + 1, ['beans']),
      // The last instant of max_days_late (30 + 14 days), and one millisecond past it.
      order('last', now - 44 * day, ['beans']),
      order('late', now - 44 * day - 1, ['beans']),
      // Bought again since: the latest purchase is 5 days old, not yet due.
      order('rebought', now - 28 * day, ['beans']),
      order('rebought', now - 5 * day, ['beans']),
      order('cancelled', now - 28 * day, ['beans'], 'cancelled'),
      order('soldout', now - 28 * day, ['gone']),
      // One purchase of a product without replenish_days: nothing to learn from.
      order('mug', now - 28 * day, ['mugs']),
      // A purchase after the sweep's now is unknown to it, so the older one is the latest.
      order('future', now - 28 * day, ['beans']),
      order('future', now + day, ['beans']),
    ]);

    const first = await sweep(now);
    expect(await outbox()).toEqual([
      {
        customer_id: 'due',
        trigger_ref: replenishRef('beans', now - 27 * day),
        due_at: now,
        status: 'scheduled',
      },
      {
        customer_id: 'future',
        trigger_ref: replenishRef('beans', now - 28 * day),
        due_at: now,
        status: 'scheduled',
      },
      // Due 17 days ago: a message is never due before the sweep that writes it.
      {
        customer_id: 'last',
        trigger_ref: replenishRef('beans', now - 44 * day),
        due_at: now,
        status: 'scheduled',
      },
    ]);
    expect(first.campaigns[0]).toMatchObject({ eligible: 3, scheduled: 3 });
    // Swept again: nothing new. A day later, only the purchase that has become
    // due since; 'last' is past its window then, and 'future' bought again.
    const again = await sweep(now);
    expect(again.campaigns[0]).toMatchObject({ scheduled: 0, skipped: { alreadyMessaged: 3 } });
    const later = await sweep(now + day);
    expect(later.campaigns[0]).toMatchObject({ scheduled: 1, skipped: { alreadyMessaged: 1 } });
    expect((await outbox()).map((m) => [m.customer_id, m.trigger_ref])).toEqual([
      ['due', replenishRef('beans', now - 27 * day)],
      ['early', replenishRef('beans', now - 27 * day + 1)],
      ['future', replenishRef('beans', now - 28 * day)],
      ['last', replenishRef('beans', now - 44 * day)],
    ]);
  });

  it('a re-buy makes a new purchase to remind of, due its own interval later', async () => {
    await ingest('customers', [customer('ada')]);
    await ingest('products', [product('beans', 30)]);
    await ingest('orders', [order('ada', now - 27 * day, ['beans'])]);
    await sweep(now);
    await ingest('orders', [order('ada', now + day, ['beans'])]);
    const campaign = replenishmentCampaign({ cooldownDays: 0 });
    await sweep(now + 2 * day, campaign);
    await sweep(now + 28 * day - 1, campaign);
    expect((await outbox()).map((m) => m.trigger_ref)).toEqual([replenishRef('beans', now - 27 * day)]);
    await sweep(now + 28 * day, campaign);
    expect((await outbox()).map((m) => m.trigger_ref)).toEqual([
      replenishRef('beans', now - 27 * day),
      replenishRef('beans', now + day),
    ]);
  });

  it('of several products due, one a sweep: the earliest due first, the cooldown spacing the rest', async () => {
    await ingest('customers', [customer('ada')]);
    await ingest('products', [product('beans', 30), product('tea', 20, { category: 'Tea' })]);
    await ingest('orders', [
      // Due a day ago, the tea two days ago.
      order('ada', now - 28 * day, ['beans']),
      order('ada', now - 19 * day, ['tea']),
    ]);
    await sweep(now);
    expect((await outbox()).map((m) => m.trigger_ref)).toEqual([replenishRef('tea', now - 19 * day)]);
    // The campaign's 7-day cooldown holds the beans back; without one they follow.
    const held = await sweep(now + day);
    expect(held.campaigns[0]).toMatchObject({ scheduled: 0, excluded: { cooldown: 1 } });
    await sweep(now + day, replenishmentCampaign({ cooldownDays: 0 }));
    expect((await outbox()).map((m) => m.trigger_ref)).toEqual([
      replenishRef('tea', now - 19 * day),
      replenishRef('beans', now - 28 * day),
    ]);
  });

  it('learns an interval from enough re-buys, only in the categories given, not with learning off', async () => {
    const buyers = ['a', 'b', 'c', 'd', 'e'];
    await ingest('customers', [...buyers, 'ada', 'bob'].map(customer));
    await ingest('products', [
      product('beans', null),
      product('tea', null, { category: 'Tea' }),
      product('rare', null),
    ]);
    // Five customers each re-bought beans and tea 20 days apart (5 intervals each), rare only 4 times.
    await ingest(
      'orders',
      buyers.flatMap((id, i) => [
        order(id, now - 200 * day, ['beans', 'tea', ...(i < 4 ? ['rare'] : [])]),
        order(id, now - 180 * day, ['beans', 'tea', ...(i < 4 ? ['rare'] : [])]),
      ]),
    );
    await ingest('orders', [
      order('ada', now - 17 * day, ['beans', 'rare']),
      order('bob', now - 17 * day, ['tea']),
    ]);

    await sweep(now, replenishmentCampaign({ trigger: { ...refill(), categories: ['Coffee'] } }));
    expect((await outbox()).map((m) => [m.customer_id, m.trigger_ref])).toEqual([
      ['ada', replenishRef('beans', now - 17 * day)],
    ]);
    await temp.store.db.run(sql`DELETE FROM messages`);
    await sweep(now, replenishmentCampaign({ trigger: { ...refill(), learn: null } }));
    expect(await outbox()).toEqual([]);
    await sweep(now);
    expect((await outbox()).map((m) => [m.customer_id, m.trigger_ref])).toEqual([
      ['ada', replenishRef('beans', now - 17 * day)],
      ['bob', replenishRef('tea', now - 17 * day)],
    ]);
  });

  it('--explain shows the interval and where it came from, the purchase and the due date', async () => {
    await ingest('customers', ['a', 'b', 'c', 'd', 'e', 'ada', 'bob', 'cat'].map(customer));
    await ingest('products', [product('beans', 30), product('tea', null, { category: 'Tea' })]);
    await ingest(
      'orders',
      ['a', 'b', 'c', 'd', 'e'].flatMap((id, i) => [
        order(id, now - 100 * day, ['tea']),
        order(id, now - (72 + 2 * i) * day, ['tea']),
      ]),
    );
    await ingest('orders', [
      order('ada', now - 28 * day, ['beans']),
      order('bob', now - 26 * day, ['tea']),
      order('cat', now - 10 * day, ['beans']),
    ]);
    const set = { settings, campaigns: [replenishmentCampaign()] };
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
    expect(ada.summary).toContain('product beans bought 2026-11-09 12:00 UTC, 28 days ago');
    expect(ada.summary).toContain('interval 30 days (replenish_days 30 from the product)');
    expect(ada.summary).toContain(
      'due 2026-12-06 (days_before 3), mailed until 2026-12-23 (max_days_late 14)',
    );
    // Gaps 28, 26, 24, 22, 20 days: the median is 24.
    const bob = await explained('bob');
    expect(bob.outcome).toBe('scheduled');
    expect(bob.summary).toContain('interval 24 days (learned: median 24 days from 5 re-buy intervals)');
    expect(await explained('cat')).toMatchObject({
      outcome: 'not_triggered',
      summary:
        'the trigger does not fire for this customer now: product beans bought 2026-11-27, every 30 days (replenish_days 30 from the product): due 2026-12-24',
    });
  });

  it('the SQL and the pure rule agree on a random shop, learned medians included, page after page', async () => {
    let seed = 20261208;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
    const catalog = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const categories = ['Coffee', 'Tea', 'Kitchen'];
    const facts = new Map(
      catalog.map((id) => [
        id,
        {
          replenishDays: next() < 0.4 ? pick([7, 14, 30]) : null,
          category: pick(categories),
          inStock: next() < 0.85,
        },
      ]),
    );
    await ingest(
      'products',
      catalog.map((id) => {
        const f = facts.get(id)!;
        return product(id, f.replenishDays, { stock: f.inStock ? 3 : 0, category: f.category });
      }),
    );
    const ids = Array.from({ length: 260 }, (_, i) => `c${String(i).padStart(3, '0')}`);
    await ingest('customers', ids.map(customer));
    // Times on whole days before now too, so exact boundaries and same-day re-buys occur.
    const time = () =>
      next() < 0.5
        ? now - Math.floor(next() * 90) * day
        : now - Math.floor(next() * 90 * day) + (next() < 0.1 ? 2 * day : 0);
    const purchases: Purchase[] = [];
    const orders: ReturnType<typeof order>[] = [];
    for (const id of ids) {
      for (let n = Math.floor(next() * 7); n > 0; n--) {
        const at = time();
        const bought = [
          ...new Set(
            Array.from({ length: 1 + Math.floor(next() * 2) }, () =>
              next() < 0.05 ? 'ghost' : pick(catalog),
            ),
          ),
        ];
        const status = next() < 0.85 ? 'paid' : 'refunded';
        const placed = order(id, at, bought, status);
        // A returned line is no purchase.
        const returned = next() < 0.05;
        if (returned) placed.items[0]!.quantity = -1;
        orders.push(placed);
        if (status === 'paid' && at <= now) {
          for (const [line, productId] of bought.entries())
            if (!(returned && line === 0)) purchases.push({ customerId: id, productId, at });
        }
      }
    }
    await ingest('orders', orders);

    const trigger = { ...refill(), learn: { minIntervals: 3 } };
    const campaign = replenishmentCampaign({ cooldownDays: 0, trigger });
    // The learned medians: SQL against learnIntervals over the same purchases.
    const learnable = purchases.filter((p) => facts.get(p.productId)?.replenishDays === null);
    const learned = learnIntervals(learnable);
    const rows = await replenishProducts(temp.store, { now, categories: null, learn: true });
    expect(
      rows.filter((row) => row.median_days !== null).map((row) => [row.id, row.median_days, row.intervals]),
    ).toEqual(
      [...learned].sort(([x], [y]) => (x < y ? -1 : 1)).map(([id, l]) => [id, l.medianDays, l.intervals]),
    );
    expect(learned.size).toBeGreaterThan(2);
    expect([...learned.values()].some((l) => l.intervals % 2 === 0)).toBe(true);

    const expected = ids.flatMap((id) => {
      const latest = latestPurchases(purchases.filter((p) => p.customerId === id));
      const matches = [...latest].flatMap(([productId, boughtAt]) => {
        const f = facts.get(productId);
        const outcome = matchReplenishment(
          trigger,
          {
            productId,
            boughtAt,
            category: f?.category ?? null,
            productInStock: f ? f.inStock : null,
            replenishDays: f?.replenishDays ?? null,
            learned: learned.get(productId) ?? null,
          },
          now,
        );
        return outcome.match ? [outcome] : [];
      });
      const first: ReplenishmentMatch | null = earliestDue(matches);
      return first
        ? [
            {
              customer_id: id,
              trigger_ref: first.instance,
              due_at: Math.max(first.dueAt, now),
              status: 'scheduled',
            },
          ]
        : [];
    });
    await sweep(now, campaign, 7);
    expect(await outbox()).toEqual(expected);
    // Enough of each kind that the comparison says something.
    expect(expected.length).toBeGreaterThan(15);
    expect(expected.length).toBeLessThan(ids.length / 2);
    expect(expected.some((m) => facts.get(m.trigger_ref.slice(6, 7))?.replenishDays === null)).toBe(true);
  });
});

function refill() {
  const trigger = replenishmentCampaign().trigger;
  if (trigger.type !== 'replenishment') throw new Error('unreachable');
  return trigger;
}
