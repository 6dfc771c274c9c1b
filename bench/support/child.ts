// Runs a TypeScript benchmark part in its own Node process (through tsx), so
// its memory is measured alone. The child logs to stderr, which passes through,
// and prints one JSON value as its last stdout line.
import { spawn } from 'node:child_process';

export async function runChild<T>(script: string, args: readonly string[]): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    stdout += text;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`${script} exited with code ${code}`);
  const last = stdout.trim().split('\n').at(-1);
  if (!last) throw new Error(`${script} printed no result`);
  return JSON.parse(last) as T;
}
