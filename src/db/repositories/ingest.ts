// One entry point for storing validated records of any kind in one atomic
// batch, used by the HTTP API and the file importer alike.
import type {
  CartRecord,
  CustomerRecord,
  IngestKind,
  OrderRecord,
  ProductRecord,
  WaitlistRecord,
} from '../../core/ingest/records.ts';
import type { Statement, Store } from '../store.ts';
import { redemptionStatementsForOrders } from './attribution.ts';
import { upsertCarts } from './carts.ts';
import { upsertCustomers } from './customers.ts';
import { upsertOrders } from './orders.ts';
import { upsertProducts, upsertWaitlist } from './products.ts';

export interface RecordsByKind {
  customers: CustomerRecord;
  orders: OrderRecord;
  carts: CartRecord;
  products: ProductRecord;
  waitlist: WaitlistRecord;
}

const builders: {
  [K in IngestKind]: (store: Store, records: readonly RecordsByKind[K][], now: number) => Statement[];
} = {
  customers: upsertCustomers,
  // Coupon codes on paid orders become redemptions in the same atomic batch.
  orders: (store, records, now) => [
    ...upsertOrders(store, records, now),
    ...redemptionStatementsForOrders(store, records),
  ],
  carts: upsertCarts,
  products: upsertProducts,
  waitlist: upsertWaitlist,
};

export function ingestStatements<K extends IngestKind>(
  store: Store,
  kind: K,
  records: readonly RecordsByKind[K][],
  now: number,
): Statement[] {
  return builders[kind](store, records, now);
}

export async function storeRecords<K extends IngestKind>(
  store: Store,
  kind: K,
  records: readonly RecordsByKind[K][],
  now: number,
): Promise<void> {
  await store.batch(ingestStatements(store, kind, records, now));
}
