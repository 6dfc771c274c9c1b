// Stores validated records a chunk at a time, each chunk one atomic batch, so
// memory stays bounded and an interrupted import leaves whole records only.
// Statements come from the ingest verb's builder it is handed (multi-row,
// set-based); it never builds a statement per record.
import { type CustomerStub, insertCustomerStubs } from '../../db/repositories/customers.ts';
import type { RecordsByKind } from '../../db/repositories/ingest.ts';
import type { Store } from '../../db/store.ts';
import type { ImportKind, IngestStatementsPort } from './import-file.ts';
import { type Chunk, ChunkCollector, type PreparedChunk, type RecordSink } from './parse-pass.ts';

/** The part of a libSQL client that runs a prepared chunk. */
export interface BatchClient {
  batch(statements: { sql: string; args: unknown[] }[]): Promise<unknown[]>;
}

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

  /** Stores a chunk gathered elsewhere (the parse worker) as one atomic batch. */
  async write(chunk: Chunk): Promise<void> {
    if (chunk.records.length === 0) return;
    const stubStatements = insertCustomerStubs(this.store, chunk.stubs, this.now);
    const results = await this.store.batch([
      ...stubStatements,
      ...this.build(
        { store: this.store },
        { kind: this.kind, records: chunk.records as never[], now: this.now },
      ),
    ]);
    for (const result of results.slice(0, stubStatements.length)) this.stored.customers += changes(result);
    this.stored[this.kind] += chunk.records.length;
    this.stored.items += chunk.items;
  }

  /** Runs a chunk the worker already built as SQL: one atomic batch, same counts. */
  async writePrepared(client: BatchClient, chunk: PreparedChunk): Promise<void> {
    if (chunk.records === 0) return;
    const results = await client.batch(chunk.statements);
    // As in the store's batch: the embedded driver frees bound parameters only once the loop turns.
    await new Promise((resolve) => setImmediate(resolve));
    for (const result of results.slice(0, chunk.stubStatements)) this.stored.customers += changes(result);
    this.stored[this.kind] += chunk.records;
    this.stored.items += chunk.items;
  }
}

/** The libSQL client under a store's drizzle handle, when there is one. */
export function batchClientOf(store: Store): BatchClient | undefined {
  const client = (store.db as unknown as { $client?: Partial<BatchClient> }).$client;
  return typeof client?.batch === 'function' ? (client as BatchClient) : undefined;
}

/** Rows a statement changed: libSQL says rowsAffected, D1 says meta.changes. */
function changes(result: unknown): number {
  const r = result as { rowsAffected?: number; meta?: { changes?: number } };
  return r.rowsAffected ?? r.meta?.changes ?? 0;
}
