// The demo shop as a stream of record batches: the catalogue first, then
// customers with their orders and carts one chunk at a time, then waitlist
// sign-ups. A million customers never sit in memory at once, and the same
// seed and `now` always give the same records.
import type { IngestKind } from '../core/ingest/records.ts';
import { dayMs } from '../core/time.ts';
import type { RecordsByKind } from '../db/repositories/ingest.ts';
import { customerProfile } from './customers.ts';
import { customerHistory } from './history.ts';
import { generateProducts, ProductPicker } from './products.ts';
import { deriveSeed, hashSeed } from './random.ts';
import { generateWaitlist } from './waitlist.ts';

export interface DemoShopOptions {
  /** Epoch ms the shop's history leads up to. */
  now: number;
  seed?: string | number;
  customers?: number;
  products?: number;
  /** Customers generated (and handed out) together. */
  chunkSize?: number;
}

export const demoDefaults = { seed: 'rekindle', customers: 5000, products: 300, chunkSize: 1000 } as const;

export type ShopBatch = { [K in IngestKind]: { kind: K; records: RecordsByKind[K][] } }[IngestKind];

export function* generateShop(options: DemoShopOptions): Generator<ShopBatch> {
  const shopSeed = hashSeed(String(options.seed ?? demoDefaults.seed));
  const customerCount = options.customers ?? demoDefaults.customers;
  const chunkSize = Math.max(1, options.chunkSize ?? demoDefaults.chunkSize);
  // The catalogue is older than the history's window of new arrivals: made a year and more before `now`.
  const products = generateProducts(deriveSeed(shopSeed, 10), options.products ?? demoDefaults.products).map(
    (product, i) => ({ ...product, createdAt: options.now - (400 + i) * dayMs }),
  );
  const picker = new ProductPicker(products, deriveSeed(shopSeed, 11));
  yield { kind: 'products', records: products };
  for (let start = 0; start < customerCount; start += chunkSize) {
    const end = Math.min(customerCount, start + chunkSize);
    const histories = [];
    for (let index = start; index < end; index++) {
      histories.push(customerHistory(customerProfile(shopSeed, index), picker, shopSeed, options.now));
    }
    yield { kind: 'customers', records: histories.map((h) => h.customer) };
    yield { kind: 'orders', records: histories.flatMap((h) => h.orders) };
    yield { kind: 'carts', records: histories.flatMap((h) => h.carts) };
  }
  yield { kind: 'waitlist', records: generateWaitlist(products, shopSeed, customerCount, options.now) };
}
