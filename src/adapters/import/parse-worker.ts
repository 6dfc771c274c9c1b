// Worker-thread side of an import: runs the read/group/validate pass off the
// main thread and posts chunks of good records for the main thread to store,
// waiting for acks so only a few chunks are ever in flight. It never opens the
// store; errors are posted back for the main thread to rethrow.
import { parentPort, workerData } from 'node:worker_threads';
import { drizzle } from 'drizzle-orm/libsql';
import { AppError } from '../../core/errors.ts';
import { insertCustomerStubs } from '../../db/repositories/customers.ts';
import * as schema from '../../db/schema/index.ts';
import type { DbLimits, Statement, Store } from '../../db/store.ts';
import type { IngestStatementsPort } from './import-file.ts';
import {
  type Chunk,
  ChunkCollector,
  type ParseJob,
  type PreparedChunk,
  type RecordSink,
  runPass,
} from './parse-pass.ts';

export interface WorkerInput {
  entry: string;
  job: ParseJob;
  write: boolean;
  bytesBefore: number;
  totalBytes: number;
  maxInFlight: number;
  /** Set when the main thread runs plain libSQL: statements are built here, off its thread. */
  prepare?: { limits: DbLimits; now: number; statementsModule: string };
}

export type WorkerMessage =
  | { type: 'started' }
  | { type: 'chunk'; chunk: Chunk | PreparedChunk }
  | { type: 'progress'; rows: number; bytes: number; totalBytes: number }
  | { type: 'done'; summary: import('./import-file.ts').ImportSummary }
  | {
      type: 'failed';
      appError?: { status: AppError['status']; code: string; details: AppError['details'] };
      message: string;
      stack?: string;
    };

const port = parentPort;
if (!port) throw new Error('parse-worker.ts must run in a worker thread');
const input = workerData as WorkerInput;
// The ingest builder the main thread was handed, loaded here from its module.
const ingestStatements: IngestStatementsPort['build'] | undefined = input.prepare
  ? ((await import(input.prepare.statementsModule)) as { ingestStatements: IngestStatementsPort['build'] })
      .ingestStatements
  : undefined;
const post = (message: WorkerMessage) => port.postMessage(message);

/** Posts full chunks; past maxInFlight unacknowledged ones it waits for the main thread. */
class PostingSink implements RecordSink {
  private readonly collector: ChunkCollector;
  private inFlight = 0;
  private wake: (() => void) | undefined;

  constructor(
    batchSize: number,
    private readonly maxInFlight: number,
  ) {
    this.collector = new ChunkCollector(batchSize);
    port!.on('message', () => {
      this.inFlight--;
      this.wake?.();
      this.wake = undefined;
    });
  }

  add(...args: Parameters<RecordSink['add']>): boolean {
    return this.collector.add(...args);
  }

  async flush(): Promise<void> {
    if (this.collector.size === 0) return;
    while (this.inFlight >= this.maxInFlight) await new Promise<void>((resolve) => (this.wake = resolve));
    this.inFlight++;
    const chunk = this.collector.take();
    post({
      type: 'chunk',
      chunk: input.prepare ? prepare(chunk, input.prepare.limits, input.prepare.now) : chunk,
    });
  }
}

// A driverless drizzle only builds queries; the repositories never run them here.
let queryStore: Store | undefined;

/** SQL text and arguments exactly as drizzle's libSQL batch would send them. */
function prepare(chunk: Chunk, limits: DbLimits, now: number): PreparedChunk {
  queryStore ??= { db: drizzle.mock({ schema }), limits } as unknown as Store;
  const store = queryStore;
  const toQuery = (statement: Statement) => {
    const query = (statement as unknown as { toSQL(): { sql: string; params: unknown[] } }).toSQL();
    return { sql: query.sql, args: query.params };
  };
  const stubs = insertCustomerStubs(store, chunk.stubs, now).map(toQuery);
  const records = ingestStatements!(
    { store },
    { kind: input.job.kind, records: chunk.records as never[], now },
  ).map(toQuery);
  return {
    statements: [...stubs, ...records],
    stubStatements: stubs.length,
    records: chunk.records.length,
    items: chunk.items,
  };
}

post({ type: 'started' });
try {
  const sink = input.write ? new PostingSink(input.job.batchSize, input.maxInFlight) : undefined;
  const summary = await runPass(input.job, sink, input.bytesBefore, input.totalBytes, (p) =>
    post({ type: 'progress', ...p }),
  );
  post({ type: 'done', summary });
} catch (error) {
  const e = error as Error;
  post({
    type: 'failed',
    message: e.message ?? String(error),
    stack: e.stack,
    appError:
      error instanceof AppError
        ? { status: error.status, code: error.code, details: error.details }
        : undefined,
  });
} finally {
  port.close();
}
