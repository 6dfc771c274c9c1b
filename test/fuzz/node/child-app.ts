// The app the Node fuzz runs talk to, in its own process: the same wiring as
// `rekindle serve` (src/entry/node-server.ts: campaign folder, MJML renderer,
// Node token signer, @hono/node-server on loopback) on the given libSQL file,
// so a request that aborts the process (the libSQL driver panics on stored
// text that is not UTF-8) is seen as a dead child, not a dead test runner.
// Three differences, each for repeatable cases: a fixed clock, opens and
// clicks written before the answer (not behind it, where a later case would
// see them land), and coupon rate limits high enough that fuzzing one key
// does not turn every coupon call into a 429. No schedules, no delivery.
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createMjmlRenderer } from '../../../src/adapters/templates/mjml-renderer.ts';
import { loadCampaigns } from '../../../src/config/campaign-loader.ts';
import { parseNodeEnv } from '../../../src/config/env.ts';
import { openLibsqlStore } from '../../../src/db/libsql.ts';
import { nodeTracking } from '../../../src/entry/node-server.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { fuzzNow } from '../seed.ts';

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const config = parseNodeEnv({
  DATABASE_URL: process.env.FUZZ_DATABASE_URL,
  SIGNING_SECRET: process.env.FUZZ_SIGNING_SECRET,
  PUBLIC_BASE_URL: 'https://mail.shop.example',
  CAMPAIGNS_DIR: root('campaigns'),
  EMAILS_DIR: root('emails'),
});
const loaded = await loadCampaigns({ dir: config.CAMPAIGNS_DIR, emailsDir: config.EMAILS_DIR });
if (!loaded.ok) throw new Error('the shipped campaigns must be valid');
const set = loaded.set;
const store = await openLibsqlStore({ url: config.DATABASE_URL });
const generous = { capacity: 1_000_000, refillPerSecond: 1_000_000 };
const app = createApp({
  store,
  now: () => fuzzNow,
  campaigns: () => set,
  tracking: nodeTracking(config),
  renderer: createMjmlRenderer({ emailsDir: config.EMAILS_DIR }),
  couponRateLimits: { perClient: generous, perCode: generous },
});
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`listening ${info.port}\n`);
});
