// The Node process's configuration, parsed once at each entry point and handed
// down. Nothing below the entry points reads process.env.
import { z } from 'zod';

const nodeEnvSchema = z.object({
  DATABASE_URL: z.string().min(1).default('file:./data/rekindle.db'),
  DATABASE_AUTH_TOKEN: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_BASE_URL: z.url().default('http://localhost:8787'),
  /** Signs tracking and unsubscribe tokens; required outside local use. */
  SIGNING_SECRET: z.string().min(16).optional(),
  SMTP_URL: z.string().optional(),
  OUTBOX_DIR: z.string().default('./data/outbox'),
  CAMPAIGNS_DIR: z.string().default('./campaigns'),
  EMAILS_DIR: z.string().default('./emails'),
});

export type NodeConfig = z.output<typeof nodeEnvSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseNodeEnv(env: Record<string, string | undefined>): NodeConfig {
  const parsed = nodeEnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`invalid environment:\n  ${lines.join('\n  ')}`);
}
