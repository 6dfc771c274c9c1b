// The settings' `webhooks:` endpoints joined with their signing secrets from
// the environment, for the wiring of each home. Secrets live in variables of
// one family (core/webhooks/events.ts secretEnvPattern), collected once when
// the env is parsed; an endpoint whose variable is unset or too short is left
// out, with one line saying so for the operator. Its events are still
// written and wait: they go out once the secret is set. Never logs a secret.
import type { WebhookEndpointSettings } from '../core/campaigns/types.ts';
import { minSecretLength, type SigningEndpoint, secretEnvPattern } from '../core/webhooks/events.ts';

/** The environment's EVENTS_SIGNING_SECRET* variables, by name. */
export function webhookSecretsIn(env: Readonly<Record<string, unknown>>): Readonly<Record<string, string>> {
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (secretEnvPattern.test(name) && typeof value === 'string') secrets[name] = value;
  }
  return secrets;
}

export interface ResolvedEndpoints {
  /** The endpoints events are delivered to. */
  ready: SigningEndpoint[];
  /** One line per endpoint left out, naming it and its variable. */
  problems: string[];
}

export function resolveWebhookEndpoints(
  endpoints: readonly WebhookEndpointSettings[] | undefined,
  secrets: Readonly<Record<string, string>> | undefined,
): ResolvedEndpoints {
  const ready: SigningEndpoint[] = [];
  const problems: string[] = [];
  for (const endpoint of endpoints ?? []) {
    const secret = secrets?.[endpoint.secretEnv];
    const where = `webhooks: events for ${shown(endpoint.url)} wait and are not delivered`;
    if (secret === undefined || secret === '') {
      problems.push(`${where}: ${endpoint.secretEnv} (its secret_env) is not set`);
    } else if (secret.length < minSecretLength) {
      problems.push(`${where}: ${endpoint.secretEnv} must be at least ${minSecretLength} characters`);
    } else {
      ready.push({ url: endpoint.url, secret });
    }
  }
  return { ready, problems };
}

/** The URL without its query or fragment, which may hold a token: what a log line may show. */
function shown(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
