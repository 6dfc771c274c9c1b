// `rekindle shopify sync`: backfills customers, products, orders and
// abandoned checkouts from the Admin GraphQL API, page by page. Each node is
// mapped onto the webhook payload's shape (sync-nodes.ts) and handed to the
// topic's own handler, so it is translated, version-claimed (newer state
// wins: a record already stored as new is "stale" and nothing is written) and
// written through the ingest verb exactly like a delivery; coupon codes on
// orders meet the one redemption rule there. After each page is written its
// endCursor is saved (shopify_sync_cursors), so a sync that stops goes on
// after the last page it finished; the cursor is dropped when a resource's
// last page is done, and the next sync reads from the start again and writes
// only what changed. Never logs a record.
import {
  clearShopifySyncCursor,
  readShopifySyncCursor,
  saveShopifySyncCursor,
} from '../../../db/repositories/shopify-sync-cursors.ts';
import type { PlatformPorts } from '../shared/ports.ts';
import type { ShopifyAdminApi } from './admin-api.ts';
import { receiveCheckout } from './checkouts.ts';
import { platform, type TopicHandler } from './context.ts';
import { receiveCustomer } from './customers.ts';
import { receiveOrder } from './orders.ts';
import { listOf, objectOf, type Payload, PayloadError, textOf } from './payload.ts';
import { receiveProduct } from './products.ts';
import { checkoutPayload, customerPayload, orderPayload, productPayload } from './sync-nodes.ts';
import { nestedConnection, type SyncResource, syncQuery, syncResources } from './sync-queries.ts';

const translations: Record<SyncResource, { toPayload: (node: Payload) => Payload; handler: TopicHandler }> = {
  customers: { toPayload: customerPayload, handler: receiveCustomer },
  orders: { toPayload: orderPayload, handler: receiveOrder },
  products: { toPayload: productPayload, handler: receiveProduct },
  abandoned_checkouts: { toPayload: checkoutPayload, handler: receiveCheckout },
};

export interface ResourceSummary {
  resource: SyncResource;
  /** Whether this run went on from a saved cursor. */
  resumed: boolean;
  /** Pages read and nodes in them, in this run. */
  pages: number;
  records: number;
  /** What the handlers did: written, already stored as new (nothing written), nothing to store, refused. */
  applied: number;
  stale: number;
  skipped: number;
  rejected: number;
  /** Nodes with more lines or variants than the query reads (stored with the first ones). */
  truncated: number;
  done: boolean;
}

export type SyncResult =
  | { ok: true; resources: ResourceSummary[] }
  /** Stopped: what is written stays, and the next sync goes on after the last whole page. */
  | { ok: false; reason: string; waitMs?: number | undefined; resources: ResourceSummary[] };

export interface ShopifySyncInput {
  api: ShopifyAdminApi;
  ports: PlatformPorts;
  /** The shop's myshopify.com domain, for product links. */
  shopDomain?: string | undefined;
  /** SHOPIFY_API_VERSION: from 2026-07 orders carry the checkout and cart tokens that convert carts. */
  apiVersion?: string | undefined;
  resources?: readonly SyncResource[] | undefined;
  /** Overrides the nodes per page (at most 250). */
  pageSize?: number | undefined;
  /** Called after each page is written. */
  onPage?: ((progress: ResourceSummary) => void) | undefined;
}

interface Connection {
  nodes?: unknown;
  pageInfo?: { hasNextPage?: unknown; endCursor?: unknown };
}

export async function syncShopify(input: ShopifySyncInput): Promise<SyncResult> {
  const summaries: ResourceSummary[] = [];
  for (const resource of input.resources ?? syncResources) {
    const stopped = await syncResource(input, resource, summaries);
    if (stopped) return { ok: false, ...stopped, resources: summaries };
  }
  return { ok: true, resources: summaries };
}

/** Pages one resource to its end; returns why it stopped when it could not. */
async function syncResource(
  input: ShopifySyncInput,
  resource: SyncResource,
  summaries: ResourceSummary[],
): Promise<{ reason: string; waitMs?: number | undefined } | null> {
  const { store } = input.ports;
  const { root, query, pageSize } = syncQuery(resource, input.apiVersion);
  const { toPayload, handler } = translations[resource];
  const first = Math.min(250, Math.max(1, input.pageSize ?? pageSize));
  const saved = await readShopifySyncCursor(store, resource);
  let after: string | null = saved?.after ?? null;
  const summary: ResourceSummary = {
    resource,
    resumed: saved !== undefined,
    pages: 0,
    records: 0,
    applied: 0,
    stale: 0,
    skipped: 0,
    rejected: 0,
    truncated: 0,
    done: false,
  };
  summaries.push(summary);
  const config = { webhookSecret: '', shopDomain: input.shopDomain };
  for (;;) {
    const answer = await input.api.graphql<Record<string, Connection | null>>(query, { first, after });
    if (!answer.ok) return { reason: `${resource}: ${answer.reason}`, waitMs: answer.waitMs };
    const connection = objectOf(answer.data[root]) as Connection | null;
    if (!connection) return { reason: `${resource}: Shopify's answer has no ${root} connection` };
    const nodes = listOf(connection.nodes);
    const nested = nestedConnection[resource];
    for (const node of nodes) {
      if (nested && objectOf(objectOf(node[nested])?.pageInfo)?.hasNextPage === true) summary.truncated++;
      const payload = toPayload(node);
      const now = input.ports.now();
      const delivery = {
        platform,
        // One ledger entry per record version, so a changed record syncs again.
        deliveryId: `sync:${resource}:${String(payload.id)}:${textOf(payload.updated_at) ?? ''}`,
        topic: `sync/${resource}`,
        now,
      };
      try {
        const result = await handler({ ports: input.ports, config, delivery }, payload);
        if (result.outcome === 'retry')
          return { reason: `${resource}: ${result.note ?? 'cannot be stored yet'}` };
        if (result.outcome === 'applied') summary.applied++;
        else if (result.outcome === 'skipped') summary.skipped++;
        else summary.stale++;
      } catch (error) {
        if (!(error instanceof PayloadError)) throw error;
        summary.rejected++;
        input.ports.log(`shopify sync: a ${resource} node was refused: ${error.message}`);
      }
    }
    summary.pages++;
    summary.records += nodes.length;
    const next = connection.pageInfo?.hasNextPage === true ? textOf(connection.pageInfo.endCursor) : null;
    if (next === null) {
      await clearShopifySyncCursor(store, resource);
      summary.done = true;
      input.onPage?.(summary);
      return null;
    }
    await saveShopifySyncCursor(store, {
      resource,
      after: next,
      records: nodes.length,
      now: input.ports.now(),
    });
    input.onPage?.(summary);
    after = next;
  }
}
