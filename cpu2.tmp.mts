// Server CPU per request over HTTP (autocannon, 64 connections), per route, base tree vs new tree.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from '/work/h-api/node_modules/autocannon/autocannon.js';
import { firstLine } from '/work/h-api/bench/support/load.ts';
async function start(root: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', `${root}/bench/api-server-child.ts`, '20000'], { stdio: ['ignore', 'pipe', 'inherit'], cwd: root });
  const info = await firstLine<any>(child.stdout!, 'child');
  return { child, info };
}
const ticks = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return Number(f[11]) + Number(f[12]); };
async function measure(pid: number, url: string, next: () => any) {
  const before = ticks(pid);
  const r: any = await autocannon({ url, connections: 64, duration: 4, requests: [{ setupRequest: (q: any) => ({ ...q, ...next() }) }] });
  const cpuMs = (ticks(pid) - before) * 10;
  return { rps: r.requests.average, p99: r.latency.p99, us: (1000 * cpuMs) / r.requests.total, non2xx: r.non2xx };
}
const trees = { base: await start('/tmp/h-api/base'), new: await start('/work/h-api') };
const rows: Record<string, { rps: number[]; us: number[] }> = {};
for (let round = 0; round < 5; round++) {
  for (const [name, { child, info }] of Object.entries(trees)) {
    let i = 0, j = 0, k = 0;
    const routes: [string, string, () => any][] = [
      ['bare', `http://127.0.0.1:${info.barePort}/bare`, () => ({ method: 'GET', path: '/bare' })],
      ['click-index', `http://127.0.0.1:${info.appPort}`, () => ({ method: 'GET', path: (info.storedClickPaths ?? info.clickPaths)[k++ % 20000] })],
      ['validate', `http://127.0.0.1:${info.appPort}`, () => ({ method: 'POST', path: '/v1/coupons/validate', headers: { authorization: `Bearer ${info.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ code: info.codes[j++ % 20000], subtotal: '60.00', currency: 'GBP' }) })],
    ];
    if (info.storedClickPaths) routes.splice(1, 0, ['click-signed', `http://127.0.0.1:${info.appPort}`, () => ({ method: 'GET', path: info.clickPaths[i++ % 20000] })]);
    for (const [route, url, next] of routes) {
      const m = await measure(child.pid!, url, next);
      const key = `${name} ${route}`;
      rows[key] ??= { rps: [], us: [] };
      rows[key].rps.push(Math.round(m.rps)); rows[key].us.push(Math.round(m.us));
    }
  }
}
for (const [k, v] of Object.entries(rows)) console.log(k.padEnd(20), 'server cpu µs/req', v.us.join(' '), ' rps', v.rps.join(' '));
for (const { child } of Object.values(trees)) child.kill('SIGTERM');
