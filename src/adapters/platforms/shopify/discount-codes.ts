// Coupons at the Shopify checkout: the CheckoutCodes port
// (core/delivery/checkout-codes.ts) over the Admin GraphQL API. One Shopify
// discount per campaign offer (campaign, step, currency, terms: core
// discountKey), created the first time with discountCodeBasicCreate (or
// discountCodeFreeShippingCreate) carrying the first code, and remembered
// (checkout_discounts) so every later code is added to it with
// discountRedeemCodeBulkAdd, at most 250 a call, then confirmed by reading
// the bulk job (discountRedeemCodeBulkCreation) until it has run. A bound
// coupon's customer is added to the discount's buyers (context.customers);
// the end date moves to the end of the latest code's expiry day. Shapes and
// their sources: discount-mutations.ts; the throttle: admin-api.ts.
//
// What each code comes to: created; existed (TAKEN: an earlier call made it,
// or a crash lost the answer); retry later when Shopify is throttled,
// unreachable, refuses the token or has not finished the job; failed when
// Shopify refuses the code or its terms. A coupon whose amount is in another
// currency than the shop's fails (core currencyProblem): Shopify counts
// discount amounts in the shop currency, so it would give something else. A
// bound coupon whose customer is not a Shopify customer (no numeric id)
// joins the offer's discount for anyone: the code stays single-use and
// unguessable, and Rekindle's redemption rule still checks the binding.
import {
  type CheckoutCodes,
  type CheckoutCoupon,
  type CheckoutOutcome,
  currencyProblem,
  discountKey,
} from '../../../core/delivery/checkout-codes.ts';
import { dayMs } from '../../../core/time.ts';
import {
  type DiscountKey,
  findDiscount,
  forgetDiscount,
  rememberDiscount,
  type StoredDiscount,
} from '../../../db/repositories/checkout-codes.ts';
import type { Store } from '../../../db/store.ts';
import type { ShopifyAdminApi } from './admin-api.ts';
import {
  type Buyers,
  createBasic,
  createFreeShipping,
  customerGid,
  discountByCode,
  discountInput,
  discountUpdate,
  type MutationPayload,
  maxCodesPerBulkAdd,
  updateBasic,
  updateFreeShipping,
} from './discount-mutations.ts';
import { addCodes, describe, type Outcomes, retryAll } from './redeem-codes.ts';

export const shopifyPlatform = 'shopify';

export interface ShopifyCheckoutDeps {
  api: ShopifyAdminApi;
  store: Store;
  /** Business time: the discount's start, the rows' stamps. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** The settings file's currency, which must be the shop's: Shopify counts discount amounts in it. */
  shopCurrency: string;
  /** The first wait before reading the bulk job; each further one doubles (to 4 s). Default 500 ms. */
  pollMs?: number | undefined;
  /** Reads of the bulk job before the codes are left for a later call. Default 8. */
  maxPolls?: number | undefined;
}

export function createShopifyCheckoutCodes(deps: ShopifyCheckoutDeps): CheckoutCodes {
  return { platform: shopifyPlatform, ensure: (coupons) => ensureAll(deps, coupons) };
}

async function ensureAll(deps: ShopifyCheckoutDeps, coupons: readonly CheckoutCoupon[]): Promise<Outcomes> {
  const outcomes: Outcomes = new Map();
  const groups = new Map<string, { key: DiscountKey; coupons: CheckoutCoupon[] }>();
  for (const given of coupons) {
    const problem = currencyProblem(given, deps.shopCurrency);
    if (problem) {
      outcomes.set(given.code, { kind: 'failed', reason: `Shopify: ${problem}` });
      continue;
    }
    const coupon = given.customer && !customerGid(given.customer.id) ? { ...given, customer: null } : given;
    const key = discountKey(coupon);
    const id = JSON.stringify(key);
    const group = groups.get(id) ?? { key, coupons: [] };
    group.coupons.push(coupon);
    groups.set(id, group);
  }
  for (const { key, coupons: group } of groups.values()) {
    // In code order, so a call repeated after a lost answer starts with the same first code (found TAKEN, reused).
    group.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    for (let i = 0; i < group.length; i += maxCodesPerBulkAdd) {
      const stop = await ensureChunk(deps, key, group.slice(i, i + maxCodesPerBulkAdd), outcomes);
      // Throttled past waiting, or unreachable: the rest waits too, without more calls.
      if (stop) {
        retryAll(outcomes, group.slice(i + maxCodesPerBulkAdd), stop);
        break;
      }
    }
  }
  return outcomes;
}

type RetryLater = Extract<CheckoutOutcome, { kind: 'retry_later' }>;

/** Makes one chunk's codes exist; returns the retry when Shopify cannot be worked with now. */
async function ensureChunk(
  deps: ShopifyCheckoutDeps,
  key: DiscountKey,
  chunk: readonly CheckoutCoupon[],
  outcomes: Outcomes,
): Promise<RetryLater | undefined> {
  const first = chunk[0]!;
  const buyers: Buyers = first.customer
    ? { customers: [...new Set(chunk.map((c) => customerGid(c.customer!.id)!))] }
    : { all: true };
  const endsAt = discountEnd(chunk);
  let known = await findDiscount(deps.store, shopifyPlatform, key);
  let rest = chunk;
  if (!known) {
    const made = await createDiscount(deps, key, first, { endsAt, buyers });
    if (made.kind !== 'made') {
      for (const coupon of chunk) outcomes.set(coupon.code, made.outcome);
      return made.outcome.kind === 'retry_later' ? made.outcome : undefined;
    }
    known = { discountId: made.id, endsAt };
    await rememberDiscount(deps.store, shopifyPlatform, key, known, deps.now());
    outcomes.set(first.code, made.first);
    rest = chunk.slice(1);
  } else {
    const stop = await widenDiscount(deps, key, known, first, { endsAt, buyers }, chunk, outcomes);
    if (stop !== 'ok') return stop;
  }
  if (rest.length === 0) return undefined;
  return addCodes(deps, known.discountId, rest, outcomes, () =>
    forgetDiscount(deps.store, shopifyPlatform, key),
  );
}

/** The end of the UTC day the latest code expires on (at most one end-date change a day); null when one never expires. */
function discountEnd(chunk: readonly CheckoutCoupon[]): number | null {
  if (chunk.some((c) => c.expiresAt === null)) return null;
  return Math.ceil(Math.max(...chunk.map((c) => c.expiresAt!)) / dayMs) * dayMs;
}

type Made =
  | { kind: 'made'; id: string; first: CheckoutOutcome }
  | { kind: 'not_made'; outcome: CheckoutOutcome };

async function createDiscount(
  deps: ShopifyCheckoutDeps,
  key: DiscountKey,
  first: CheckoutCoupon,
  shape: { endsAt: number | null; buyers: Buyers },
): Promise<Made> {
  const title = `Rekindle: ${key.campaignId}, email ${key.step + 1}, ${key.currency}`;
  const input = discountInput(first, { title, startsAt: deps.now(), ...shape });
  const mutation = first.kind === 'free_shipping' ? createFreeShipping : createBasic;
  const created = await deps.api.graphql<Record<string, MutationPayload>>(mutation, { input });
  if (!created.ok) return { kind: 'not_made', outcome: retry(created) };
  const payload = Object.values(created.data)[0];
  if (payload?.codeDiscountNode)
    return { kind: 'made', id: payload.codeDiscountNode.id, first: { kind: 'created' } };
  const errors = payload?.userErrors ?? [];
  // The first code is taken: an earlier call made the discount and its answer was lost.
  if (errors.some((e) => e.code === 'TAKEN' && e.field?.includes('code'))) {
    const found = await deps.api.graphql<{ codeDiscountNodeByCode: { id: string } | null }>(discountByCode, {
      code: first.code,
    });
    if (!found.ok) return { kind: 'not_made', outcome: retry(found) };
    const id = found.data.codeDiscountNodeByCode?.id;
    if (id) return { kind: 'made', id, first: { kind: 'existed' } };
  }
  return {
    kind: 'not_made',
    outcome: { kind: 'failed', reason: `Shopify refused the discount: ${describe(errors)}` },
  };
}

/** Moves the end date later and adds the chunk's customers, when needed. */
async function widenDiscount(
  deps: ShopifyCheckoutDeps,
  key: DiscountKey,
  known: StoredDiscount,
  first: CheckoutCoupon,
  shape: { endsAt: number | null; buyers: Buyers },
  chunk: readonly CheckoutCoupon[],
  outcomes: Outcomes,
): Promise<RetryLater | undefined | 'ok'> {
  const later = known.endsAt !== null && (shape.endsAt === null || shape.endsAt > known.endsAt);
  const customers = 'customers' in shape.buyers ? shape.buyers.customers : [];
  if (!later && customers.length === 0) return 'ok';
  const input = discountUpdate({ endsAt: later ? shape.endsAt : undefined, customers });
  const mutation = first.kind === 'free_shipping' ? updateFreeShipping : updateBasic;
  const updated = await deps.api.graphql<Record<string, MutationPayload>>(mutation, {
    id: known.discountId,
    input,
  });
  if (!updated.ok) {
    const outcome = retry(updated);
    retryAll(outcomes, chunk, outcome);
    return outcome;
  }
  const errors = (Object.values(updated.data)[0]?.userErrors ?? []).filter(
    // Adding a customer the discount already has is no problem.
    (e) => !['DUPLICATE', 'IMPLICIT_DUPLICATE', 'TAKEN'].includes(e.code ?? ''),
  );
  if (errors.some((e) => e.field?.includes('id'))) {
    // Deleted in the shop's admin: forgotten, and made again on the next call.
    await forgetDiscount(deps.store, shopifyPlatform, key);
    retryAll(outcomes, chunk, {
      kind: 'retry_later',
      reason: 'the offer’s Shopify discount is gone; it is made again',
    });
    return undefined;
  }
  if (errors.length > 0) {
    for (const coupon of chunk) {
      outcomes.set(coupon.code, {
        kind: 'failed',
        reason: `Shopify refused the discount change: ${describe(errors)}`,
      });
    }
    return undefined;
  }
  if (later) {
    known.endsAt = shape.endsAt;
    await rememberDiscount(deps.store, shopifyPlatform, key, known, deps.now());
  }
  return 'ok';
}

function retry(result: { reason: string; waitMs?: number | undefined }): RetryLater {
  return { kind: 'retry_later', reason: result.reason, waitMs: result.waitMs };
}
