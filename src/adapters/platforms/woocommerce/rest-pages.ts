// Reading one page of a WooCommerce REST API (wc/v3) list, for
// `rekindle woocommerce sync`, through shared/platform-fetch.ts with HTTP
// Basic auth from the REST key (WOO_KEY:WOO_SECRET; WooCommerce accepts it
// only over https, so WOO_URL must be https but for this machine).
//
// Shapes, from the WooCommerce REST API docs (woocommerce.github.io/
// woocommerce-rest-api-docs, wp-api-v3/_introduction.md "Pagination" and
// each resource's "List all" section): a list answers a JSON array; `page`
// and `per_page` (at most 100) page it, and the X-WP-Total and
// X-WP-TotalPages headers say how many rows and pages the query has.
// Orders and products take `modified_after` (ISO 8601; with
// `dates_are_gmt=true` it is compared with date_modified_gmt); customers do
// not (woocommerce/woocommerce#41371: the customers list has no modified_*
// filter, so every run reads all customers). `orderby=id&order=asc` keeps
// pages stable while rows are added at the end.
//
// A 429 (a host's rate limiter in front of WordPress) is waited out for its
// Retry-After; a 5xx or no answer is tried again after 1, 2, 4... s; a refused
// key (401/403), no REST API (404) or any other 4xx stops the run, named.
// Never logs, and never puts a credential or a body in a reason.
import { callPlatform, type FetchPort, isPassing, retryAfterMs } from '../shared/platform-fetch.ts';
import type { WooCheckoutConfig } from './checkout-coupons.ts';

export const wooPageSize = 100;

export type PageRead =
  | { kind: 'page'; rows: unknown[]; totalPages: number }
  | { kind: 'failed'; reason: string };

export interface RestReaderDeps {
  fetch: FetchPort;
  /** Waits `ms`; tests may hand in a recorder. */
  sleep: (ms: number) => Promise<void>;
  clock: () => number;
  /** Told of every wait, with why (for progress lines). */
  onWait?: ((ms: number, reason: string) => void) | undefined;
  /** Tries of one page before the run stops (default 6). */
  attempts?: number | undefined;
}

const maxRetryAfterMs = 300_000;

/** A reader of WooCommerce list pages: `path` under wp-json/wc/v3/, `query` beside page and per_page. */
export function wooRestReader(config: WooCheckoutConfig, deps: RestReaderDeps) {
  const base = new URL('wp-json/wc/v3/', config.url.endsWith('/') ? config.url : `${config.url}/`);
  const authorization = `Basic ${btoa(`${config.key}:${config.secret}`)}`;
  const attempts = deps.attempts ?? 6;

  return async function readPage(
    path: string,
    page: number,
    query: Record<string, string> = {},
  ): Promise<PageRead> {
    const url = new URL(path, base);
    for (const [name, value] of Object.entries({
      ...query,
      page: String(page),
      per_page: String(wooPageSize),
    })) {
      url.searchParams.set(name, value);
    }
    let reason = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const reply = await callPlatform(deps.fetch, url.href, {
        method: 'GET',
        headers: { accept: 'application/json', authorization },
      });
      let waitMs = 1000 * 2 ** (attempt - 1);
      if (reply.kind === 'unreachable') {
        reason = `WooCommerce: ${reply.reason}`;
      } else if (reply.status === 200 && Array.isArray(reply.body)) {
        const header = Number(reply.headers.get('x-wp-totalpages'));
        const totalPages = Number.isInteger(header) && header >= 0 ? header : undefined;
        // Without the header, a short page is the last.
        const fallback = reply.body.length < wooPageSize ? page : page + 1;
        return { kind: 'page', rows: reply.body, totalPages: totalPages ?? fallback };
      } else if (isPassing(reply.status)) {
        reason =
          reply.status === 429
            ? 'WooCommerce is rate limiting (HTTP 429)'
            : `WooCommerce is unavailable (HTTP ${reply.status})`;
        const after = retryAfterMs(reply.headers, deps.clock());
        if (after !== undefined) waitMs = Math.min(after, maxRetryAfterMs);
      } else {
        return { kind: 'failed', reason: refusedReason(reply.status, path, reply.body) };
      }
      if (attempt < attempts) {
        deps.onWait?.(waitMs, reason);
        await deps.sleep(waitMs);
      }
    }
    return {
      kind: 'failed',
      reason: `${reason}; gave up after ${attempts} tries of GET ${path} page ${page}`,
    };
  };
}

function refusedReason(status: number, path: string, body: unknown): string {
  if (status === 401 || status === 403)
    return `WooCommerce refused the REST key (HTTP ${status}): check WOO_KEY and WOO_SECRET (read access)`;
  if (status === 404) return `no WooCommerce REST API at WOO_URL (GET ${path}: HTTP 404)`;
  const code = (body as { code?: unknown } | undefined)?.code;
  const said = typeof code === 'string' ? code.slice(0, 100) : 'not a list';
  return `WooCommerce answered GET ${path} with HTTP ${status} (${said})`;
}
