// The upserts of validated records of any kind, as statements for one atomic
// batch. Writes the records only: what an order's coupon codes mean is
// src/services/ingest/ingest-records.ts's business.
import type {
  CartRecord,
  CustomerRecord,
  IngestKind,
  OrderRecord,
  ProductRecord,
  WaitlistRecord,
} from '../../core/ingest/records.ts';
import type { Statement, Store } from '../store.ts';
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
  orders: upsertOrders,
  carts: upsertCarts,
  products: upsertProducts,
  waitlist: upsertWaitlist,
};

export function upsertStatements<K extends IngestKind>(
  store: Store,
  kind: K,
  records: readonly RecordsByKind[K][],
  now: number,
): Statement[] {
  return builders[kind](store, records, now);
}
