// Coupons at the WooCommerce checkout: the CheckoutCodes port
// (core/delivery/checkout-codes.ts) over the WooCommerce REST API. Every
// Rekindle coupon becomes one WooCommerce coupon, created in batches through
// POST /wp-json/wc/v3/coupons/batch { create: [...] }, at most 100 a request
// (WooCommerce refuses more: woocommerce_rest_batch_items_limit, default
// 100, error woocommerce_rest_request_entity_too_large, HTTP 413), with HTTP
// Basic auth from the REST key (WOO_KEY:WOO_SECRET), which WooCommerce only
// accepts over https.
//
// Shapes, from the WooCommerce REST API docs (woocommerce.github.io/
// woocommerce-rest-api-docs, "Coupons": coupon properties and "Batch update
// coupons"): a coupon is { code, discount_type: percent | fixed_cart |
// fixed_product, amount (a decimal string, also for a percentage),
// date_expires, individual_use, usage_limit, usage_limit_per_user,
// free_shipping, minimum_amount, email_restrictions, description }; the batch
// answers { create: [...] } in request order, each item the created coupon
// (with its id) or { id: 0, error: { code, message, data: { status } } }
// (WC_REST_Controller::batch_items in WooCommerce's source). A code that is
// taken answers woocommerce_rest_coupon_code_already_exists ("The coupon code
// already exists"): counted as existing, since codes are random and a
// repeated call after a lost answer sees exactly that.
//
// What a call comes to: each item created, existed or failed (WooCommerce's
// reason); a 429 or 5xx, no answer, a refused key (401/403) or no REST API at
// WOO_URL (404): retry later, honouring Retry-After. A free_shipping coupon
// is a fixed_cart coupon of 0 with free_shipping true (which only takes
// effect where the shop's free shipping method requires a coupon). A coupon
// with an amount in another currency than the shop's fails
// (core currencyProblem).
import {
  type CheckoutCodes,
  type CheckoutCoupon,
  type CheckoutOutcome,
  currencyProblem,
} from '../../../core/delivery/checkout-codes.ts';
import { fromMinorUnits } from '../../../core/money.ts';
import { callPlatform, type FetchPort, retryAfterMs } from '../shared/platform-fetch.ts';

export const wooPlatform = 'woocommerce';
export const maxCouponsPerBatch = 100;

export interface WooCheckoutConfig {
  /** The shop's base URL, https://shop.example (WordPress's home). */
  url: string;
  key: string;
  secret: string;
}

interface BatchItem {
  id?: number;
  code?: string;
  error?: { code?: string; message?: string; data?: { status?: number } };
}

export function createWooCheckoutCodes(
  config: WooCheckoutConfig,
  deps: {
    fetch: FetchPort;
    /** The settings file's currency, which must be the shop's: WooCommerce counts coupon amounts in it. */
    shopCurrency: string;
    clock?: (() => number) | undefined;
  },
): CheckoutCodes {
  const endpoint = new URL(
    'wp-json/wc/v3/coupons/batch',
    config.url.endsWith('/') ? config.url : `${config.url}/`,
  ).href;
  const authorization = `Basic ${btoa(`${config.key}:${config.secret}`)}`;
  const clock = deps.clock ?? Date.now;
  return {
    platform: wooPlatform,
    async ensure(given) {
      const outcomes = new Map<string, CheckoutOutcome>();
      const coupons: CheckoutCoupon[] = [];
      for (const coupon of given) {
        const problem = currencyProblem(coupon, deps.shopCurrency);
        if (problem) outcomes.set(coupon.code, { kind: 'failed', reason: `WooCommerce: ${problem}` });
        else coupons.push(coupon);
      }
      for (let i = 0; i < coupons.length; i += maxCouponsPerBatch) {
        const chunk = coupons.slice(i, i + maxCouponsPerBatch);
        const stop = await createBatch(chunk, outcomes);
        if (stop) {
          // Throttled or down: the rest waits without more calls.
          for (const coupon of coupons.slice(i + maxCouponsPerBatch)) outcomes.set(coupon.code, stop);
          break;
        }
      }
      return outcomes;
    },
  };

  async function createBatch(
    chunk: readonly CheckoutCoupon[],
    outcomes: Map<string, CheckoutOutcome>,
  ): Promise<Extract<CheckoutOutcome, { kind: 'retry_later' }> | undefined> {
    const reply = await callPlatform(deps.fetch, endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ create: chunk.map(wooCoupon) }),
    });
    const later = (reason: string, waitMs?: number) => {
      const outcome = { kind: 'retry_later' as const, reason, waitMs };
      for (const coupon of chunk) outcomes.set(coupon.code, outcome);
      return outcome;
    };
    if (reply.kind === 'unreachable') return later(`WooCommerce: ${reply.reason}`);
    const { status } = reply;
    const wait = retryAfterMs(reply.headers, clock());
    if (status === 429) return later('WooCommerce is rate limiting (HTTP 429)', wait);
    if (status >= 500) return later(`WooCommerce is unavailable (HTTP ${status})`, wait);
    if (status === 401 || status === 403) {
      return later(
        `WooCommerce refused the REST key (HTTP ${status}): check WOO_KEY and WOO_SECRET (read/write)`,
      );
    }
    if (status === 404) return later('no WooCommerce REST API at WOO_URL (HTTP 404)');
    const items = (reply.body as { create?: BatchItem[] } | undefined)?.create;
    if (status >= 300 || !Array.isArray(items)) {
      const said = (reply.body as { code?: string } | undefined)?.code ?? `HTTP ${status}`;
      for (const coupon of chunk) {
        outcomes.set(coupon.code, { kind: 'failed', reason: `WooCommerce refused the batch: ${said}` });
      }
      return undefined;
    }
    for (const [index, coupon] of chunk.entries()) outcomes.set(coupon.code, itemOutcome(items[index]));
    return undefined;
  }
}

function itemOutcome(item: BatchItem | undefined): CheckoutOutcome {
  if (!item)
    return { kind: 'retry_later', reason: 'WooCommerce answered for fewer coupons than it was sent' };
  if (!item.error && typeof item.id === 'number' && item.id > 0) return { kind: 'created' };
  if (item.error?.code === 'woocommerce_rest_coupon_code_already_exists') return { kind: 'existed' };
  const status = item.error?.data?.status;
  const reason =
    `${item.error?.code ?? 'no id'}: ${item.error?.message ?? 'WooCommerce did not create it'}`.slice(0, 300);
  if (status !== undefined && (status === 429 || status >= 500)) return { kind: 'retry_later', reason };
  return { kind: 'failed', reason: `WooCommerce refused the coupon: ${reason}` };
}

/** One Rekindle coupon as a WooCommerce coupon. */
export function wooCoupon(coupon: CheckoutCoupon): Record<string, unknown> {
  const amount =
    coupon.kind === 'percent_off'
      ? String(coupon.value)
      : coupon.kind === 'amount_off'
        ? fromMinorUnits(coupon.value, coupon.currency)
        : '0';
  return {
    code: coupon.code,
    discount_type: coupon.kind === 'percent_off' ? 'percent' : 'fixed_cart',
    amount,
    free_shipping: coupon.kind === 'free_shipping',
    // WooCommerce reads an offset-less time in the site's timezone; this one says UTC.
    date_expires:
      coupon.expiresAt === null ? null : new Date(coupon.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    usage_limit: coupon.usesAllowed,
    usage_limit_per_user: coupon.customer ? coupon.usesAllowed : null,
    individual_use: true,
    minimum_amount:
      coupon.minSubtotalMinor === null ? '' : fromMinorUnits(coupon.minSubtotalMinor, coupon.currency),
    email_restrictions: coupon.customer?.email ? [coupon.customer.email] : [],
    description: `Rekindle: ${coupon.campaignId}, email ${coupon.step + 1}`,
  };
}
