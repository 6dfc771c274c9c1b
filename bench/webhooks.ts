// Benchmark `webhooks`: Shopify orders/create deliveries per second through
// the whole route (signature check, exact-id parse, delivery ledger, newer-
// state guard, ingest with its coupon rule, one atomic batch) on Node, 64
// connections on loopback (autocannon), beside a bare hono route that reads
// the same body and answers a constant, in the same run. Every delivery is a
// new order with its own id, webhook id and signature, made from the orders/
// create fixture (test/fixtures/shopify/). ratio = webhook req/s / bare req/s.
// Goal (issue 12): ratio >= 0.3 and p99 < 50 ms.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connections, expectOnly, firstLine, load } from './support/load.ts';
import type { BenchResult } from './support/result.ts';

const seconds = Number(process.env.BENCH_WEBHOOKS_SECONDS ?? 8);
const secret = 'bench-shopify-secret';
const fixture = readFileSync(new URL('../test/fixtures/shopify/orders-create.json', import.meta.url), 'utf8');
if (!/^ {2}"id": \d+,$/m.test(fixture))
  throw new Error('the orders/create fixture has no top-level numeric id');

let sequence = 0;

/** A new order: the fixture with its top-level id (above 2^53, as Shopify's are) replaced, signed. */
function nextDelivery(): { body: string; headers: Record<string, string> } {
  const n = ++sequence;
  const id = `${9_000_000_000_000_000n + BigInt(n)}`;
  const body = fixture
    .replace(/^ {2}"id": \d+,$/m, `  "id": ${id},`)
    .replace(/"gid:\/\/shopify\/Order\/\d+"/, `"gid://shopify/Order/${id}"`);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/create',
      'x-shopify-webhook-id': `bench-${process.pid}-${n}`,
      'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
    },
  };
}

export async function run(): Promise<BenchResult> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./webhooks-server-child.ts', import.meta.url).pathname, secret],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const info = await firstLine<{ appPort: number; barePort: number }>(
      child.stdout,
      'the webhooks server child',
    );
    const post = (path: string) => () => ({ method: 'POST' as const, path, ...nextDelivery() });
    const bare = await load(`http://127.0.0.1:${info.barePort}`, seconds, post('/bare'));
    const webhooks = await load(`http://127.0.0.1:${info.appPort}`, seconds, post('/webhooks/shopify'));
    expectOnly('bare', bare, '200');
    expectOnly('webhooks', webhooks, '200');
    return {
      name: 'webhooks',
      ratio: webhooks.rps / bare.rps,
      figures: {
        orders_rps: webhooks.rps,
        orders_p99_ms: webhooks.p99,
        bare_p99_ms: bare.p99,
        connections,
        body_bytes: Buffer.byteLength(fixture),
      },
      baseline: bare.rps,
    };
  } finally {
    child.kill();
  }
}
