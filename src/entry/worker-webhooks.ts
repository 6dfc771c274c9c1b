// The Worker home's event delivery, for the cron handler: brings the
// subscriptions up to the bundled settings' `webhooks:` and says which
// endpoints wait for their secret, both once per isolate, then runs one
// bounded pass of deliverEvents over the global fetch on the invocation's D1
// meter. Runs before the mail drain, which takes whatever queries are left: a
// pass costs at most a few dozen. Wiring only.
import { resolveWebhookEndpoints } from '../config/webhook-endpoints.ts';
import type { WorkerConfig } from '../config/worker-env.ts';
import type { ShopSettings } from '../core/campaigns/types.ts';
import type { Store } from '../db/store.ts';
import type { QueryAllowance } from '../services/delivery/ports.ts';
import { deliverEvents } from '../services/webhooks/deliver-events.ts';
import type { EventCounts, EventFetch } from '../services/webhooks/ports.ts';
import { syncSubscriptions } from '../services/webhooks/sync-subscriptions.ts';

// Workers allow six connections at once and a bounded number of subrequests
// per invocation, shared with the mail provider's posts.
const workerEventSettings = { batchSize: 25, concurrency: 4, leaseMs: 120_000, timeoutMs: 10_000 };
export const maxEventsPerInvocation = 250;

const warned = new Set<string>();
const synced = new WeakSet<ShopSettings>();

export async function runWorkerWebhooks(input: {
  config: Pick<WorkerConfig, 'webhookSecrets'>;
  store: Store;
  settings: ShopSettings;
  now: () => number;
  queries: QueryAllowance;
  fetch?: EventFetch | undefined;
  log?: ((line: string) => void) | undefined;
}): Promise<EventCounts | undefined> {
  const log = input.log ?? ((line: string) => console.error(`rekindle: ${line}`));
  const endpoints = input.settings.webhooks;
  if (input.queries.left() < 1) return undefined;
  // The bundled settings change only with a deploy, which starts new isolates.
  if (!synced.has(input.settings)) {
    await syncSubscriptions(input.store, endpoints, input.now());
    synced.add(input.settings);
  }
  const { ready, problems } = resolveWebhookEndpoints(endpoints, input.config.webhookSecrets);
  for (const problem of problems) {
    if (!warned.has(problem)) log(problem);
    warned.add(problem);
  }
  if (ready.length === 0) return undefined;
  return deliverEvents({
    store: input.store,
    endpoints: ready,
    fetch: input.fetch ?? ((url, init) => fetch(url, init)),
    now: input.now,
    settings: workerEventSettings,
    limit: maxEventsPerInvocation,
    queries: input.queries,
  });
}
