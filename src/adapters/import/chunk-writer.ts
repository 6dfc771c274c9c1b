// Stores validated records a chunk at a time, each chunk one atomic batch, so
// memory stays bounded and an interrupted import leaves whole records only.
// Statements come from the repositories (multi-row, set-based); it never
// builds a statement per record.
import { type CustomerStub, insertCustomerStubs } from '../../db/repositories/customers.ts';
import { ingestStatements, type RecordsByKind } from '../../db/repositories/ingest.ts';
import type { Store } from '../../db/store.ts';
import type { ImportKind } from './import-file.ts';

export interface StoredCounts {
  customers: number;
  orders: number;
  items: number;
  carts: number;
  products: number;
}

export class ChunkWriter<K extends ImportKind> {
  readonly stored: StoredCounts = { customers: 0, orders: 0, items: 0, carts: 0, products: 0 };
  private records: RecordsByKind[K][] = [];
  private stubs = new Map<string, CustomerStub>();
  private items = 0;

  constructor(
    private readonly store: Store,
    private readonly kind: K,
    private readonly now: number,
    private readonly batchSize: number,
  ) {}

  /** Queues a record; true when the chunk is full and should be flushed. */
  add(record: RecordsByKind[K], items: number, stub?: CustomerStub): boolean {
    this.records.push(record);
    this.items += items;
    if (stub) {
      const known = this.stubs.get(stub.id);
      // The first row naming a customer wins; later rows only fill what it left blank.
      if (!known) this.stubs.set(stub.id, stub);
      else known.email ??= stub.email;
    }
    return this.records.length >= this.batchSize;
  }

  async flush(): Promise<void> {
    if (this.records.length === 0) return;
    const stubStatements = insertCustomerStubs(this.store, [...this.stubs.values()], this.now);
    const results = await this.store.batch([
      ...stubStatements,
      ...ingestStatements(this.store, this.kind, this.records, this.now),
    ]);
    for (const result of results.slice(0, stubStatements.length)) this.stored.customers += changes(result);
    this.stored[this.kind] += this.records.length;
    this.stored.items += this.items;
    this.records = [];
    this.stubs = new Map();
    this.items = 0;
  }
}

/** Rows a statement changed: libSQL says rowsAffected, D1 says meta.changes. */
function changes(result: unknown): number {
  const r = result as { rowsAffected?: number; meta?: { changes?: number } };
  return r.rowsAffected ?? r.meta?.changes ?? 0;
}
