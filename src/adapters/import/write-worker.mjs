// Worker-thread side of a big import: executes the chunks the main thread
// parsed, validated and turned into SQL, each as one atomic batch on its own
// connection to the same embedded libSQL file, in the order they arrive, and
// answers each with the rows its first statements (the customer stubs)
// changed. Plain JavaScript on purpose: it needs no TypeScript hooks, so the
// thread costs a few MB and starts in milliseconds. It never builds SQL.
import { setImmediate } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { createClient } from '@libsql/client';

const port = parentPort;
if (!port) throw new Error('write-worker.mjs must run in a worker thread');

/** @param {unknown} error */
function failure(error) {
  const e = /** @type {{ message?: string; code?: unknown; stack?: string }} */ (error);
  return { type: 'failed', message: e?.message ?? String(error), code: e?.code, stack: e?.stack };
}

/** @type {import('@libsql/client').Client} */
let client;
try {
  client = createClient({ url: workerData.url });
  // The connection settings the store sets on a file (journal_mode is the file's own).
  await client.execute('PRAGMA busy_timeout = 10000');
  await client.execute('PRAGMA synchronous = NORMAL');
  port.postMessage({ type: 'started' });
} catch (error) {
  port.postMessage(failure(error));
  port.close();
  throw error;
}

// Batches run one after another in arrival order; after a failure none runs.
let queue = Promise.resolve();
let failed = false;
port.on('message', (message) => {
  if (message.type === 'close') {
    queue = queue.then(() => {
      client.close();
      port.close();
    });
    return;
  }
  queue = queue.then(async () => {
    if (failed) return;
    try {
      const results = await client.batch(message.statements, 'write');
      let changes = 0;
      for (let i = 0; i < message.counted; i++) changes += results[i]?.rowsAffected ?? 0;
      // The embedded driver frees bound parameters only once the event loop turns.
      await setImmediate();
      port.postMessage({ type: 'written', changes });
    } catch (error) {
      failed = true;
      port.postMessage(failure(error));
    }
  });
});
