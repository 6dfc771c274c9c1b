// Imports a CSV or JSON Lines file of customers, orders, carts or products into
// the store: streamed row by row, grouped into records, validated with the
// API's schemas and written in atomic chunks. Used by `rekindle import` and the
// import benchmark. Bad rows are reported and skipped; with `strict` a first
// pass checks the whole file and nothing is written unless every row is good.
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { AppError } from '../../core/errors.ts';
import { isTimeZone } from '../../core/time.ts';
import type { Store } from '../../db/store.ts';
import { ChunkWriter } from './chunk-writer.ts';
import { checkMap, csvLayout, jsonLayout, kindSpecs } from './columns.ts';
import { instantReader } from './dates.ts';
import { RowGrouper } from './group-rows.ts';
import { readCsv } from './read-csv.ts';
import { readJsonl } from './read-jsonl.ts';
import type { RowBatch } from './rows.ts';
import { addRejections, emptySummary } from './summary.ts';
import { RecordBuilder } from './to-record.ts';

export type ImportKind = 'customers' | 'orders' | 'carts' | 'products';

export interface ImportOptions {
  format?: 'csv' | 'jsonl';
  map?: Record<string, string>;
  strict?: boolean;
  timezone?: string;
  batchSize?: number;
  onProgress?: (p: { rows: number; bytes: number; totalBytes: number }) => void;
}

export interface ImportSummary {
  kind: ImportKind;
  rows: number;
  stored: { customers: number; orders: number; items: number; carts: number; products: number };
  rejected: number;
  reasons: Record<string, number>;
  rejections: { line: number; reason: string }[];
  aborted: boolean;
}

export const importKinds: readonly ImportKind[] = ['customers', 'orders', 'carts', 'products'];
export const defaultBatchSize = 1000;

interface Plan {
  kind: ImportKind;
  path: string;
  size: number;
  rows: () => AsyncGenerator<RowBatch>;
  options: ImportOptions;
}

export async function importFile(
  store: Store,
  kind: ImportKind,
  path: string,
  options: ImportOptions,
  now: number,
): Promise<ImportSummary> {
  const plan = await planImport(kind, path, options);
  const batchSize = options.batchSize ?? defaultBatchSize;
  if (!options.strict) return runPass(plan, new ChunkWriter(store, kind, now, batchSize), 0, plan.size);
  // Two passes keep the store untouched on a bad file without a long transaction
  // (D1 has none); reading the file twice is the price.
  const check = await runPass(plan, undefined, 0, 2 * plan.size);
  if (check.rejected > 0) return { ...check, aborted: true };
  return runPass(plan, new ChunkWriter(store, kind, now, batchSize), plan.size, 2 * plan.size);
}

async function planImport(kind: ImportKind, path: string, options: ImportOptions): Promise<Plan> {
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
  const format = options.format ?? formatOf(path);
  const size = await fileSize(path);
  const rows =
    format === 'csv'
      ? () => readCsv(path, (header) => csvLayout(kind, header, map, path))
      : () => readJsonl(path, jsonLayout(kind, map));
  return { kind, path, size, rows, options };
}

async function runPass(
  plan: Plan,
  writer: ChunkWriter<ImportKind> | undefined,
  bytesBefore: number,
  totalBytes: number,
): Promise<ImportSummary> {
  const { kind, options } = plan;
  const summary = emptySummary(kind);
  const grouper = new RowGrouper(kindSpecs[kind].grouped, kind.slice(0, -1));
  const builder = new RecordBuilder(kind, instantReader(options.timezone));
  const checking = writer === undefined;
  const take = async (groups: ReturnType<RowGrouper['push']>) => {
    for (const group of groups) {
      const outcome = builder.build(group);
      if (!outcome.ok) addRejections(summary, outcome.rejections);
      else if (writer?.add(outcome.record, outcome.items, outcome.stub)) await writer.flush();
      if (checking && summary.rejected > 0) return;
    }
  };
  for await (const batch of plan.rows()) {
    for (const row of batch.rows) {
      summary.rows++;
      const groups = grouper.push(row);
      if (groups.length > 0) await take(groups);
      if (checking && summary.rejected > 0) return summary;
    }
    options.onProgress?.({ rows: summary.rows, bytes: bytesBefore + batch.bytes, totalBytes });
  }
  await take(grouper.finish());
  if (writer) {
    await writer.flush();
    summary.stored = writer.stored;
  }
  return summary;
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
