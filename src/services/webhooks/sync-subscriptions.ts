// Brings outgoing_event_subscriptions up to what the settings' `webhooks:`
// say (db/repositories/event-subscriptions.ts): the event writers join that
// table, so this is when an endpoint starts (or stops) receiving facts.
// Called by every deliverer as it starts (serve, a reload, the Worker's cron,
// `rekindle webhooks deliver`); one read, and writes only when something changed.
import type { WebhookEndpointSettings } from '../../core/campaigns/types.ts';
import {
  readSubscriptions,
  replaceSubscriptions,
  type Subscription,
} from '../../db/repositories/event-subscriptions.ts';
import type { Store } from '../../db/store.ts';

export async function syncSubscriptions(
  store: Store,
  endpoints: readonly WebhookEndpointSettings[] | undefined,
  now: number,
): Promise<{ changed: boolean }> {
  const wanted: Subscription[] = (endpoints ?? []).flatMap((endpoint) =>
    endpoint.events.map((eventType) => ({ endpoint: endpoint.url, eventType })),
  );
  const key = (s: Subscription) => `${s.endpoint}\u0000${s.eventType}`;
  const current = new Set((await readSubscriptions(store)).map(key));
  const same = current.size === wanted.length && wanted.every((s) => current.has(key(s)));
  if (same) return { changed: false };
  await store.batch(replaceSubscriptions(store, wanted, now));
  return { changed: true };
}
