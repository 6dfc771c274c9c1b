// Imports a CSV or JSON Lines file of customers, orders, carts or products into
// the store: streamed row by row, grouped into records, validated with the
// API's schemas and written in atomic chunks. Used by `rekindle import` and the
// import benchmark. Bad rows are reported and skipped; with `strict` a first
// pass checks the whole file and nothing is written unless every row is good.
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { AppError } from '../../core/errors.ts';
import { currency } from '../../core/ingest/fields.ts';
import { isTimeZone } from '../../core/time.ts';
import type { Statement, Store } from '../../db/store.ts';
import { ChunkWriter } from './chunk-writer.ts';
import { checkMap } from './columns.ts';
import { type DateOrder, dateOrders } from './dates.ts';
import { type ParseJob, runPass } from './parse-pass.ts';
import { ThreadedWriter } from './write-thread.ts';

export type ImportKind = 'customers' | 'orders' | 'carts' | 'products';

/**
 * How good records become statements: the ingest verb's builder, so a file
 * gets the API's rules, the redemption rule for orders among them. The
 * command wires it (src/services/ingest/ingest-records.ts).
 */
export interface IngestStatementsPort {
  build(
    ports: { store: Store },
    input: { kind: ImportKind; records: readonly never[]; now: number },
  ): Statement[];
}

export interface ImportOptions {
  format?: 'csv' | 'jsonl';
  map?: Record<string, string>;
  strict?: boolean;
  timezone?: string;
  /** How to read a date like 12/1/2010: month first (mdy) or day first (dmy). */
  dateOrder?: DateOrder;
  /** The currency of every row that gives none (the file may have no currency column). */
  currency?: string;
  batchSize?: number;
  /**
   * Run the SQL in a worker thread while the main thread parses, on a store that
   * is an embedded libSQL file (elsewhere it is ignored); default: files of 1 MB and up.
   */
  worker?: boolean;
  onProgress?: (p: { rows: number; bytes: number; totalBytes: number }) => void;
}

export interface ImportSummary {
  kind: ImportKind;
  rows: number;
  stored: { customers: number; orders: number; items: number; carts: number; products: number };
  /** Line prices finer than their currency's minor unit (0.001 GBP): stored rounded, never rejected. */
  finerPrices: number;
  rejected: number;
  reasons: Record<string, number>;
  rejections: { line: number; reason: string }[];
  aborted: boolean;
}

export const importKinds: readonly ImportKind[] = ['customers', 'orders', 'carts', 'products'];
export const defaultBatchSize = 1000;
/** Below this the writer thread's start-up costs more than the overlap saves. */
export const workerMinBytes = 1_000_000;

export async function importFile(
  store: Store,
  ingest: IngestStatementsPort,
  kind: ImportKind,
  path: string,
  options: ImportOptions,
  now: number,
): Promise<ImportSummary> {
  const { job, size } = await planImport(kind, path, options);
  const threaded = (options.worker ?? size >= workerMinBytes) && store.embeddedUrl !== undefined;
  const pass = async (write: boolean, bytesBefore: number, totalBytes: number) => {
    if (write && threaded) {
      const writer = await ThreadedWriter.start(
        store.embeddedUrl!,
        store,
        ingest.build,
        kind,
        now,
        job.batchSize,
      );
      if (writer) {
        try {
          const summary = await runPass(job, writer, bytesBefore, totalBytes, options.onProgress);
          await writer.finish();
          summary.stored = writer.stored;
          return summary;
        } finally {
          await writer.close();
        }
      }
      // No thread could start: the same pass, written in process.
    }
    const writer = write ? new ChunkWriter(store, ingest.build, kind, now, job.batchSize) : undefined;
    const summary = await runPass(job, writer, bytesBefore, totalBytes, options.onProgress);
    if (writer) summary.stored = writer.stored;
    return summary;
  };
  if (!options.strict) return pass(true, 0, size);
  // Two passes keep the store untouched on a bad file without a long transaction
  // (D1 has none); reading the file twice is the price.
  const check = await pass(false, 0, 2 * size);
  if (check.rejected > 0) return { ...check, aborted: true };
  return pass(true, size, 2 * size);
}

async function planImport(
  kind: ImportKind,
  path: string,
  options: ImportOptions,
): Promise<{ job: ParseJob; size: number }> {
  if (!importKinds.includes(kind)) {
    throw invalid(`unknown import kind '${kind}'; expected one of: ${importKinds.join(', ')}`);
  }
  const map = options.map ?? {};
  checkMap(kind, map);
  if (options.timezone !== undefined && !isTimeZone(options.timezone)) {
    throw invalid(`unknown time zone '${options.timezone}'; expected an IANA name like Europe/London`);
  }
  const batchSize = options.batchSize ?? defaultBatchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw invalid(`batch size must be a whole number of at least 1, got ${batchSize}`);
  }
  if (options.dateOrder !== undefined && !dateOrders.includes(options.dateOrder)) {
    throw invalid(`unknown date order '${options.dateOrder}'; expected ${dateOrders.join(' or ')}`);
  }
  const defaults: Record<string, string> = {};
  if (options.currency !== undefined) {
    const code = currency.safeParse(options.currency);
    if (!code.success) throw invalid(`--currency '${options.currency}': ${code.error.issues[0]!.message}`);
    defaults.currency = code.data;
  }
  const format = options.format ?? formatOf(path);
  const size = await fileSize(path);
  const { timezone, dateOrder } = options;
  return { job: { kind, path, format, map, timezone, dateOrder, defaults, batchSize }, size };
}

function formatOf(path: string): 'csv' | 'jsonl' {
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  throw invalid(`cannot tell the format of ${path} from its name; pass --format csv or --format jsonl`);
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw invalid(`${path} is not a file`);
    return info.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw invalid(
      code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(error as Error).message}`,
    );
  }
}

function invalid(message: string): AppError {
  return new AppError(400, 'invalid_import', message);
}
