// Starts the parse worker: worker threads do not inherit tsx's hooks from the
// CLI (bin/rekindle.js) or the test runner, so it registers them before loading
// the TypeScript entry named in workerData. It must stay this small.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
