// The `worker` test project: tests run inside workerd (Miniflare) against the
// Worker built from wrangler.toml, on a local D1 migrated from the same
// drizzle/ folder the Node home and `wrangler d1 migrations apply` use.
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineProject } from 'vitest/config';

const migrationsDir = fileURLToPath(new URL('./drizzle', import.meta.url));

export default defineProject({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: './wrangler.toml' },
      // Never reach a real Cloudflare account from tests.
      remoteBindings: false,
      miniflare: {
        // A test-only binding: the setup file applies these to env.DB.
        bindings: { TEST_MIGRATIONS: await readD1Migrations(migrationsDir) },
        // The fuzz test's own database: its "a rejected request changed no
        // table" check must not see other test files' writes to DB. BARE_DB
        // is never migrated: a new D1 before \`wrangler d1 migrations apply\`.
        // EVENTS_DB is the webhooks test's: the event subscriptions are one
        // table for the whole database, which a cron run in another file resets.
        d1Databases: ['FUZZ_DB', 'BARE_DB', 'EVENTS_DB'],
        // Every outbound fetch lands here, never on the network. The stand-in
        // mail provider at mail-standin.test accepts MIME and answers with an
        // id that says what it saw, so a test in workerd can check the post.
        outboundService: standInProvider,
      },
    })),
  ],
  test: {
    name: 'worker',
    include: ['test/worker/**/*.test.ts'],
    setupFiles: ['./test/worker/apply-migrations.ts'],
    // Starting workerd dominates the first test on a cold, 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

async function standInProvider(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.hostname !== 'mail-standin.test') return new Response('no network in tests', { status: 502 });
  const mime = await request.text();
  const seen = [
    request.headers.get('content-type') === 'message/rfc822' ? 'rfc822' : 'not-rfc822',
    /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m.test(mime) ? 'one-click' : 'no-one-click',
    /multipart\/alternative/.test(mime) ? 'alternative' : 'single-part',
    /text\/html/.test(mime) && /text\/plain/.test(mime) ? 'html+text' : 'missing-part',
  ];
  return Response.json({ id: `standin:${seen.join(',')}` }, { status: 202 });
}
