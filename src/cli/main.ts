// What `rekindle` does with its arguments: help and --version without reading
// the environment or loading any command, else the environment parsed once,
// the command loaded and run, and expected failures turned into one clear
// line and exit code 2. src/entry/cli.ts hands it the process.
import { readFileSync } from 'node:fs';
import { ConfigError, parseNodeEnv } from '../config/env.ts';
import { AppError } from '../core/errors.ts';
import { asksForHelp, commandList, commands } from './commands.ts';
import { type CliIO, UsageError } from './io.ts';

export interface CliProcess {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  interactive: boolean;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Runs one command line; returns the exit code. */
export async function runCli(argv: readonly string[], proc: CliProcess): Promise<number> {
  try {
    return await dispatch(argv, proc);
  } catch (error) {
    const parseError =
      error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
    if (
      error instanceof UsageError ||
      error instanceof ConfigError ||
      error instanceof AppError ||
      parseError
    ) {
      proc.stderr.write(`rekindle: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

async function dispatch(argv: readonly string[], proc: CliProcess): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    proc.stdout.write(commandList());
    return 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    proc.stdout.write(`rekindle ${version()}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    proc.stderr.write(`rekindle: unknown command '${name}'\n\n${commandList()}`);
    return 2;
  }
  // Before the environment is read or the command is even loaded: help runs nothing.
  if (asksForHelp(rest)) {
    proc.stdout.write(entry.help);
    return 0;
  }
  const config = parseNodeEnv(proc.env);
  const command = await entry.load();
  const { migrateLibsql, openLibsqlStore } = await import('../db/libsql.ts');
  const io: CliIO = {
    config,
    stdout: proc.stdout,
    stderr: proc.stderr,
    interactive: proc.interactive,
    now: Date.now,
    async openStore() {
      const store = await openLibsqlStore({
        url: config.DATABASE_URL,
        authToken: config.DATABASE_AUTH_TOKEN,
      });
      await migrateLibsql(store);
      return store;
    },
  };
  return command(rest, io);
}
