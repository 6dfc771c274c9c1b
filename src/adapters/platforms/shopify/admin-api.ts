// The Shopify Admin GraphQL API client: POST
// https://{shop}/admin/api/{version}/graphql.json with the custom app's
// X-Shopify-Access-Token, through the fetch port, on Node and on the Worker.
// It honours the cost-based throttle (shopify.dev/docs/apps/build/apis/
// graphql-admin/rate-limits): every answer carries extensions.cost
// { requestedQueryCost, actualQueryCost, throttleStatus { maximumAvailable,
// currentlyAvailable, restoreRate } }; a call whose cost the bucket cannot
// cover is answered 200 with errors [{ message: "Throttled", extensions:
// { code: "THROTTLED" } }], and is worth repeating after
// (requestedQueryCost - currentlyAvailable) / restoreRate seconds. The client
// waits that out itself when it is short (and waits before a call the bucket
// it last saw cannot cover), else reports how long to wait. Everything that
// goes wrong is a value: `retry` says whether it is worth another go.
import { callPlatform, type FetchPort, isPassing, retryAfterMs } from '../shared/platform-fetch.ts';

export interface ShopifyAdminConfig {
  /** my-shop.myshopify.com */
  shopDomain: string;
  adminToken: string;
  /** 2025-10 */
  apiVersion: string;
  /** Overrides https://{shopDomain} (the tests' loopback stand-in). */
  baseUrl?: string | undefined;
}

export type AdminResult<T> =
  | { ok: true; data: T }
  /** The call did nothing: `waitMs` is how long the platform asked for, when it said. */
  | { ok: false; reason: string; waitMs?: number | undefined };

export interface ShopifyAdminApi {
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<AdminResult<T>>;
}

interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface GraphqlBody {
  data?: unknown;
  errors?: { message?: string; extensions?: { code?: string } }[] | string;
  extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } };
}

export interface AdminApiDeps {
  fetch: FetchPort;
  sleep: (ms: number) => Promise<void>;
  /** Wall time, for the bucket's refill between calls. */
  clock?: (() => number) | undefined;
  /** The longest throttle wait taken in place; a longer one is reported instead. Default 10 s. */
  maxWaitMs?: number | undefined;
}

/** A mutation's cost before the first answer says otherwise (Shopify: mutations cost 10). */
const assumedCost = 10;
const throttleRetries = 5;

export function createShopifyAdminApi(config: ShopifyAdminConfig, deps: AdminApiDeps): ShopifyAdminApi {
  const clock = deps.clock ?? Date.now;
  const maxWaitMs = deps.maxWaitMs ?? 10_000;
  const url = `${config.baseUrl ?? `https://${config.shopDomain}`}/admin/api/${config.apiVersion}/graphql.json`;
  let bucket: { status: ThrottleStatus; at: number } | undefined;
  const costs = new Map<string, number>();

  /** Ms until the bucket, as last seen and refilled since, holds `cost`. */
  const shortfallMs = (cost: number): number => {
    if (!bucket || bucket.status.restoreRate <= 0) return 0;
    const { status, at } = bucket;
    const refilled = Math.min(
      status.maximumAvailable,
      status.currentlyAvailable + ((clock() - at) / 1000) * status.restoreRate,
    );
    return refilled >= cost ? 0 : Math.ceil(((cost - refilled) / status.restoreRate) * 1000);
  };

  return {
    async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<AdminResult<T>> {
      for (let attempt = 0; ; attempt++) {
        const ahead = shortfallMs(costs.get(query) ?? assumedCost);
        if (ahead > maxWaitMs) return { ok: false, reason: 'Shopify throttled the Admin API', waitMs: ahead };
        if (ahead > 0) await deps.sleep(ahead);
        const reply = await callPlatform(deps.fetch, url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-shopify-access-token': config.adminToken },
          body: JSON.stringify({ query, variables }),
        });
        if (reply.kind === 'unreachable') return { ok: false, reason: `Shopify: ${reply.reason}` };
        const { status } = reply;
        if (status === 401 || status === 403) {
          return {
            ok: false,
            reason: `Shopify refused the Admin API token (HTTP ${status}): check SHOPIFY_ADMIN_TOKEN and its write_discounts scope`,
          };
        }
        if (status !== 200 && status !== 429) {
          const why = isPassing(status) ? 'Shopify is unavailable' : 'Shopify did not take the call';
          return {
            ok: false,
            reason: `${why} (HTTP ${status})`,
            waitMs: retryAfterMs(reply.headers, clock()),
          };
        }
        const body = (reply.body ?? {}) as GraphqlBody;
        const cost = body.extensions?.cost;
        if (cost?.throttleStatus) bucket = { status: cost.throttleStatus, at: clock() };
        if (typeof cost?.requestedQueryCost === 'number') costs.set(query, cost.requestedQueryCost);
        const errors = Array.isArray(body.errors)
          ? body.errors
          : body.errors
            ? [{ message: body.errors }]
            : [];
        const throttled = status === 429 || errors.some((e) => e.extensions?.code === 'THROTTLED');
        if (throttled) {
          const requested = cost?.requestedQueryCost ?? costs.get(query) ?? assumedCost;
          // The documented wait; a throttle with a bucket that looks full gets a short pause.
          const wait = Math.max(shortfallMs(requested), retryAfterMs(reply.headers, clock()) ?? 0) || 250;
          if (wait > maxWaitMs || attempt >= throttleRetries) {
            return { ok: false, reason: 'Shopify throttled the Admin API', waitMs: wait };
          }
          await deps.sleep(wait);
          continue;
        }
        if (errors.length > 0 || body.data === undefined || body.data === null) {
          const said = errors.map((e) => e.extensions?.code ?? e.message ?? 'error').join(', ');
          return { ok: false, reason: `Shopify answered with errors: ${said || 'no data'}`.slice(0, 300) };
        }
        return { ok: true, data: body.data as T };
      }
    },
  };
}
