// Setup file for the worker project: applies drizzle/ to the test D1 before
// each test file. applyD1Migrations records what it applied (d1_migrations,
// as `wrangler d1 migrations apply` does), so repeating it is a no-op.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
