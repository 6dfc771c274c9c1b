// One pass over an import file: read rows, group them into records, validate
// them and hand the good ones to a sink (the chunk writer, or the threaded
// writer that runs the SQL beside it). It never touches the store itself.
import type { CustomerStub } from '../../db/repositories/customers.ts';
import type { RecordsByKind } from '../../db/repositories/ingest.ts';
import { csvLayout, jsonLayout, kindSpecs } from './columns.ts';
import { type DateOrder, instantReader } from './dates.ts';
import { RowGrouper } from './group-rows.ts';
import type { ImportKind, ImportSummary } from './import-file.ts';
import { readCsv } from './read-csv.ts';
import { readJsonl } from './read-jsonl.ts';
import type { RowBatch } from './rows.ts';
import { addRejections, emptySummary } from './summary.ts';
import { RecordBuilder } from './to-record.ts';

/** What a pass needs, all structured-cloneable. */
export interface ParseJob {
  kind: ImportKind;
  path: string;
  format: 'csv' | 'jsonl';
  map: Record<string, string>;
  timezone?: string;
  dateOrder?: DateOrder;
  /** Field values for rows that give none, e.g. { currency: 'GBP' }. */
  defaults: Record<string, string>;
  batchSize: number;
}

export interface RecordSink {
  /** Queues a record; true when the chunk is full and should be flushed. */
  add(record: RecordsByKind[ImportKind], items: number, stub?: CustomerStub): boolean;
  flush(): Promise<void>;
}

export type Progress = (p: { rows: number; bytes: number; totalBytes: number }) => void;

export function rowsOf(job: ParseJob): AsyncGenerator<RowBatch> {
  return job.format === 'csv'
    ? readCsv(job.path, (header) => csvLayout(job.kind, header, job.map, job.path, job.defaults))
    : readJsonl(job.path, jsonLayout(job.kind, job.map));
}

/** Without a sink it only checks, and stops at the first rejection. */
export async function runPass(
  job: ParseJob,
  sink: RecordSink | undefined,
  bytesBefore: number,
  totalBytes: number,
  onProgress: Progress | undefined,
): Promise<ImportSummary> {
  const { kind } = job;
  const summary = emptySummary(kind);
  const grouper = new RowGrouper(kindSpecs[kind].grouped, kind.slice(0, -1));
  const builder = new RecordBuilder(kind, instantReader(job.timezone, job.dateOrder), job.defaults);
  const checking = sink === undefined;
  const take = async (groups: ReturnType<RowGrouper['push']>) => {
    for (const group of groups) {
      const outcome = builder.build(group);
      if (!outcome.ok) addRejections(summary, outcome.rejections);
      else {
        summary.finerPrices += outcome.finerPrices;
        if (sink?.add(outcome.record, outcome.items, outcome.stub)) await sink.flush();
      }
      if (checking && summary.rejected > 0) return;
    }
  };
  for await (const batch of rowsOf(job)) {
    for (const row of batch.rows) {
      summary.rows++;
      const groups = grouper.push(row);
      if (groups.length > 0) await take(groups);
      if (checking && summary.rejected > 0) return summary;
    }
    onProgress?.({ rows: summary.rows, bytes: bytesBefore + batch.bytes, totalBytes });
  }
  await take(grouper.finish());
  await sink?.flush();
  return summary;
}

/** A chunk of good records on its way to the writer. */
export interface Chunk {
  records: RecordsByKind[ImportKind][];
  items: number;
  stubs: CustomerStub[];
}

/** Gathers records into chunks, merging the customer stubs they name. */
export class ChunkCollector {
  private records: RecordsByKind[ImportKind][] = [];
  private stubs = new Map<string, CustomerStub>();
  private items = 0;

  constructor(private readonly batchSize: number) {}

  get size(): number {
    return this.records.length;
  }

  add(record: RecordsByKind[ImportKind], items: number, stub?: CustomerStub): boolean {
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

  take(): Chunk {
    const chunk = { records: this.records, items: this.items, stubs: [...this.stubs.values()] };
    this.records = [];
    this.stubs = new Map();
    this.items = 0;
    return chunk;
  }
}
