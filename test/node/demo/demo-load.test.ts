import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/db/store.ts';
import { loadDemoShop } from '../../../src/demo/load.ts';
import { generateShop } from '../../../src/demo/shop.ts';
import { summarizeShop } from '../../../src/demo/summary.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';

const now = Date.parse('2026-11-20T12:00:00Z');
const options = { now, seed: 'node', customers: 400, chunkSize: 150 };

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

function expectedCounts() {
  const counts = {
    products: 0,
    customers: 0,
    orders: 0,
    order_items: 0,
    carts: 0,
    cart_items: 0,
    waitlist_entries: 0,
  };
  for (const batch of generateShop(options)) {
    if (batch.kind === 'waitlist') counts.waitlist_entries += batch.records.length;
    else counts[batch.kind] += batch.records.length;
    if (batch.kind === 'orders') for (const o of batch.records) counts.order_items += o.items.length;
    if (batch.kind === 'carts') for (const c of batch.records) counts.cart_items += c.items.length;
  }
  return counts;
}

async function checksum(store: Store) {
  return store.db.get(sql`
    select
      (select count(*) || ':' || sum(total_minor) || ':' || sum(placed_at % 1000003) || ':' || sum(length(id) * length(status)) from orders) as orders,
      (select count(*) || ':' || sum(quantity * unit_price_minor) || ':' || sum(line_no) from order_items) as items,
      (select count(*) || ':' || sum(length(email)) || ':' || sum(created_at % 1000003) || ':' || sum(marketing_consent) from customers) as customers,
      (select count(*) || ':' || sum(value_minor) || ':' || sum(last_activity_at % 1000003) from carts) as carts,
      (select count(*) || ':' || sum(price_minor) || ':' || sum(in_stock) from products) as products,
      (select count(*) || ':' || sum(length(email)) from waitlist_entries) as waitlist,
      (select max(updated_at) from orders) as updated`);
}

describe('loadDemoShop', () => {
  it('stores every generated record and reports progress per chunk', async () => {
    const seen: number[] = [];
    const result = await loadDemoShop(temp.store, options, (p) => seen.push(p.customersDone));
    const expected = expectedCounts();
    const summary = await summarizeShop(temp.store, now);
    expect(summary.tables).toEqual({ ...expected, restocks: 0 });
    expect(result.records.orders).toBe(expected.orders);
    expect(seen).toEqual([150, 300, 400, 400]);
    expect(summary.customers.dormant).toBeGreaterThan(0);
    expect(summary.customers.overdue).toBeGreaterThan(0);
    expect(summary.customers.loyal).toBeGreaterThan(0);
    expect(summary.openCarts.total).toBeGreaterThan(0);
    expect(summary.outOfStock.withWaitlist).toBe(summary.outOfStock.products);
    expect(summary.outOfStock.waitlistEntries).toBe(expected.waitlist_entries);
    expect(summary.orders.cancelled + summary.orders.refunded).toBeGreaterThan(0);
    expect(Date.parse(summary.orders.last!)).toBeLessThan(now);
    expect(Date.parse(summary.orders.first!)).toBeGreaterThan(now - 730 * 86_400_000);
  });

  it('changes nothing when loaded a second time', async () => {
    await loadDemoShop(temp.store, options);
    const before = await snapshot(temp.store);
    const sumBefore = await checksum(temp.store);
    await loadDemoShop(temp.store, options);
    expect(await checksum(temp.store)).toEqual(sumBefore);
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('updates rows in place when loaded again at a later now', async () => {
    await loadDemoShop(temp.store, options);
    const first = await summarizeShop(temp.store, now);
    const later = now + 86_400_000;
    await loadDemoShop(temp.store, { ...options, now: later });
    const second = await summarizeShop(temp.store, later);
    expect(second.tables).toEqual(first.tables);
    expect(Date.parse(second.orders.last!) - Date.parse(first.orders.last!)).toBe(86_400_000);
  });
});
