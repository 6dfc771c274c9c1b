// The `rekindle` command: parses the environment once, picks the command and
// turns expected failures into one clear line and a non-zero exit code.

import { couponsCommand } from '../cli/coupons.ts';
import { demoCommand } from '../cli/demo.ts';
import { importCommand } from '../cli/import.ts';
import type { CliIO, Command } from '../cli/io.ts';
import { UsageError } from '../cli/io.ts';
import { keysCommand } from '../cli/keys.ts';
import { migrateCommand } from '../cli/migrate.ts';
import { previewCommand } from '../cli/preview.ts';
import { reportCommand } from '../cli/report.ts';
import { sendCommand } from '../cli/send.ts';
import { sendTestCommand } from '../cli/send-test.ts';
import { serveCommand } from '../cli/serve.ts';
import { sweepCommand } from '../cli/sweep.ts';
import { validateCommand } from '../cli/validate.ts';
import { ConfigError, parseNodeEnv } from '../config/env.ts';
import { AppError } from '../core/errors.ts';
import { migrateLibsql, openLibsqlStore } from '../db/libsql.ts';

const commands: Record<string, Command> = {
  coupons: couponsCommand,
  demo: demoCommand,
  import: importCommand,
  migrate: migrateCommand,
  keys: keysCommand,
  report: reportCommand,
  send: sendCommand,
  'send-test': sendTestCommand,
  serve: serveCommand,
  sweep: sweepCommand,
  preview: previewCommand,
  validate: validateCommand,
};

const usage = `usage: rekindle <command> [options]

commands:
  ${Object.keys(commands).join('\n  ')}
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(
      name && name !== '--help' ? `rekindle: unknown command '${name}'\n\n${usage}` : usage,
    );
    return name && name !== '--help' ? 2 : 0;
  }
  const config = parseNodeEnv(process.env);
  const io: CliIO = {
    config,
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: Boolean(process.stderr.isTTY),
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

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof AppError) {
    process.stderr.write(`rekindle: ${error.message}\n`);
    process.exitCode = 2;
  } else if (
    error instanceof TypeError &&
    'code' in error &&
    String(error.code).startsWith('ERR_PARSE_ARGS')
  ) {
    process.stderr.write(`rekindle: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
