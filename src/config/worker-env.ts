// The Worker's environment (bindings and vars from wrangler.toml / secrets),
// validated once at the Worker entry and handed down. Nothing below the entry
// reads `env`; this module must never import a driver or touch the database.
import type { D1Database } from '@cloudflare/workers-types';
import { z } from 'zod';
import { ConfigError } from './env.ts';

// A binding is an object from the runtime, not JSON: check the one method the
// D1 driver needs, so a missing or misnamed [[d1_databases]] fails here, named.
const d1Binding = z.custom<D1Database>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { prepare?: unknown }).prepare === 'function',
  { error: 'expected a D1 database binding; add [[d1_databases]] binding = "DB" to wrangler.toml' },
);

const workerEnvSchema = z.object({
  DB: d1Binding,
  // Both become required once tracking links and unsubscribe tokens are signed
  // on the edge; the rules match the Node config so one value works in both homes.
  PUBLIC_BASE_URL: z.url().optional(),
  SIGNING_SECRET: z.string().min(16).optional(),
});

export type WorkerConfig = z.output<typeof workerEnvSchema>;

export function parseWorkerEnv(env: unknown): WorkerConfig {
  const parsed = workerEnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`);
  throw new ConfigError(`invalid Worker environment:\n  ${lines.join('\n  ')}`);
}
