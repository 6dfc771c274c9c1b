// Loads the generated demo shop into a store through the same upserts the API
// uses, one generated batch per atomic write. Safe to run again: every record
// has a stable id, so a second load with the same seed and `now` changes nothing.
import type { IngestKind } from '../core/ingest/records.ts';
import type { Statement, Store } from '../db/store.ts';
import { ingestStatements } from '../services/ingest/ingest-records.ts';
import { type DemoShopOptions, demoDefaults, generateShop, type ShopBatch } from './shop.ts';

export interface LoadProgress {
  customersDone: number;
  customersTotal: number;
  /** Records handed to the store so far, per kind. */
  records: Record<IngestKind, number>;
}

export async function loadDemoShop(
  store: Store,
  options: DemoShopOptions,
  onProgress?: (progress: LoadProgress) => void,
): Promise<LoadProgress> {
  const progress: LoadProgress = {
    customersDone: 0,
    customersTotal: options.customers ?? demoDefaults.customers,
    records: { customers: 0, orders: 0, carts: 0, products: 0, waitlist: 0 },
  };
  for (const batch of generateShop(options)) {
    await writeInSlices(store, statementsFor(store, batch, options.now));
    progress.records[batch.kind] += batch.records.length;
    if (batch.kind === 'customers') progress.customersDone += batch.records.length;
    if (batch.kind === 'carts' || batch.kind === 'waitlist') onProgress?.(progress);
  }
  return progress;
}

function statementsFor(store: Store, batch: ShopBatch, now: number): Statement[] {
  switch (batch.kind) {
    case 'products':
      return ingestStatements({ store }, { kind: 'products', records: batch.records, now });
    case 'customers':
      return ingestStatements({ store }, { kind: 'customers', records: batch.records, now });
    case 'orders':
      return ingestStatements({ store }, { kind: 'orders', records: batch.records, now });
    case 'carts':
      return ingestStatements({ store }, { kind: 'carts', records: batch.records, now });
    case 'waitlist':
      return ingestStatements({ store }, { kind: 'waitlist', records: batch.records, now });
  }
}

// A batch larger than the driver takes is written in slices; a crash between
// slices leaves a half-written chunk that the next (idempotent) load repairs.
async function writeInSlices(store: Store, statements: Statement[]): Promise<void> {
  const max = store.limits.maxBatchStatements;
  for (let i = 0; i < statements.length; i += max) {
    await store.batch(statements.slice(i, i + max));
    await turnEventLoop();
  }
}

// The embedded libSQL driver answers with already-settled promises, so a loop
// of awaits never leaves the microtask queue, and the native memory of finished
// statements (freed by finalizers that run on a later turn of the event loop)
// piles up: about 115 bytes per bound parameter, 14 GB for a million customers.
const turnEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
