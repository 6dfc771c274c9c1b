// Progress and details go to stderr, so stdout carries only result lines.
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Redraws one status line on a terminal; prints nothing when piped. */
export function status(message: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${message}\x1b[K`);
}

export function endStatus(): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
}
