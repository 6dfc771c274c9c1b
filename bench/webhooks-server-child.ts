// The server side of the webhooks benchmark, in its own process so the load
// generator does not share its event loop: a temp libSQL file, the real
// createApp with the Shopify connector on one port and a bare hono route that
// reads the body and answers a constant on another. Prints one JSON line with
// the ports, then serves until killed.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { migrateLibsql, openLibsqlStore } from '../src/db/libsql.ts';
import { createApp } from '../src/http/create-app.ts';
import { shopSettings } from '../test/node/support/campaign-fixtures.ts';

const secret = process.argv[2] ?? 'bench-shopify-secret';
const dir = await mkdtemp(join(tmpdir(), 'rekindle-bench-webhooks-'));
const store = await openLibsqlStore({ url: `file:${join(dir, 'webhooks.db')}` });
await migrateLibsql(store);

const app = createApp({
  store,
  now: Date.now,
  campaigns: { settings: shopSettings({ currency: 'USD' }), campaigns: [] },
  shopify: { webhookSecret: secret, shopDomain: undefined },
  log: () => {},
});
const bare = new Hono();
bare.post('/bare', async (c) => {
  await c.req.arrayBuffer();
  return c.json({ ok: true });
});

const listen = (fetch: (request: Request) => Response | Promise<Response>) =>
  new Promise<number>((resolve) => {
    serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
const appPort = await listen(app.fetch);
const barePort = await listen(bare.fetch);
process.stdout.write(`${JSON.stringify({ appPort, barePort })}\n`);
process.on('SIGTERM', () => process.exit(0));
