// The measured half of the import benchmark, alone in its process so its peak
// memory is its own: migrates a fresh database (not timed), then times
// importFile on the CSV. Prints one JSON line with the timing, the summary and
// the peak RSS. Usage: import-child.ts CSV_PATH DATABASE_URL NOW_MS
import { importFile } from '../src/adapters/import/import-file.ts';
import { migrateLibsql, openLibsqlStore } from '../src/db/libsql.ts';
import { ingestStatementsPort } from '../src/services/ingest/ingest-records.ts';
import { endStatus, status } from './support/log.ts';
import { peakRssFromProc, sampleRss } from './support/memory.ts';

const [csvPath, url, nowText] = process.argv.slice(2);
if (!csvPath || !url || !nowText) throw new Error('usage: import-child.ts CSV_PATH DATABASE_URL NOW_MS');

const store = await openLibsqlStore({ url });
await migrateLibsql(store);
const rssBeforeBytes = process.memoryUsage().rss;
const sampler = sampleRss();
const started = performance.now();
const summary = await importFile(
  store,
  ingestStatementsPort,
  'orders',
  csvPath,
  {
    onProgress: ({ rows, bytes, totalBytes }) =>
      status(`importing: ${rows.toLocaleString('en')} rows (${Math.floor((bytes / totalBytes) * 100)}%)`),
  },
  Number(nowText),
);
const seconds = (performance.now() - started) / 1000;
const sampledPeak = sampler.stop();
endStatus();
await store.close();
process.stdout.write(
  `${JSON.stringify({
    seconds,
    rows: summary.rows,
    rejected: summary.rejected,
    reasons: summary.reasons,
    stored: summary.stored,
    peakRssBytes: peakRssFromProc() ?? sampledPeak,
    sampledPeakRssBytes: sampledPeak,
    rssBeforeBytes,
  })}\n`,
);
