// Stores validated records a chunk at a time, each chunk one atomic batch, so
// memory stays bounded and an interrupted import leaves whole records only.
// Statements come from the ingest verb's builder it is handed (multi-row,
// set-based); it never builds a statement per record.
import { type CustomerStub, insertCustomerStubs } from '../../db/repositories/customers.ts';
import type { RecordsByKind } from '../../db/repositories/ingest.ts';
import type { Statement, Store } from '../../db/store.ts';
import type { ImportKind, IngestStatementsPort } from './import-file.ts';
import { type Chunk, ChunkCollector, type RecordSink } from './parse-pass.ts';

export interface StoredCounts {
  customers: number;
  orders: number;
  items: number;
  carts: number;
  products: number;
}

export class ChunkWriter<K extends ImportKind> implements RecordSink {
  readonly stored: StoredCounts = { customers: 0, orders: 0, items: 0, carts: 0, products: 0 };
  private readonly collector: ChunkCollector;

  constructor(
    private readonly store: Store,
    private readonly build: IngestStatementsPort['build'],
    private readonly kind: K,
    private readonly now: number,
    batchSize: number,
  ) {
    this.collector = new ChunkCollector(batchSize);
  }

  /** Queues a record; true when the chunk is full and should be flushed. */
  add(record: RecordsByKind[K], items: number, stub?: CustomerStub): boolean {
    return this.collector.add(record, items, stub);
  }

  async flush(): Promise<void> {
    if (this.collector.size > 0) await this.write(this.collector.take());
  }

  /** Stores a chunk as one atomic batch. */
  private async write(chunk: Chunk): Promise<void> {
    if (chunk.records.length === 0) return;
    const { statements, stubCount } = chunkStatements(this.store, this.build, this.kind, chunk, this.now);
    const results = await this.store.batch(statements);
    for (const result of results.slice(0, stubCount)) this.stored.customers += changes(result);
    this.stored[this.kind] += chunk.records.length;
    this.stored.items += chunk.items;
  }
}

/**
 * A chunk's statements for its one batch: the customer stubs its records
 * name first (their count, to read how many were new), then the ingest verb's.
 * The same whether the batch runs here or in the writer thread.
 */
export function chunkStatements<K extends ImportKind>(
  store: Store,
  build: IngestStatementsPort['build'],
  kind: K,
  chunk: Chunk,
  now: number,
): { statements: Statement[]; stubCount: number } {
  const stubs = insertCustomerStubs(store, chunk.stubs, now);
  const records = build({ store }, { kind, records: chunk.records as never[], now });
  return { statements: [...stubs, ...records], stubCount: stubs.length };
}

/** Rows a statement changed: libSQL says rowsAffected, D1 says meta.changes. */
function changes(result: unknown): number {
  const r = result as { rowsAffected?: number; meta?: { changes?: number } };
  return r.rowsAffected ?? r.meta?.changes ?? 0;
}
