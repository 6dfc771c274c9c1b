// Benchmark `api`: requests per second and p99 latency of the click redirect
// and of coupon validation, 64 connections on loopback (autocannon), beside a
// bare hono route returning a constant, measured in the same run against the
// same kind of server. ratio = the slower route's req/s / the bare route's,
// the click measured with tokens as delivery signs them now (the link signed
// in); clicks on tokens of older emails (the link read from the message) are
// measured too and reported beside it (click_stored_*), outside the ratio.
// Goal (issue 13): ratio >= 0.5 and p99 < 15 ms on both.
import { spawn } from 'node:child_process';
import { connections, expectOnly, firstLine, load } from './support/load.ts';
import type { BenchResult } from './support/result.ts';

const seconds = Number(process.env.BENCH_API_SECONDS ?? 8);

interface ServerInfo {
  appPort: number;
  barePort: number;
  key: string;
  clickPaths: string[];
  storedClickPaths: string[];
  codes: string[];
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
    const info = await firstLine<ServerInfo>(child.stdout, 'the api server child');
    const bare = await load(`http://127.0.0.1:${info.barePort}/bare`, seconds, () => ({
      method: 'GET',
      path: '/bare',
    }));
    let i = 0;
    const click = await load(`http://127.0.0.1:${info.appPort}`, seconds, () => ({
      method: 'GET',
      path: info.clickPaths[i++ % info.clickPaths.length]!,
    }));
    let k = 0;
    const stored = await load(`http://127.0.0.1:${info.appPort}`, seconds, () => ({
      method: 'GET',
      path: info.storedClickPaths[k++ % info.storedClickPaths.length]!,
    }));
    let j = 0;
    const validate = await load(`http://127.0.0.1:${info.appPort}`, seconds, () => ({
      method: 'POST',
      path: '/v1/coupons/validate',
      headers: { authorization: `Bearer ${info.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code: info.codes[j++ % info.codes.length], subtotal: '60.00', currency: 'GBP' }),
    }));
    expectOnly('bare', bare, '200');
    expectOnly('click', click, '302');
    expectOnly('click (stored link)', stored, '302');
    expectOnly('validate', validate, '200');
    const slower = Math.min(click.rps, validate.rps);
    return {
      name: 'api',
      ratio: slower / bare.rps,
      figures: {
        click_rps: click.rps,
        click_p99_ms: click.p99,
        click_stored_rps: stored.rps,
        click_stored_p99_ms: stored.p99,
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
