// The customer base read from SQL (db/repositories/purchase-summaries.ts
// grouping paid orders per customer and UTC day, paged by customer id, then
// services/prediction/read-customer-base.ts) against the core's own rule,
// summarizePurchases over the raw orders, on random shops: orders on both
// sides of midnight and of the calibration end, before 1970, in two
// currencies and every status, with pages smaller than the shop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CustomerSummary, summarizePurchases } from '../../../src/core/prediction/summaries.ts';
import { dayMs, hourMs } from '../../../src/core/time.ts';
import { orders } from '../../../src/db/schema/index.ts';
import { Rng } from '../../../src/demo/random.ts';
import { readCustomerBase } from '../../../src/services/prediction/read-customer-base.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  await temp.cleanup();
});

interface Order {
  id: string;
  customerId: string;
  placedAt: number;
  status: 'paid' | 'cancelled' | 'refunded' | 'test';
  currency: string;
  totalMinor: number;
}

/** Days from −span to 2 × span: a short span puts several of a customer's orders around one midnight. */
function randomShop(rng: Rng, span: number): Order[] {
  const shop: Order[] = [];
  const customers = rng.int(5, 40);
  for (let c = 0; c < customers; c++) {
    const count = rng.int(1, 8);
    for (let o = 0; o < count; o++) {
      // Around the epoch, so some days are negative; whole days ± a little, to hit midnight exactly.
      const day = rng.int(-span, 2 * span);
      const within = rng.pick([0, 1, dayMs - 1, rng.int(0, dayMs - 1), 12 * hourMs]);
      shop.push({
        id: `o${c}-${o}`,
        customerId: `c${rng.int(0, customers)}`,
        placedAt: day * dayMs + within,
        status: rng.pick(['paid', 'paid', 'paid', 'cancelled', 'refunded', 'test'] as const),
        currency: rng.pick(['USD', 'USD', 'EUR']),
        totalMinor: rng.int(0, 10_000),
      });
    }
  }
  return shop;
}

function key(s: Pick<CustomerSummary, 'x' | 'tx' | 'T'>): string {
  return `${s.x} ${s.tx} ${s.T}`;
}

describe('the customer base from SQL', () => {
  it('is what summarizePurchases makes of the raw orders, holdout purchases included', async () => {
    for (let seed = 1; seed <= 30; seed++) {
      await temp.store.db.delete(orders);
      const rng = new Rng(seed);
      const span = rng.pick([2, 5, 30]);
      const shop = randomShop(rng, span);
      await temp.store.db.insert(orders).values(shop.map((o) => ({ ...o, updatedAt: 0 })));
      const end = rng.int(-span, span) * dayMs + rng.pick([0, dayMs - 1, rng.int(0, dayMs - 1)]);
      const until = end + rng.int(0, span) * dayMs + rng.int(0, dayMs - 1);
      const unit = rng.pick(['days', 'weeks'] as const);

      const base = await readCustomerBase(temp.store, {
        currency: 'USD',
        end,
        until,
        unit,
        customerId: 'c1',
        pageSize: rng.int(1, 7),
      });

      const paid = shop
        .filter((o) => o.status === 'paid' && o.currency === 'USD')
        .map((o) => ({ customerId: o.customerId, at: o.placedAt, amount: o.totalMinor }));
      const calibration = summarizePurchases(paid, { end, unit });
      const later = new Map(summarizePurchases(paid, { end: until, unit }).map((s) => [s.customerId, s.x]));
      const expected = new Map<string, { customers: number; actual: number }>();
      const spend = new Map<string, number>();
      for (const s of calibration) {
        const group = expected.get(key(s)) ?? { customers: 0, actual: 0 };
        group.customers += 1;
        group.actual += later.get(s.customerId)! - s.x;
        expected.set(key(s), group);
        if (s.x > 0)
          spend.set(`${s.x} ${s.repeatMeanAmount}`, (spend.get(`${s.x} ${s.repeatMeanAmount}`) ?? 0) + 1);
      }
      const context = { seed, span, end, until, unit };
      expect({ ...context, customers: base.customers }).toEqual({
        ...context,
        customers: calibration.length,
      });
      expect(base.repeatCustomers).toBe(calibration.filter((s) => s.x > 0).length);
      const got = new Map(
        [...base.groups].map(([k, g]) => [k, { customers: g.customers, actual: g.actual }]),
      );
      expect({ ...context, groups: got }).toEqual({ ...context, groups: expected });
      expect(new Map([...base.spend].map(([k, g]) => [k, g.customers]))).toEqual(spend);
      const one = calibration.find((s) => s.customerId === 'c1');
      expect(base.customer?.summary ?? null).toEqual(one ?? null);
      if (one) expect(base.customer!.holdoutPurchases).toBe(later.get('c1')! - one.x);
    }
  });
});
