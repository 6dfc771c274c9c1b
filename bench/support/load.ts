// Load on loopback with autocannon, as the api and webhooks benchmarks drive
// it: a one-second warm-up, then the measured run; and the child server's
// first stdout line, which tells the driver its ports.
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { log } from './log.ts';

export const connections = 64;

export interface Measured {
  rps: number;
  p99: number;
  statuses: Record<string, number>;
}

export type RequestSpec = {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
};

export async function load(url: string, seconds: number, next: () => RequestSpec): Promise<Measured> {
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

/** Throws unless every answer had `status`. */
export function expectOnly(name: string, measured: Measured, status: string): void {
  const other = Object.entries(measured.statuses).filter(([code]) => code !== status);
  if (other.length > 0) throw new Error(`${name}: unexpected statuses ${JSON.stringify(measured.statuses)}`);
}

export function firstLine<T>(stream: NodeJS.ReadableStream, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stream });
    lines.once('line', (line) => resolve(JSON.parse(line) as T));
    lines.once('close', () => reject(new Error(`${what} exited before it was ready`)));
  });
}
