// Running CLI commands in tests: in process with a captured CliIO, or as the
// real `rekindle` binary in a child process.
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import type { CliIO } from '../../../src/cli/io.ts';
import { runCli } from '../../../src/cli/main.ts';
import { parseNodeEnv } from '../../../src/config/env.ts';
import { migrateLibsql, openLibsqlStore } from '../../../src/db/libsql.ts';

export interface CapturedCli {
  io: CliIO;
  out: string[];
  err: string[];
  /** How many times the command opened the store. */
  opened(): number;
}

/** A CliIO over `env` (parsed like the real one) whose output is kept; openStore migrates. */
export function captureCli(env: Record<string, string>, now: number): CapturedCli {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _encoding, done) {
        into.push(String(chunk));
        done();
      },
    });
  const config = parseNodeEnv(env);
  let opened = 0;
  const io: CliIO = {
    config,
    stdout: sink(out),
    stderr: sink(err),
    interactive: false,
    now: () => now,
    async openStore() {
      opened++;
      const store = await openLibsqlStore({ url: config.DATABASE_URL });
      await migrateLibsql(store);
      return store;
    },
  };
  return { io, out, err, opened: () => opened };
}

export interface BinaryRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs bin/rekindle.js with this process's environment changed by `env`: a
 * value sets the variable, undefined removes it.
 */
export function runRekindle(args: readonly string[], env: Record<string, string | undefined> = {}) {
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  return new Promise<BinaryRun>((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/rekindle.js', ...args], { env: merged });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `rekindle ARGV` run in this process by src/cli/main.ts over `env`, its output kept. */
export async function runCliInProcess(argv: readonly string[], env: Record<string, string | undefined>) {
  let stdout = '';
  let stderr = '';
  const sink = (write: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        write(String(chunk));
        done();
      },
    });
  const code = await runCli(argv, {
    env,
    stdout: sink((t) => (stdout += t)),
    stderr: sink((t) => (stderr += t)),
    interactive: false,
  });
  return { code, stdout, stderr };
}
