// The port behind "coupons at checkout": make a coupon code exist at the
// shop's own checkout (Shopify, WooCommerce) before a message carrying it is
// sent, so a customer who types BACK-7KQ9-M2XF-H4TP there is not told
// "invalid code". Each platform adapter implements CheckoutCodes; with no
// platform configured the list is empty (noCheckouts) and delivery makes no
// call. Also the rules delivery applies to what the adapters answer: which
// codes share one platform discount (discountKey), how long a message waits
// for a code that could not be made yet (checkoutWaitMs), and what one
// message's coupon comes to across the configured platforms (codeVerdict).
// Pure: no I/O here.
import { hourMs, minuteMs } from '../time.ts';
import { backoffDelay, type RetryPolicy } from './retry-policy.ts';

export type CheckoutCouponKind = 'percent_off' | 'amount_off' | 'free_shipping';

/** One issued coupon as a checkout must know it (a row of `coupons` with its campaign step). */
export interface CheckoutCoupon {
  code: string;
  kind: CheckoutCouponKind;
  /** Percent for percent_off, minor units of `currency` for amount_off, 0 for free_shipping. */
  value: number;
  /** Upper-case ISO 4217: the currency the coupon was written in. */
  currency: string;
  minSubtotalMinor: number | null;
  /** Epoch ms; null never expires. */
  expiresAt: number | null;
  usesAllowed: number;
  /** Set when only this customer may redeem the code; the address for platforms that bind by email. */
  customer: { id: string; email: string | null } | null;
  campaignId: string;
  /** The campaign step the coupon belongs to, from 0. */
  step: number;
}

/** What a platform said about one code. Expected failures are values; an adapter never throws for them. */
export type CheckoutOutcome =
  | { kind: 'created' }
  /** The checkout already had it (an earlier pass created it, or a crash lost the answer). */
  | { kind: 'existed' }
  /** Not this code's fault (throttle, outage, refused credentials): try again later, after `waitMs` if given. */
  | { kind: 'retry_later'; reason: string; waitMs?: number | undefined }
  /** The checkout will never take this code as it is. */
  | { kind: 'failed'; reason: string };

export interface CheckoutCodes {
  /** Names the platform in the state table and in logs: shopify, woocommerce. */
  readonly platform: string;
  /**
   * Makes every coupon exist at the checkout and answers once per code, in
   * any order; the coupons of one call belong to one campaign offer. Throws
   * only on a broken invariant, never for what the platform answers.
   */
  ensure(coupons: readonly CheckoutCoupon[]): Promise<Map<string, CheckoutOutcome>>;
}

/** No platform configured: delivery makes no call and records nothing. */
export const noCheckouts: readonly CheckoutCodes[] = [];

/** A code the platform already holds never needs another call. */
export function isReady(outcome: CheckoutOutcome): boolean {
  return outcome.kind === 'created' || outcome.kind === 'existed';
}

/**
 * The platform discount a code belongs to: one per campaign offer, in one
 * currency, with one set of terms. Terms are part of the key because a
 * campaign file edited after codes went out must not change what those codes
 * give, and a bound coupon cannot share a discount with codes anyone may use.
 */
export function discountKey(coupon: CheckoutCoupon): {
  campaignId: string;
  step: number;
  currency: string;
  terms: string;
} {
  const minimum = coupon.minSubtotalMinor ?? '-';
  const who = coupon.customer ? 'bound' : 'anyone';
  return {
    campaignId: coupon.campaignId,
    step: coupon.step,
    currency: coupon.currency,
    terms: `${coupon.kind}:${coupon.value}:min${minimum}:uses${coupon.usesAllowed}:${who}`,
  };
}

/**
 * How long a message waits after its code could not be made: exponential
 * from a minute, capped at an hour, with jitter; never sooner than the
 * platform asked. The wait spends no send attempt (the message is not at
 * fault); it ends when the code exists, or fails the message once the code
 * has expired (checkoutExpired).
 */
export const checkoutRetry: RetryPolicy = {
  maxAttempts: Number.POSITIVE_INFINITY,
  baseDelayMs: minuteMs,
  maxDelayMs: hourMs,
};

export function checkoutWaitMs(tries: number, asked: number | undefined, random: () => number): number {
  return Math.max(asked ?? 0, backoffDelay(checkoutRetry, tries, random));
}

/** A code that still does not exist when it expires can never be used: its message fails. */
export function checkoutExpired(coupon: Pick<CheckoutCoupon, 'expiresAt'>, now: number): boolean {
  return coupon.expiresAt !== null && coupon.expiresAt <= now;
}

/**
 * Why a checkout that counts discount amounts in the shop currency (Shopify,
 * WooCommerce) cannot take this coupon as it is, or undefined: an amount or
 * a minimum in another currency would be read as the shop's, so the code
 * would give something else than the email says. A percentage with no
 * minimum is the same in every currency.
 */
export function currencyProblem(
  coupon: Pick<CheckoutCoupon, 'currency' | 'kind' | 'minSubtotalMinor'>,
  shopCurrency: string,
): string | undefined {
  const shop = shopCurrency.toUpperCase();
  if (coupon.currency === shop || (coupon.kind !== 'amount_off' && coupon.minSubtotalMinor === null))
    return undefined;
  return `the checkout counts amounts in the shop currency (${shop}); this coupon's are in ${coupon.currency}`;
}

/** One message's coupon across the configured platforms. */
export type CodeVerdict =
  | { kind: 'ready' }
  | { kind: 'wait'; reason: string; waitMs: number | undefined }
  | { kind: 'failed'; reason: string };

/**
 * Ready only when every platform holds the code; failed when any platform
 * refused it for good; otherwise the message waits, as long as the longest
 * wait a platform asked for. Reasons name the platform.
 */
export function codeVerdict(outcomes: ReadonlyMap<string, CheckoutOutcome>): CodeVerdict {
  let wait: { reason: string; waitMs: number | undefined } | undefined;
  for (const [platform, outcome] of outcomes) {
    if (outcome.kind === 'failed') return { kind: 'failed', reason: `${platform}: ${outcome.reason}` };
    if (outcome.kind !== 'retry_later') continue;
    const waitMs = Math.max(wait?.waitMs ?? 0, outcome.waitMs ?? 0) || undefined;
    wait = { reason: wait?.reason ?? `${platform}: ${outcome.reason}`, waitMs };
  }
  return wait ? { kind: 'wait', ...wait } : { kind: 'ready' };
}
