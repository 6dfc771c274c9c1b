// What every Shopify topic handler is handed, and what it answers. A handler
// translates its payload into Rekindle records and writes them, with the
// delivery's record and its version claims, through shared/webhook-ledger.ts.
import type { PlatformPorts } from '../shared/ports.ts';
import type { Delivery, DeliveryOutcome } from '../shared/webhook-ledger.ts';
import type { ShopifyConnector } from './config.ts';
import type { Payload } from './payload.ts';

export const platform = 'shopify';

export interface TopicContext {
  ports: PlatformPorts;
  config: ShopifyConnector;
  delivery: Delivery;
}

export interface TopicResult {
  /** applied, duplicate, stale (a newer state was there), or skipped (nothing to store, e.g. a test order). */
  outcome: DeliveryOutcome | 'skipped' | 'retry';
  /** Why, in a few words, without personal data. */
  note?: string;
}

export type TopicHandler = (ctx: TopicContext, payload: Payload) => Promise<TopicResult>;
