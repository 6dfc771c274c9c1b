// The Worker's environment (bindings and vars from wrangler.toml / secrets),
// validated once at the Worker entry and handed down. Nothing below the entry
// reads `env`; this module must never import a driver or touch the database.
import type { D1Database } from '@cloudflare/workers-types';
import { z } from 'zod';
import { browseEnv, ConfigError, publicBaseUrl, shopifyEnv, wooCommerceEnv } from './env.ts';
import { webhookSecretsIn } from './webhook-endpoints.ts';

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
  PUBLIC_BASE_URL: publicBaseUrl.optional(),
  SIGNING_SECRET: z.string().min(16).optional(),
  /** The mail provider endpoint the HTTP transport posts each message to. */
  MAIL_HTTP_URL: z.url().optional(),
  /** Sent as `Authorization: Bearer <token>`; a secret. */
  MAIL_HTTP_TOKEN: z.string().min(1).optional(),
  /** mime: the raw message as message/rfc822; json: { from, to, message_id, raw }. */
  MAIL_HTTP_FORMAT: z.enum(['mime', 'json']).default('mime'),
  UNSUBSCRIBE_MAILTO: z.string().min(3).optional(),
  /**
   * D1 queries one Cron Trigger invocation may make in all, sweeps and
   * delivery together, counted by one meter (the platform allows 1000 on the
   * paid plan, 50 on the free one).
   */
  QUERY_BUDGET: z.coerce.number().int().min(10).max(1000).default(1000),
  /**
   * The sweeps' share of QUERY_BUDGET (capped at it): delivery always keeps
   * the rest, and gets whatever the sweeps leave unused.
   */
  SWEEP_QUERY_BUDGET: z.coerce.number().int().min(10).max(1000).default(800),
  /** Hits per sweep page on D1: a page is a few queries, however many rows it holds. */
  SWEEP_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  ...shopifyEnv,
  ...wooCommerceEnv,
  ...browseEnv,
});

export type WorkerConfig = z.output<typeof workerEnvSchema> & {
  /** The EVENTS_SIGNING_SECRET* secrets the settings' webhooks may name (config/webhook-endpoints.ts). */
  webhookSecrets?: Readonly<Record<string, string>> | undefined;
};

export function parseWorkerEnv(env: unknown): WorkerConfig {
  const parsed = workerEnvSchema.safeParse(env);
  if (parsed.success)
    return { ...parsed.data, webhookSecrets: webhookSecretsIn(env as Record<string, unknown>) };
  const lines = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`);
  throw new ConfigError(`invalid Worker environment:\n  ${lines.join('\n  ')}`);
}
