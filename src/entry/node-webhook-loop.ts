// The event deliverer inside `rekindle serve`, beside the mail sender: on
// the campaign set current when it starts, it brings the subscriptions up to
// the settings' `webhooks:`, says once per endpoint whose secret is missing
// that its events wait, and runs the event loop over the global fetch for
// the endpoints that have one. A reload that brings a new set restarts it.
// Logs counts and endpoint URLs only, never a secret or an event's data.
import type { NodeConfig } from '../config/env.ts';
import { resolveWebhookEndpoints } from '../config/webhook-endpoints.ts';
import type { CampaignSet } from '../core/campaigns/types.ts';
import { loggableReason } from '../core/errors.ts';
import type { Store } from '../db/store.ts';
import { runEventLoop } from '../services/webhooks/event-loop.ts';
import type { EventFetch } from '../services/webhooks/ports.ts';
import { syncSubscriptions } from '../services/webhooks/sync-subscriptions.ts';
import { type LoopHandle, restartableLoop } from './restartable-loop.ts';

export async function startWebhookLoop(input: {
  config: Pick<NodeConfig, 'webhookSecrets'>;
  store: Store;
  set: CampaignSet;
  log: (line: string) => void;
  fetch?: EventFetch | undefined;
}): Promise<LoopHandle> {
  const { store, log } = input;
  // Said once per process and endpoint: a reload restarts the loop, not the reason to warn.
  const warned = new Set<string>();

  return restartableLoop(input.set, async (set, signal) => {
    const endpoints = set.settings.webhooks;
    try {
      await syncSubscriptions(store, endpoints, Date.now());
    } catch (error) {
      log(`webhooks: could not update the subscriptions: ${loggableReason(error)}`);
    }
    const { ready, problems } = resolveWebhookEndpoints(endpoints, input.config.webhookSecrets);
    for (const problem of problems) {
      if (!warned.has(problem)) log(problem);
      warned.add(problem);
    }
    if (ready.length === 0) return undefined;
    const done = runEventLoop({
      store,
      endpoints: ready,
      fetch: input.fetch ?? ((url, init) => fetch(url, init)),
      now: Date.now,
      signal,
      onPass: (c) =>
        log(
          `webhooks: claimed ${c.claimed}, delivered ${c.delivered}, retrying ${c.retrying}, failed ${c.failed}, pruned ${c.pruned}`,
        ),
      onError: (error) => log(`webhooks: pass failed: ${loggableReason(error)}`),
    });
    return { done };
  });
}
