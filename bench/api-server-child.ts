// The server side of the api benchmark, in its own process so the load
// generator does not share its event loop: a temp libSQL file seeded with sent
// messages (with links) and live coupons, the real createApp on one port and
// a bare hono route returning a constant on another. Prints one JSON line with
// the ports and what the clients may ask for, then serves until killed.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { nodeTokenSigner } from '../src/adapters/crypto/node-signer.ts';
import { trackingPaths } from '../src/core/tracking/tokens.ts';
import { migrateLibsql, openLibsqlStore } from '../src/db/libsql.ts';
import { createApiKey } from '../src/db/repositories/api-keys.ts';
import { chunkForParams, columnCount } from '../src/db/repositories/upsert-helpers.ts';
import { coupons, messages } from '../src/db/schema/index.ts';
import { createApp } from '../src/http/create-app.ts';
import { writeEngagementBehind } from '../src/services/tracking/engagement-recorder.ts';

const count = Number(process.argv[2] ?? 5000);
const baseUrl = 'http://127.0.0.1';
const now = Date.now();

const dir = await mkdtemp(join(tmpdir(), 'rekindle-bench-api-'));
const store = await openLibsqlStore({ url: `file:${join(dir, 'api.db')}` });
await migrateLibsql(store);

const messageRows = Array.from({ length: count }, (_, i) => ({
  id: `m${i}`,
  dedupeKey: `winback:0:c${i}:episode`,
  campaignId: 'winback',
  step: 0,
  customerId: `c${i}`,
  email: `shopper${i}@example.com`,
  triggerKind: 'dormant',
  triggerRef: 'episode',
  status: 'sent' as const,
  dueAt: now - 3_600_000,
  sentAt: now - 3_600_000,
  links: JSON.stringify(['https://shop.example/', `https://shop.example/products/${i}`]),
  couponCode: `BENCH-${String(i).padStart(6, '0')}`,
  createdAt: now - 3_600_000,
  updatedAt: now - 3_600_000,
}));
const couponRows = messageRows.map((m) => ({
  code: m.couponCode,
  campaignId: 'winback',
  messageId: m.id,
  kind: 'percent_off' as const,
  value: 15,
  currency: 'GBP',
  expiresAt: now + 14 * 86_400_000,
  createdAt: now,
}));
await store.batch([
  ...chunkForParams(messageRows, columnCount(messages), store.limits).map((c) =>
    store.db.insert(messages).values(c),
  ),
  ...chunkForParams(couponRows, columnCount(coupons), store.limits).map((c) =>
    store.db.insert(coupons).values(c),
  ),
]);
const key = await createApiKey(store, { name: 'bench', scopes: ['coupons'], now });
const signer = nodeTokenSigner('bench-signing-secret-0123456789');
// Click tokens as the delivery homes now sign them (the link signed in, no
// database read), and as emails sent before that hold them (the link's index,
// read from the message).
const clickPaths: string[] = [];
const storedClickPaths: string[] = [];
for (const [i, m] of messageRows.entries()) {
  const linkIndex = i % 2;
  const target = (JSON.parse(m.links) as string[])[linkIndex]!;
  clickPaths.push(
    trackingPaths.click(await signer.sign({ purpose: 'click', messageId: m.id, linkIndex, target })),
  );
  storedClickPaths.push(
    trackingPaths.click(await signer.sign({ purpose: 'click', messageId: m.id, linkIndex })),
  );
}

// One platform key drives all checkouts here, so the per-client bucket is set
// to a busy shop's rate; the per-code bucket keeps its default.
// Clicks are stored as `rekindle serve` stores them: queued, written in batches.
const app = createApp({
  store,
  now: Date.now,
  engagement: writeEngagementBehind(store, { log: (line) => process.stderr.write(`${line}\n`) }),
  tracking: { signer, baseUrl, clientIp: () => '127.0.0.1' },
  couponRateLimits: {
    perClient: { capacity: 1_000_000, refillPerSecond: 1_000_000 },
    perCode: { capacity: 20, refillPerSecond: 20 / 60 },
  },
});
const bare = new Hono();
bare.get('/bare', (c) => c.text('ok'));

const listen = (fetch: (request: Request) => Response | Promise<Response>) =>
  new Promise<number>((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
    server.on('error', (error) => {
      throw error;
    });
  });
const appPort = await listen(app.fetch);
const barePort = await listen(bare.fetch);
process.stdout.write(
  `${JSON.stringify({
    appPort,
    barePort,
    key: key.secret,
    clickPaths,
    storedClickPaths,
    codes: couponRows.map((c) => c.code),
  })}\n`,
);
// Exit cleanly when the driver is done, so --cpu-prof can write its profile.
process.on('SIGTERM', () => process.exit(0));
