// Main-thread side of a worker import: starts the parse worker, stores each
// chunk it posts with the chunk writer (one atomic batch each, in order) and
// acks it, so parsing and writing overlap while memory stays bounded. Resolves
// undefined when the worker cannot start, so the caller can run in process.
import { Worker } from 'node:worker_threads';
import { AppError } from '../../core/errors.ts';
import type { DbLimits } from '../../db/store.ts';
import type { BatchClient, ChunkWriter } from './chunk-writer.ts';
import type { ImportKind, ImportSummary } from './import-file.ts';
import type { ParseJob, Progress } from './parse-pass.ts';
import type { WorkerInput, WorkerMessage } from './parse-worker.ts';

/** Chunks parsed ahead of the writer; each holds one batch of records. */
export const maxInFlight = 3;

export function runPassInWorker(
  job: ParseJob,
  writer: ChunkWriter<ImportKind> | undefined,
  /** Given with the store's libSQL client: the worker builds the SQL too. */
  prepared: { client: BatchClient; limits: DbLimits; now: number; statementsModule: string } | undefined,
  bytesBefore: number,
  totalBytes: number,
  onProgress: Progress | undefined,
): Promise<ImportSummary | undefined> {
  const input: WorkerInput = {
    entry: new URL('./parse-worker.ts', import.meta.url).href,
    job,
    write: writer !== undefined,
    bytesBefore,
    totalBytes,
    maxInFlight,
    prepare: prepared && {
      limits: prepared.limits,
      now: prepared.now,
      statementsModule: prepared.statementsModule,
    },
  };
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      // tsx is registered by the boot file; inherited flags (--import tsx) would register it twice.
      worker = new Worker(new URL('./parse-worker-boot.mjs', import.meta.url), {
        workerData: input,
        execArgv: process.env.REKINDLE_WORKER_PROF
          ? ['--cpu-prof', '--cpu-prof-dir', process.env.REKINDLE_WORKER_PROF]
          : [],
        // The old-generation ceiling makes V8 collect instead of growing the heap (the id
        // set lives outside it, so it is safe). The young generation is where parsing's
        // short-lived rows die: at 16 MB they outlived it and were promoted, and garbage
        // collection took a fifth of the worker's time. 1M lines (npm run bench -- import):
        // 16 MB 26.6k rows/s, 240 MB; 48 MB 45-46k, 262-267 MB; 64 MB 51-69k, 286-295 MB.
        resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 64 },
      });
    } catch {
      resolve(undefined);
      return;
    }
    let started = false;
    let settled = false;
    // Writes run one after another in the order the worker posted them.
    let writes: Promise<void> = Promise.resolve();
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(error);
    };
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'started':
          started = true;
          return;
        case 'chunk':
          writes = writes.then(async () => {
            const { chunk } = message;
            if ('statements' in chunk) await writer?.writePrepared(prepared!.client, chunk);
            else await writer?.write(chunk);
            if (!settled) worker.postMessage('ack');
          });
          writes.catch(fail);
          return;
        case 'progress':
          onProgress?.({ rows: message.rows, bytes: message.bytes, totalBytes: message.totalBytes });
          return;
        case 'done':
          writes.then(() => {
            if (settled) return;
            settled = true;
            if (writer) message.summary.stored = writer.stored;
            resolve(message.summary);
          }, fail);
          return;
        case 'failed':
          fail(toError(message));
          return;
      }
    });
    worker.on('error', (error) => {
      if (!started && !settled) {
        settled = true;
        resolve(undefined);
      } else fail(error);
    });
    worker.on('exit', (code) => {
      if (settled) return;
      if (!started) {
        settled = true;
        resolve(undefined);
      } else {
        // 'done' settles after the writes; an exit before 'done' lost the pass.
        void writes.then(() => {
          if (!settled) fail(new Error(`import worker exited with code ${code} before finishing`));
        });
      }
    });
  });
}

function toError(message: Extract<WorkerMessage, { type: 'failed' }>): Error {
  if (message.appError) {
    return new AppError(
      message.appError.status,
      message.appError.code,
      message.message,
      message.appError.details,
    );
  }
  const error = new Error(message.message);
  if (message.stack) error.stack = message.stack;
  return error;
}
