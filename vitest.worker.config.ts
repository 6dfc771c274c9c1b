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
