// rekindle import customers|orders|carts|products FILE: loads a shop export
// (CSV or JSON Lines) through the same validation as the API. Bad rows are
// reported with their line and skipped; --strict stores nothing unless every
// row is good. Never reads the whole file into memory.
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  type ImportKind,
  type ImportOptions,
  type ImportSummary,
  importFile,
  importKinds,
} from '../adapters/import/import-file.ts';
import { formatSummary } from '../adapters/import/summary.ts';
import { AppError } from '../core/errors.ts';
import { ingestStatementsPort } from '../services/ingest/ingest-records.ts';
import { type CliIO, type Command, printJson, UsageError } from './io.ts';

export const importCommand: Command = async (argv, io) => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      format: { type: 'string' },
      map: { type: 'string', multiple: true },
      timezone: { type: 'string' },
      'date-order': { type: 'string' },
      currency: { type: 'string' },
      strict: { type: 'boolean' },
      'batch-size': { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  const [kind, file, ...extra] = positionals;
  if (!kind || !file || extra.length > 0) {
    throw new UsageError('usage: rekindle import customers|orders|carts|products FILE [--help]');
  }
  if (!(importKinds as readonly string[]).includes(kind)) {
    throw new UsageError(`cannot import '${kind}'; expected one of: ${importKinds.join(', ')}`);
  }
  const format = values.format;
  if (format !== undefined && format !== 'csv' && format !== 'jsonl') {
    throw new UsageError(`--format must be csv or jsonl, got '${format}'`);
  }
  const options: ImportOptions = {
    format,
    map: parseMap(values.map ?? []),
    strict: values.strict ?? false,
    timezone: values.timezone,
    dateOrder: values['date-order']?.toLowerCase() as ImportOptions['dateOrder'],
    currency: values.currency,
    batchSize: values['batch-size'] === undefined ? undefined : Number(values['batch-size']),
  };
  // Checked before the store is opened, so a typo does not create a database.
  await requireFile(file);
  const store = await io.openStore();
  let summary: ImportSummary;
  const progress = io.interactive ? progressLine(io) : undefined;
  try {
    summary = await importFile(
      store,
      ingestStatementsPort,
      kind as ImportKind,
      file,
      { ...options, onProgress: progress?.update },
      io.now(),
    );
  } catch (error) {
    if (error instanceof AppError && error.code === 'invalid_import') throw new UsageError(error.message);
    throw error;
  } finally {
    progress?.clear();
    await store.close();
  }
  if (values.json) printJson(io, summary);
  else io.stdout.write(formatSummary(summary, file));
  return summary.aborted ? 1 : 0;
};

function parseMap(entries: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at <= 0 || at === entry.length - 1) {
      throw new UsageError(`--map expects FIELD=COLUMN, got '${entry}'`);
    }
    map[entry.slice(0, at).trim()] = entry.slice(at + 1);
  }
  return map;
}

async function requireFile(file: string): Promise<void> {
  try {
    if (!(await stat(file)).isFile()) throw new UsageError(`${file} is not a file`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`no such file: ${file}`);
  }
}

/** One stderr line redrawn at most four times a second; only on a terminal. */
function progressLine(io: CliIO) {
  const started = Date.now();
  let drawn = 0;
  return {
    update(p: { rows: number; bytes: number; totalBytes: number }) {
      const now = Date.now();
      if (now - drawn < 250) return;
      drawn = now;
      const seconds = Math.max((now - started) / 1000, 0.001);
      const percent = p.totalBytes > 0 ? Math.floor((100 * p.bytes) / p.totalBytes) : 100;
      const rate = Math.round(p.rows / seconds).toLocaleString('en');
      io.stderr.write(`\r${p.rows.toLocaleString('en')} rows  ${rate} rows/s  ${percent}%\x1b[K`);
    },
    clear() {
      if (drawn > 0) io.stderr.write('\r\x1b[K');
    },
  };
}
