// A stand-in for WooCommerce's coupons batch endpoint, as a fetch handler
// (served over loopback HTTP by serve-fetch.ts). POST
// /wp-json/wc/v3/coupons/batch { create: [...] } answers { create: [...] } in
// request order: the created coupon with its id, or { id: 0, error: { code,
// message, data: { status } } }; a code taken is
// woocommerce_rest_coupon_code_already_exists ("The coupon code already
// exists", status 400); codes are stored lower case (wc_format_coupon_code).
// More than 100 items is woocommerce_rest_request_entity_too_large, HTTP 413.
// Bad Basic auth is 401 woocommerce_rest_cannot_create. Sources: the
// WooCommerce REST API docs ("Coupons", "Batch update coupons") and
// WC_REST_Controller::batch_items / check_batch_limit in WooCommerce's source.
// Its own: a 429 with Retry-After on demand (a host's rate limiter in front
// of WordPress), and an outage.

export interface StandInCoupon {
  id: number;
  code: string;
  [field: string]: unknown;
}

export interface WooStandIn {
  handle(request: Request): Promise<Response>;
  /** Coupons held, by lower-case code. */
  coupons: Map<string, StandInCoupon>;
  /** Each batch request that was answered 200: how many items it created or refused. */
  batches: { items: number }[];
  /** Every request, with the status it got. */
  requests: { status: number }[];
  /** The next `n` requests are answered 429 with Retry-After: seconds. */
  throttleNext(n: number, retryAfterSeconds?: number): void;
  /** The next `n` requests are answered this status. */
  failNext(n: number, status?: number): void;
}

export function createWooStandIn(options: { key?: string; secret?: string } = {}): WooStandIn {
  const expected = `Basic ${btoa(`${options.key ?? 'ck_standin'}:${options.secret ?? 'cs_standin'}`)}`;
  const coupons = new Map<string, StandInCoupon>();
  const batches: { items: number }[] = [];
  const requests: { status: number }[] = [];
  let throttle = { left: 0, seconds: 1 };
  let failures = { left: 0, status: 503 };
  let serial = 700;

  const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    requests.push({ status });
    return Response.json(body, { status, headers });
  };

  async function handle(request: Request): Promise<Response> {
    if (new URL(request.url).pathname !== '/wp-json/wc/v3/coupons/batch' || request.method !== 'POST') {
      return answer(404, {
        code: 'rest_no_route',
        message: 'No route was found matching the URL and request method.',
        data: { status: 404 },
      });
    }
    if (request.headers.get('authorization') !== expected) {
      return answer(401, {
        code: 'woocommerce_rest_cannot_create',
        message: 'Sorry, you are not allowed to create resources.',
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
    if (failures.left > 0) {
      failures.left--;
      return answer(failures.status, { code: 'internal_server_error', message: 'Service unavailable' });
    }
    const body = (await request.json()) as { create?: Record<string, unknown>[] };
    const create = body.create ?? [];
    if (create.length > 100) {
      return answer(413, {
        code: 'woocommerce_rest_request_entity_too_large',
        message: 'Unable to accept more than 100 items for this request.',
        data: { status: 413 },
      });
    }
    const results = create.map((item) => {
      const code = String(item.code ?? '').toLowerCase();
      if (!code) {
        return {
          id: 0,
          error: {
            code: 'woocommerce_rest_empty_coupon_code',
            message: 'The coupon code cannot be empty.',
            data: { status: 400 },
          },
        };
      }
      if (coupons.has(code)) {
        return {
          id: 0,
          error: {
            code: 'woocommerce_rest_coupon_code_already_exists',
            message: 'The coupon code already exists',
            data: { status: 400 },
          },
        };
      }
      const coupon: StandInCoupon = {
        ...item,
        id: serial++,
        code,
        usage_count: 0,
        used_by: [],
        meta_data: [],
      };
      coupons.set(code, coupon);
      return coupon;
    });
    batches.push({ items: create.length });
    return answer(200, { create: results });
  }

  return {
    handle,
    coupons,
    batches,
    requests,
    throttleNext(n, retryAfterSeconds = 1) {
      throttle = { left: n, seconds: retryAfterSeconds };
    },
    failNext(n, status = 503) {
      failures = { left: n, status };
    },
  };
}
