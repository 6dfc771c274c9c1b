// The `rekindle` command: parses the environment once, picks the command and
// turns expected failures into one clear line and a non-zero exit code.

import { runCli } from '../cli/main.ts';

// \`rekindle report | head\`: the reader has gone; stop quietly, as other tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  interactive: Boolean(process.stderr.isTTY),
});
