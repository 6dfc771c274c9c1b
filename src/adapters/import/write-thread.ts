// Main-thread side of a big import into an embedded libSQL file: the main
// thread parses, validates and turns each chunk into SQL (the ingest verb's
// statements, as text and arguments), and a small worker thread
// (write-worker.mjs) executes them on its own connection, so parsing and
// SQLite run side by side. At most a few chunks are in flight, so memory stays
// bounded; chunks are written in order, each one atomic batch.
import { Worker } from 'node:worker_threads';
import type { CustomerStub } from '../../db/repositories/customers.ts';
import type { RecordsByKind } from '../../db/repositories/ingest.ts';
import type { Statement, Store } from '../../db/store.ts';
import { chunkStatements, type StoredCounts } from './chunk-writer.ts';
import type { ImportKind, IngestStatementsPort } from './import-file.ts';
import { type Chunk, ChunkCollector, type RecordSink } from './parse-pass.ts';

/** Chunks handed to the writer thread and not yet written; each holds one batch of records. */
export const maxInFlight = 3;

type WorkerMessage =
  | { type: 'started' }
  | { type: 'written'; changes: number }
  | { type: 'failed'; message: string; code?: unknown; stack?: string };

export class ThreadedWriter<K extends ImportKind> implements RecordSink {
  readonly stored: StoredCounts = { customers: 0, orders: 0, items: 0, carts: 0, products: 0 };
  private readonly collector: ChunkCollector;
  /** Per chunk in flight, what it holds, oldest first. */
  private readonly inFlight: { records: number; items: number }[] = [];
  private failure: Error | undefined;
  private exited = false;
  private closing = false;
  private wake: (() => void) | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly store: Store,
    private readonly build: IngestStatementsPort['build'],
    private readonly kind: K,
    private readonly now: number,
    batchSize: number,
  ) {
    this.collector = new ChunkCollector(batchSize);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'written') {
        const chunk = this.inFlight.shift();
        if (chunk) {
          this.stored.customers += message.changes;
          this.stored[this.kind] += chunk.records;
          this.stored.items += chunk.items;
        }
      } else if (message.type === 'failed') this.fail(toError(message));
      this.notify();
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      this.exited = true;
      // Only close() ends it on purpose; anything else strands the chunks not yet written.
      if (!this.closing)
        this.fail(new Error(`import writer thread exited with code ${code} before the import ended`));
    });
  }

  /** Starts the writer thread on `url`; undefined when no thread can start (the caller writes in process). */
  static async start<K extends ImportKind>(
    url: string,
    store: Store,
    build: IngestStatementsPort['build'],
    kind: K,
    now: number,
    batchSize: number,
  ): Promise<ThreadedWriter<K> | undefined> {
    let worker: Worker;
    try {
      // Plain JavaScript: no TypeScript hooks (inherited --import tsx) are wanted there.
      worker = new Worker(new URL('./write-worker.mjs', import.meta.url), {
        workerData: { url },
        execArgv: [],
        // The thread holds at most maxInFlight chunks of SQL text at a time: a
        // small young generation is enough, and V8's default one grows to tens
        // of megabytes of RSS that the import's peak counts. Peak RSS in
        // `npm run bench -- import`, three runs each, interleaved on
        // 2026-12-07: 247-260 MB with this limit, 259-287 MB without (a
        // later three with it: 258-270 MB; the machine's noise is that large).
        resourceLimits: { maxYoungGenerationSizeMb: 4 },
      });
    } catch {
      return undefined;
    }
    const listeners: [string, (value?: unknown) => void][] = [];
    const started = await new Promise<boolean>((resolve) => {
      listeners.push(
        ['message', (message) => resolve((message as WorkerMessage).type === 'started')],
        ['error', () => resolve(false)],
        ['exit', () => resolve(false)],
      );
      for (const [event, listener] of listeners) worker.once(event, listener);
    });
    // Only these: the worker's own listeners (which keep its port referenced) stay.
    for (const [event, listener] of listeners) worker.off(event, listener);
    if (!started) {
      await worker.terminate();
      return undefined;
    }
    return new ThreadedWriter(worker, store, build, kind, now, batchSize);
  }

  add(record: RecordsByKind[K], items: number, stub?: CustomerStub): boolean {
    return this.collector.add(record, items, stub);
  }

  /** Hands the gathered chunk to the thread, first waiting while maxInFlight are unwritten. */
  async flush(): Promise<void> {
    if (this.collector.size === 0) return;
    while (this.failure === undefined && this.inFlight.length >= maxInFlight) await this.next();
    if (this.failure) throw this.failure;
    const chunk = this.collector.take();
    const { statements, counted } = this.toSql(chunk);
    this.inFlight.push({ records: chunk.records.length, items: chunk.items });
    this.worker.postMessage({ type: 'chunk', statements, counted });
  }

  /** Resolves once every chunk handed over is written; throws the first write failure. */
  async finish(): Promise<void> {
    await this.flush();
    while (this.failure === undefined && this.inFlight.length > 0) await this.next();
    if (this.failure) throw this.failure;
  }

  /** Lets the chunks already handed over finish (whole chunks only), then stops the thread. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.exited) return;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage({ type: 'close' });
    await exited;
  }

  /** SQL text and arguments exactly as the store's drizzle batch would send them. */
  private toSql(chunk: Chunk): { statements: { sql: string; args: unknown[] }[]; counted: number } {
    const toQuery = (statement: Statement) => {
      const query = (statement as unknown as { toSQL(): { sql: string; params: unknown[] } }).toSQL();
      return { sql: query.sql, args: query.params };
    };
    const { statements, stubCount } = chunkStatements(this.store, this.build, this.kind, chunk, this.now);
    return { statements: statements.map(toQuery), counted: stubCount };
  }

  private next(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }
}

function toError(message: Extract<WorkerMessage, { type: 'failed' }>): Error {
  const error = new Error(message.message) as Error & { code?: unknown };
  if (message.code !== undefined) error.code = message.code;
  if (message.stack) error.stack = message.stack;
  return error;
}
