// A stand-in for WooCommerce's REST API list endpoints (wc/v3), as a fetch
// handler (served over loopback HTTP by serve-fetch.ts): GET customers,
// orders, products and products/<id>/variations answer a JSON array of the
// rows they hold, sorted by id, paged by `page` and `per_page` (default 10,
// at most 100: more is rest_invalid_param, HTTP 400), with the X-WP-Total and
// X-WP-TotalPages headers; a page past the end is an empty array. Orders,
// products and variations take `modified_after` (with dates_are_gmt=true,
// compared with date_modified_gmt); the customers list has no such filter
// and ignores it (woocommerce/woocommerce#41371). Bad Basic auth is 401
// woocommerce_rest_cannot_view. Sources: the WooCommerce REST API docs
// (wp-api-v3/_introduction.md "Pagination", and "List all customers",
// "List all orders", "List all products", "List all product variations").
// Its own: a 429 with Retry-After on demand (a host's rate limiter).

export type WooRow = Record<string, unknown> & { id: number; date_modified_gmt?: string };

export interface WooRestStandIn {
  handle(request: Request): Promise<Response>;
  customers: Map<number, WooRow>;
  orders: Map<number, WooRow>;
  products: Map<number, WooRow>;
  /** Variations by parent product id. */
  variations: Map<number, Map<number, WooRow>>;
  /** Every request: path, query and the status answered. */
  requests: { path: string; query: URLSearchParams; status: number; at: number }[];
  /** The next `n` requests are answered 429 with Retry-After: seconds. */
  throttleNext(n: number, retryAfterSeconds?: number): void;
}

const listsWithModifiedAfter = new Set(['orders', 'products', 'variations']);

export function createWooRestStandIn(options: { key?: string; secret?: string } = {}): WooRestStandIn {
  const expected = `Basic ${btoa(`${options.key ?? 'ck_standin'}:${options.secret ?? 'cs_standin'}`)}`;
  const stand: WooRestStandIn = {
    handle,
    customers: new Map(),
    orders: new Map(),
    products: new Map(),
    variations: new Map(),
    requests: [],
    throttleNext(n, retryAfterSeconds = 1) {
      throttle = { left: n, seconds: retryAfterSeconds };
    },
  };
  let throttle = { left: 0, seconds: 1 };

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      stand.requests.push({ path: url.pathname, query: url.searchParams, status, at: Date.now() });
      return Response.json(body, { status, headers });
    };
    const route = /^\/wp-json\/wc\/v3\/(customers|orders|products|products\/(\d+)\/variations)$/.exec(
      url.pathname,
    );
    if (!route || request.method !== 'GET') {
      return answer(404, {
        code: 'rest_no_route',
        message: 'No route was found matching the URL and request method.',
        data: { status: 404 },
      });
    }
    if (request.headers.get('authorization') !== expected) {
      return answer(401, {
        code: 'woocommerce_rest_cannot_view',
        message: 'Sorry, you cannot list resources.',
        data: { status: 401 },
      });
    }
    if (throttle.left > 0) {
      throttle.left--;
      return answer(
        429,
        { code: 'too_many_requests', message: 'Too many requests' },
        { 'retry-after': String(throttle.seconds) },
      );
    }
    const perPage = Number(url.searchParams.get('per_page') ?? 10);
    const page = Number(url.searchParams.get('page') ?? 1);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100 || !Number.isInteger(page) || page < 1) {
      return answer(400, {
        code: 'rest_invalid_param',
        message: 'Invalid parameter(s): per_page',
        data: {
          status: 400,
          params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' },
        },
      });
    }
    const list = route[2] ? 'variations' : route[1]!;
    const rows =
      list === 'variations'
        ? stand.variations.get(Number(route[2]))
        : (stand[list as 'customers' | 'orders' | 'products'] as Map<number, WooRow>);
    if (!rows) {
      return answer(404, {
        code: 'woocommerce_rest_product_invalid_id',
        message: 'Invalid ID.',
        data: { status: 404 },
      });
    }
    let selected = [...rows.values()].sort((a, b) => a.id - b.id);
    const after = url.searchParams.get('modified_after');
    if (after && listsWithModifiedAfter.has(list)) {
      const since = Date.parse(/Z|[+-]\d\d:?\d\d$/.test(after) ? after : `${after}Z`);
      selected = selected.filter((row) => Date.parse(`${row.date_modified_gmt}Z`) > since);
    }
    const totalPages = Math.ceil(selected.length / perPage);
    return answer(200, selected.slice((page - 1) * perPage, page * perPage), {
      'x-wp-total': String(selected.length),
      'x-wp-totalpages': String(totalPages),
    });
  }

  return stand;
}
