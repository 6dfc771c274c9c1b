// Types for the workerd-only modules the worker tests import. The repo's one
// tsconfig targets Node, and the official declarations (@cloudflare/workers-types,
// @cloudflare/vitest-pool-workers/types) are global and clash with Node's
// Request/Response, so only the few functions used here are declared, typed
// from workers-types' module exports. Never import this from src/.
declare module 'cloudflare:test' {
  import type { D1Database, ExecutionContext, ScheduledController } from '@cloudflare/workers-types';

  export interface D1Migration {
    name: string;
    queries: string[];
  }
  export function applyD1Migrations(
    db: D1Database,
    migrations: D1Migration[],
    migrationsTableName?: string,
  ): Promise<void>;
  export function createExecutionContext(): ExecutionContext;
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>;
  export function createScheduledController(options?: {
    scheduledTime?: Date | number;
    cron?: string;
  }): ScheduledController;
}

declare module 'cloudflare:workers' {
  import type { D1Migration } from 'cloudflare:test';
  import type { D1Database } from '@cloudflare/workers-types';

  /** The Worker's bindings from wrangler.toml plus the test-only ones in vitest.worker.config.ts. */
  export const env: {
    DB: D1Database;
    /** The fuzz test's own database (vitest.worker.config.ts). */
    FUZZ_DB: D1Database;
    /** A D1 no migration was ever applied to (vitest.worker.config.ts). */
    BARE_DB: D1Database;
    /** The webhooks test's own database (vitest.worker.config.ts). */
    EVENTS_DB: D1Database;
    PUBLIC_BASE_URL?: string;
    SIGNING_SECRET?: string;
    TEST_MIGRATIONS: D1Migration[];
  };
  /** Loopback bindings to the main module's exports: `exports.default` is the Worker itself. */
  export const exports: {
    default: { fetch(input: string | Request, init?: RequestInit): Promise<Response> };
  };
}
