// Benchmark `api`: requests per second and p99 latency of the click redirect
// and of coupon validation, 64 connections on loopback (autocannon), beside a
// bare hono route returning a constant, measured in the same run against the
// same kind of server. ratio = the slower route's req/s / the bare route's.
// Goal: ratio >= 0.5 and p99 under 20 ms.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { log } from './support/log.ts';
import type { BenchResult } from './support/result.ts';

const connections = 64;
const seconds = Number(process.env.BENCH_API_SECONDS ?? 8);

interface ServerInfo {
  appPort: number;
  barePort: number;
  key: string;
  clickPaths: string[];
  codes: string[];
}

interface Measured {
  rps: number;
  p99: number;
  statuses: Record<string, number>;
}

export async function run(): Promise<BenchResult> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./api-server-child.ts', import.meta.url).pathname, '20000'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const info = await firstLine<ServerInfo>(child.stdout);
    const bare = await load(`http://127.0.0.1:${info.barePort}/bare`, () => ({
      method: 'GET',
      path: '/bare',
    }));
    let i = 0;
    const click = await load(`http://127.0.0.1:${info.appPort}`, () => ({
      method: 'GET',
      path: info.clickPaths[i++ % info.clickPaths.length]!,
    }));
    let j = 0;
    const validate = await load(`http://127.0.0.1:${info.appPort}`, () => ({
      method: 'POST',
      path: '/v1/coupons/validate',
      headers: { authorization: `Bearer ${info.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code: info.codes[j++ % info.codes.length], subtotal: '60.00', currency: 'GBP' }),
    }));
    const expectOnly = (name: string, m: Measured, status: string) => {
      const other = Object.entries(m.statuses).filter(([code]) => code !== status);
      if (other.length > 0) throw new Error(`${name}: unexpected statuses ${JSON.stringify(m.statuses)}`);
    };
    expectOnly('bare', bare, '200');
    expectOnly('click', click, '302');
    expectOnly('validate', validate, '200');
    const slower = Math.min(click.rps, validate.rps);
    return {
      name: 'api',
      ratio: slower / bare.rps,
      figures: {
        click_rps: click.rps,
        click_p99_ms: click.p99,
        validate_rps: validate.rps,
        validate_p99_ms: validate.p99,
        bare_p99_ms: bare.p99,
        connections,
      },
      baseline: bare.rps,
    };
  } finally {
    child.kill();
  }
}

type RequestSpec = { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string };

async function load(url: string, next: () => RequestSpec): Promise<Measured> {
  // A short warm-up first, so JIT and the SQLite page cache are not measured.
  await autocannon({
    url,
    connections,
    duration: 1,
    requests: [{ setupRequest: (r) => ({ ...r, ...next() }) }],
  });
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{ setupRequest: (r) => ({ ...r, ...next() }) }],
  });
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stat.count;
  if (result.errors > 0 || result.timeouts > 0) statuses.errors = result.errors + result.timeouts;
  log(`${url}: ${result.requests.average} req/s, p99 ${result.latency.p99} ms, ${JSON.stringify(statuses)}`);
  return { rps: result.requests.average, p99: result.latency.p99, statuses };
}

function firstLine<T>(stream: NodeJS.ReadableStream): Promise<T> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stream });
    lines.once('line', (line) => resolve(JSON.parse(line) as T));
    lines.once('close', () => reject(new Error('the api server child exited before it was ready')));
  });
}
