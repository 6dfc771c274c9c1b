import { afterEach, describe, expect, it, vi } from 'vitest';
import { cartInput, customerInput, productInput } from '../../../src/core/ingest/records.ts';
import { fromMinorUnits } from '../../../src/core/money.ts';
import { customerProfile, segments } from '../../../src/demo/customers.ts';
import { priceIn } from '../../../src/demo/products.ts';
import { hashSeed } from '../../../src/demo/random.ts';
import { type DemoShopOptions, generateShop, type ShopBatch } from '../../../src/demo/shop.ts';

const now = Date.parse('2026-11-20T12:00:00Z');
const day = 86_400_000;
const hour = 3_600_000;

function collect(options: DemoShopOptions) {
  const all = { products: [], customers: [], orders: [], carts: [], waitlist: [] } as {
    [K in ShopBatch['kind']]: Extract<ShopBatch, { kind: K }>['records'];
  };
  for (const batch of generateShop(options)) (all[batch.kind] as unknown[]).push(...batch.records);
  return all;
}

function firstRecords(options: DemoShopOptions, count: number): ShopBatch[] {
  const batches: ShopBatch[] = [];
  let taken = 0;
  for (const batch of generateShop(options)) {
    batches.push(batch);
    taken += batch.records.length;
    if (taken >= count) break;
  }
  return batches;
}

const shop = collect({ now, seed: 'unit', customers: 2000, chunkSize: 300 });

afterEach(() => vi.restoreAllMocks());

describe('generateShop', () => {
  it('gives identical records for the same seed and now', () => {
    expect(firstRecords({ now, seed: 7, customers: 600 }, 2000)).toEqual(
      firstRecords({ now, seed: 7, customers: 600 }, 2000),
    );
  });

  it('gives different records for a different seed', () => {
    const a = collect({ now, seed: 'a', customers: 50 });
    const b = collect({ now, seed: 'b', customers: 50 });
    expect(a.customers.map((c) => c.email)).not.toEqual(b.customers.map((c) => c.email));
    expect(a.orders).not.toEqual(b.orders);
    expect(a.products.map((p) => p.title)).not.toEqual(b.products.map((p) => p.title));
  });

  it('never reads Math.random or the clock', () => {
    vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random called');
    });
    vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now called');
    });
    expect(collect({ now, seed: 'pure', customers: 100 }).customers).toHaveLength(100);
  });

  it('keeps a customer the same however many customers or chunks there are', () => {
    const small = collect({ now, seed: 'unit', customers: 20, chunkSize: 7 });
    expect(small.customers).toEqual(shop.customers.slice(0, 20));
    expect(small.orders).toEqual(
      shop.orders.filter((o) => small.customers.some((c) => c.id === o.customerId)),
    );
  });

  it('hands customers out in chunks with their orders and carts', () => {
    const kinds = [...generateShop({ now, customers: 25, chunkSize: 10 })].map((b) => b.kind);
    expect(kinds).toEqual([
      'products',
      ...['customers', 'orders', 'carts'],
      ...['customers', 'orders', 'carts'],
      ...['customers', 'orders', 'carts'],
      'waitlist',
    ]);
  });
});

describe('the demo shop', () => {
  it('has ~300 products in 12 categories, ~8% out of stock, with waitlists', () => {
    expect(shop.products).toHaveLength(300);
    expect(new Set(shop.products.map((p) => p.category)).size).toBe(12);
    expect(new Set(shop.products.map((p) => p.title)).size).toBe(300);
    const soldOut = shop.products.filter((p) => !p.inStock);
    expect(soldOut).toHaveLength(24);
    for (const product of soldOut) {
      expect(product.stockQuantity).toBe(0);
      const entries = shop.waitlist.filter((w) => w.productId === product.id);
      expect(entries.length).toBeGreaterThanOrEqual(1);
      expect(new Set(entries.map((w) => w.email)).size).toBe(entries.length);
    }
    expect(shop.waitlist.every((w) => soldOut.some((p) => p.id === w.productId))).toBe(true);
    expect(shop.waitlist.some((w) => w.customerId !== null)).toBe(true);
    for (const product of shop.products) {
      expect(product.imageUrl).toMatch(/^https:\/\/shop\.example\/images\/[a-z-]+\/[a-z0-9-]+\.jpg$/);
      expect(productInput.safeParse(productInput_(product)).success).toBe(true);
    }
  });

  it('has customers the API would accept, mostly from GB/IE/US/DE/FR, ~75% consenting', () => {
    expect(new Set(shop.customers.map((c) => c.email)).size).toBe(2000);
    const rejected = shop.customers.filter(
      (customer) =>
        !customerInput.safeParse({
          id: customer.id,
          email: customer.email,
          first_name: customer.firstName,
          last_name: customer.lastName,
          locale: customer.locale,
          timezone: customer.timezone,
          country: customer.country,
          tags: customer.tags,
          marketing_consent: customer.marketingConsent,
          created_at: new Date(customer.createdAt!).toISOString(),
        }).success,
    );
    expect(rejected).toEqual([]);
    const created = shop.customers.map((c) => c.createdAt!);
    const times = [
      ...created,
      ...shop.orders.map((o) => o.placedAt),
      ...shop.carts.flatMap((c) => [c.lastActivityAt, c.createdAt]),
      ...shop.waitlist.map((w) => w.createdAt!),
    ];
    expect(times.filter((t) => !Number.isInteger(t))).toEqual([]);
    expect(Math.min(...created)).toBeGreaterThanOrEqual(now - 730 * day);
    expect(Math.max(...created)).toBeLessThan(now);
    const core = shop.customers.filter((c) => ['GB', 'IE', 'US', 'DE', 'FR'].includes(c.country!));
    expect(core.length / 2000).toBeGreaterThan(0.8);
    const consenting = shop.customers.filter((c) => c.marketingConsent).length / 2000;
    expect(consenting).toBeGreaterThan(0.7);
    expect(consenting).toBeLessThan(0.8);
    expect(shop.customers.some((c) => c.tags.includes('vip'))).toBe(true);
    expect(shop.customers.some((c) => c.tags.includes('wholesale'))).toBe(true);
    const london = shop.customers.filter((c) => c.country === 'GB');
    expect(london.every((c) => c.timezone === 'Europe/London')).toBe(true);
  });

  it('draws every segment', () => {
    const seed = hashSeed('unit');
    const drawn = new Set(shop.customers.map((_, i) => customerProfile(seed, i).segment));
    expect([...drawn].sort()).toEqual([...segments].sort());
  });

  it('has orders whose purchase patterns show every segment', () => {
    const purchases = new Map<string, number[]>();
    for (const order of shop.orders) {
      if (order.status !== 'paid') continue;
      purchases.set(order.customerId, [...(purchases.get(order.customerId) ?? []), order.placedAt]);
    }
    const counts = { never: 0, oneTime: 0, dormant: 0, overdue: 0, loyal: 0 };
    for (const customer of shop.customers) {
      const times = (purchases.get(customer.id) ?? []).sort((a, b) => a - b);
      if (times.length === 0) {
        counts.never++;
        continue;
      }
      const last = times.at(-1)!;
      const idle = now - last;
      if (times.length === 1) counts.oneTime++;
      if (idle > 90 * day && idle <= 400 * day) counts.dormant++;
      const gap = times.length > 1 ? (last - times[0]!) / (times.length - 1) : Number.POSITIVE_INFINITY;
      if (times.length >= 3 && idle > 2 * gap) counts.overdue++;
      if (times.length >= 3 && idle <= 45 * day && idle < gap) counts.loyal++;
    }
    for (const [segment, n] of Object.entries(counts)) expect(n, segment).toBeGreaterThan(100);
    const perCustomer = shop.orders.length / shop.customers.length;
    expect(perCustomer).toBeGreaterThan(4);
    expect(perCustomer).toBeLessThan(6);
  });

  it('has cancelled, refunded and test orders, totals equal to their lines, prices from the price list', () => {
    const byStatus = (status: string) =>
      shop.orders.filter((o) => o.status === status).length / shop.orders.length;
    expect(byStatus('cancelled')).toBeGreaterThan(0.02);
    expect(byStatus('cancelled')).toBeLessThan(0.04);
    expect(byStatus('refunded')).toBeGreaterThan(0.01);
    expect(byStatus('refunded')).toBeLessThan(0.03);
    expect(shop.orders.some((o) => o.status === 'test')).toBe(true);
    const products = new Map(shop.products.map((p) => [p.id, p]));
    const customers = new Map(shop.customers.map((c) => [c.id, c]));
    const wrong = shop.orders.filter(
      (order) =>
        order.items.length < 1 ||
        order.items.length > 4 ||
        order.totalMinor !== order.items.reduce((sum, i) => sum + i.quantity * i.unitPriceMinor, 0) ||
        order.items.some(
          (i) => i.quantity < 1 || i.unitPriceMinor !== priceIn(products.get(i.productId!)!, order.currency),
        ) ||
        order.placedAt >= now ||
        order.placedAt < customers.get(order.customerId)!.createdAt!,
    );
    expect(wrong).toEqual([]);
    const currencies = new Set(shop.orders.map((o) => o.currency));
    expect([...currencies].sort()).toEqual(['EUR', 'GBP', 'USD']);
    expect(fromMinorUnits(priceIn(shop.products[0]!, 'EUR'), 'EUR')).toMatch(/\.99$/);
  });

  it('has open carts idle from minutes to days, and converted and deleted ones', () => {
    const open = shop.carts.filter((c) => c.status === 'open' && c.email !== null && c.items.length > 0);
    const idle = open.map((c) => now - c.lastActivityAt);
    expect(idle.some((ms) => ms < hour)).toBe(true);
    expect(idle.some((ms) => ms >= hour && ms < 24 * hour)).toBe(true);
    expect(idle.some((ms) => ms >= 24 * hour && ms < 72 * hour)).toBe(true);
    expect(idle.some((ms) => ms >= 72 * hour)).toBe(true);
    expect(shop.carts.some((c) => c.status === 'converted')).toBe(true);
    expect(shop.carts.some((c) => c.status === 'deleted')).toBe(true);
    expect(shop.carts.some((c) => c.customerId === null)).toBe(true);
    expect(new Set(shop.carts.map((c) => c.id)).size).toBe(shop.carts.length);
    const wrong = shop.carts.filter(
      (cart) =>
        cart.recoveryUrl !== `https://shop.example/cart/recover/${cart.id}` ||
        cart.valueMinor !== cart.items.reduce((sum, i) => sum + i.quantity * i.unitPriceMinor, 0) ||
        !cartInput.safeParse({
          id: cart.id,
          customer_id: cart.customerId,
          email: cart.email,
          status: cart.status,
          currency: cart.currency,
          recovery_url: cart.recoveryUrl,
          last_activity_at: new Date(cart.lastActivityAt).toISOString(),
          items: cart.items.map((i) => ({
            product_id: i.productId,
            title: i.title,
            quantity: i.quantity,
            unit_price: fromMinorUnits(i.unitPriceMinor, cart.currency),
          })),
        }).success,
    );
    expect(wrong).toEqual([]);
  });
});

function productInput_(p: (typeof shop.products)[number]) {
  return {
    id: p.id,
    title: p.title,
    url: p.url,
    image_url: p.imageUrl,
    category: p.category,
    currency: p.currency,
    price: fromMinorUnits(p.priceMinor, p.currency),
    stock: p.stockQuantity,
  };
}
