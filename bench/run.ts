// The benchmark harness: `npm run bench` runs every bench/<name>.ts, `npm run
// bench -- NAME...` runs the named ones. Each ends with one result line on
// stdout; details go to stderr. Benchmarks use temp databases; the one exception is the
// big demo shop the sweep bench reads, cached under ./data/bench (gitignored).
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from './support/log.ts';
import { type BenchResult, formatResultLine } from './support/result.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));

// Every top-level module but the harness and child-process parts is a benchmark.
const available = readdirSync(benchDir)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.endsWith('-child.ts'))
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();

const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  log(`unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}

let failed = false;
for (const name of requested.length > 0 ? requested : available) {
  log(`== ${name}`);
  try {
    const module = (await import(`./${name}.ts`)) as { run(): Promise<BenchResult> };
    const result = await module.run();
    process.stdout.write(`${formatResultLine(result)}\n`);
  } catch (error) {
    failed = true;
    log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}
process.exitCode = failed ? 1 : 0;
