// What every CLI command is handed: parsed config, output streams and a way to
// open the (migrated) store. Commands never read process.env or exit.
import type { NodeConfig } from '../config/env.ts';
import type { Store } from '../db/store.ts';

export interface CliIO {
  config: NodeConfig;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** True when stderr is a terminal: progress is drawn only then. */
  interactive: boolean;
  openStore(): Promise<Store>;
  now(): number;
}

export type Command = (argv: string[], io: CliIO) => Promise<number>;

/** A user mistake: printed as one line without a stack, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The usage error for a new file a command could not create (`wx`: never overwrite what is there). */
export function newFileError(file: string, error: NodeJS.ErrnoException): UsageError {
  return new UsageError(
    error.code === 'EEXIST' ? `${file} exists; name a new file` : `cannot write ${file}: ${error.message}`,
  );
}

export function printJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints rows as an aligned text table. */
export function printTable(io: CliIO, rows: readonly Record<string, unknown>[]): void {
  if (rows.length === 0) {
    io.stdout.write('(none)\n');
    return;
  }
  const headers = Object.keys(rows[0]!);
  const cells = rows.map((row) => headers.map((h) => formatCell(row[h])));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  io.stdout.write(`${line(headers)}\n${cells.map(line).join('\n')}\n`);
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}
