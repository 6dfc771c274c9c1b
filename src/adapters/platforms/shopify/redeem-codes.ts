// Adding codes to an offer's Shopify discount: discountRedeemCodeBulkAdd
// (at most 250 codes; Shopify adds them asynchronously and answers with the
// job's id), then discountRedeemCodeBulkCreation until the job is done, whose
// per-code report says which codes were added and why any was not (TAKEN:
// the code exists already, which is what a repeated call after a lost answer
// sees). A job still running after the reads allowed leaves its codes to a
// later call, which will find them TAKEN. Shapes: discount-mutations.ts.
import type { CheckoutCoupon, CheckoutOutcome } from '../../../core/delivery/checkout-codes.ts';
import type { ShopifyAdminApi } from './admin-api.ts';
import { type BulkCreation, bulkAdd, bulkCreation, type UserError } from './discount-mutations.ts';

export type Outcomes = Map<string, CheckoutOutcome>;
type RetryLater = Extract<CheckoutOutcome, { kind: 'retry_later' }>;

export interface RedeemDeps {
  api: ShopifyAdminApi;
  sleep: (ms: number) => Promise<void>;
  pollMs?: number | undefined;
  maxPolls?: number | undefined;
}

/** A job not done after the reads allowed is looked at again this much later. */
const unfinishedJobWaitMs = 30_000;

/** Adds `coupons` (at most 250) to the discount; returns the retry when Shopify cannot be worked with now. */
export async function addCodes(
  deps: RedeemDeps,
  discountId: string,
  coupons: readonly CheckoutCoupon[],
  outcomes: Outcomes,
  forget: () => Promise<void>,
): Promise<RetryLater | undefined> {
  const added = await deps.api.graphql<{
    discountRedeemCodeBulkAdd: { bulkCreation: { id: string } | null; userErrors: UserError[] };
  }>(bulkAdd, { discountId, codes: coupons.map((c) => ({ code: c.code })) });
  if (!added.ok) return retryAll(outcomes, coupons, retry(added));
  const { bulkCreation: job, userErrors } = added.data.discountRedeemCodeBulkAdd;
  if (!job) {
    if (userErrors.some((e) => e.field?.includes('discountId'))) {
      // Deleted in the shop's admin: forgotten, and made again on the next call.
      await forget();
      retryAll(outcomes, coupons, {
        kind: 'retry_later',
        reason: 'the offer’s Shopify discount is gone; it is made again',
      });
      return undefined;
    }
    for (const c of coupons)
      outcomes.set(c.code, { kind: 'failed', reason: `Shopify refused the codes: ${describe(userErrors)}` });
    return undefined;
  }
  const report = await readJob(deps, job.id);
  if (!('done' in report)) return retryAll(outcomes, coupons, report);
  const byCode = new Map(report.codes.nodes.map((node) => [node.code.toUpperCase(), node.errors]));
  for (const coupon of coupons) {
    const errors = byCode.get(coupon.code.toUpperCase());
    if (errors === undefined) {
      outcomes.set(
        coupon.code,
        report.failedCount === 0
          ? { kind: 'created' }
          : { kind: 'retry_later', reason: 'Shopify’s job report does not name this code' },
      );
    } else if (errors.length === 0) outcomes.set(coupon.code, { kind: 'created' });
    else if (errors.every((e) => e.code === 'TAKEN')) outcomes.set(coupon.code, { kind: 'existed' });
    else
      outcomes.set(coupon.code, { kind: 'failed', reason: `Shopify refused the code: ${describe(errors)}` });
  }
  return undefined;
}

/** Reads the job until it has run, waiting longer each time. */
async function readJob(deps: RedeemDeps, id: string): Promise<BulkCreation | RetryLater> {
  const maxPolls = deps.maxPolls ?? 8;
  let wait = deps.pollMs ?? 500;
  for (let poll = 0; poll < maxPolls; poll++) {
    await deps.sleep(wait);
    wait = Math.min(wait * 2, 4_000);
    const read = await deps.api.graphql<{ discountRedeemCodeBulkCreation: BulkCreation | null }>(
      bulkCreation,
      {
        id,
      },
    );
    if (!read.ok) return retry(read);
    const job = read.data.discountRedeemCodeBulkCreation;
    if (job?.done) return job;
  }
  return { kind: 'retry_later', reason: 'Shopify is still adding the codes', waitMs: unfinishedJobWaitMs };
}

export function retryAll(
  outcomes: Outcomes,
  coupons: readonly CheckoutCoupon[],
  outcome: RetryLater,
): RetryLater {
  for (const coupon of coupons) if (!outcomes.has(coupon.code)) outcomes.set(coupon.code, outcome);
  return outcome;
}

function retry(result: { reason: string; waitMs?: number | undefined }): RetryLater {
  return { kind: 'retry_later', reason: result.reason, waitMs: result.waitMs };
}

/** userErrors in one line, for last_error (Shopify's messages name fields, never customers). */
export function describe(errors: readonly UserError[]): string {
  if (errors.length === 0) return 'no reason given';
  return errors
    .map((e) => `${e.code ?? 'error'}${e.field?.length ? ` (${e.field.join('.')})` : ''}: ${e.message}`)
    .join('; ')
    .slice(0, 300);
}
