// What the event deliverer is handed: the store, the endpoints it may deliver
// to (with their secrets; one whose secret is missing is left out by the
// wiring, and its events wait), a fetch (the global one in both homes, a stub
// in tests), the clocks, and the knobs. Types and defaults only.
import type { SigningEndpoint } from '../../core/webhooks/events.ts';
import type { Store } from '../../db/store.ts';
import type { QueryAllowance } from '../delivery/ports.ts';

/** The shape of the global fetch this needs. */
export type EventFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface EventDeliverySettings {
  /** Deliveries claimed at once. */
  batchSize: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** How long a claim holds before another deliverer may take the row over. */
  leaseMs: number;
  /** A request not answered by then is a failed try. */
  timeoutMs: number;
}

export const defaultEventDeliverySettings: EventDeliverySettings = {
  batchSize: 50,
  concurrency: 4,
  leaseMs: 120_000,
  timeoutMs: 10_000,
};

export interface DeliverEventsDeps {
  store: Store;
  endpoints: readonly SigningEndpoint[];
  fetch: EventFetch;
  /** Business time: due dates, leases, what is recorded. */
  now: () => number;
  /** Wall time for the signature's timestamp; Date.now by default. */
  clock?: (() => number) | undefined;
  /** Jitter for the retry delays; Math.random by default. */
  random?: (() => number) | undefined;
  settings?: Partial<EventDeliverySettings> | undefined;
  /** At most this many deliveries are claimed in one pass. */
  limit?: number | undefined;
  /** Stops claiming; claimed deliveries not yet started go back as they were. */
  signal?: AbortSignal | undefined;
  /** Queries the pass may still make (the Worker's D1 meter); unlimited when absent. */
  queries?: QueryAllowance | undefined;
}

export interface EventCounts {
  claimed: number;
  delivered: number;
  /** Failed tries scheduled again with backoff. */
  retrying: number;
  /** Given up: still failing giveUpAfterMs after the event was written. */
  failed: number;
  /** Claimed but not tried (stopped, or the endpoint failed earlier in the pass): due as before. */
  released: number;
  /** Old rows deleted. */
  pruned: number;
}

export function emptyEventCounts(): EventCounts {
  return { claimed: 0, delivered: 0, retrying: 0, failed: 0, released: 0, pruned: 0 };
}
