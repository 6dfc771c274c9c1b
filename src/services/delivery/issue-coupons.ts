// The step of preparing a batch that gives each message its coupon, at its
// first send attempt: after the recheck (a message cancelled there, or never
// claimed because it is held out, suppressed or not due, never gets a code)
// and before the render (the view reads the coupon) and the checkout step
// (checkout-codes.ts makes the code exist at the shop before the send). The
// sweep only noted the offer's currency on the message; the terms are the
// step's offer as the campaign file has it now (core/offers/issue.ts). The
// code is written keyed by the message, so a retry, an ambiguous resend or a
// message put back and claimed again carries the code its first attempt
// fixed. What this step writes goes out in its own batch before the render;
// everything else joins the batch's writes. A coupon it issued for mail that
// then goes no further (withdrawUnsent) is taken back with that mail's
// outcome; one that reached a checkout stays, refused by the redemption rule
// unless its message is sent.
import type { CampaignSet, Offer } from '../../core/campaigns/types.ts';
import { type IssuedCoupon, type MessageToCode, planCoupon } from '../../core/offers/issue.ts';
import { withdrawCouponStatements, writeIssuedCoupons } from '../../db/repositories/coupons.ts';
import type { ClaimedMessage } from '../../db/repositories/outbox.ts';
import { dropOfferStatement, releaseStatement } from '../../db/repositories/outbox-writes.ts';
import type { Statement, Store } from '../../db/store.ts';
import type { DeliveryDeps, DrainCounts } from './ports.ts';

export interface IssueStepContext {
  now: number;
  /** Statements the batch writes together. */
  writes: Statement[];
  counts: DrainCounts;
  /** Fails a message unsent, with its reason. */
  fail: (message: ClaimedMessage, reason: string) => void;
}

export interface IssuedBatch {
  /** The messages that go on to be rendered, in the order given, each with the code it carries. */
  going: ClaimedMessage[];
  /** Those of them whose coupon this attempt issued (no checkout has seen it yet). */
  fresh: ClaimedMessage[];
}

/**
 * Gives the batch's messages their coupons. One whose offer names no figure
 * in its currency any more fails unsent; one another sender gave its coupon
 * first is put back as it was (the next claim reads that code).
 */
export async function issueCoupons(
  options: Pick<DeliveryDeps, 'store'>,
  batch: readonly { message: ClaimedMessage; offer: Offer | null }[],
  context: IssueStepContext,
): Promise<IssuedBatch> {
  const { store } = options;
  const taken = new Set<string>();
  const planned: { message: ClaimedMessage; coupon?: IssuedCoupon }[] = [];
  for (const { message, offer } of batch) {
    const plan = planCoupon(offer, message, context.now, taken);
    if (plan.kind === 'none') planned.push({ message });
    else if (plan.kind === 'offer_gone') {
      // Sent as its step now reads, without an offer; the offer rule no longer counts it as one.
      context.writes.push(dropOfferStatement(store, message, context.now));
      planned.push({ message: { ...message, offerCurrency: null } });
    } else if (plan.kind === 'gap') context.fail(message, `coupon: ${plan.reason}`);
    else planned.push({ message, coupon: plan.coupon });
  }
  const codes = await writeIssuedCoupons(
    store,
    planned.flatMap((p) => (p.coupon ? [p.coupon] : [])),
  );
  const going: ClaimedMessage[] = [];
  const fresh: ClaimedMessage[] = [];
  for (const { message, coupon } of planned) {
    if (!coupon) {
      going.push(message);
      continue;
    }
    const code = codes.get(message.id);
    if (code) {
      const coded = { ...message, couponCode: code };
      going.push(coded);
      fresh.push(coded);
    } else {
      context.writes.push(releaseStatement(store, message, context.now));
      context.counts.abandoned++;
    }
  }
  return { going, fresh };
}

/**
 * A coupon this attempt issued for mail that went no further (its render
 * failed, what it would show is gone) is withdrawn in the batch's writes,
 * after the statements that failed or cancelled its message: no checkout
 * has seen it and nobody will, so it does not exist either.
 */
export function withdrawUnsent(store: Store, issued: IssuedBatch, going: ReadonlySet<string>): Statement[] {
  const unsent = issued.fresh.filter((message) => !going.has(message.id));
  return withdrawCouponStatements(
    store,
    unsent.map((message) => ({ messageId: message.id, code: message.couponCode! })),
  );
}

/** A message marked sent without the drain, with its step and the time it counts as sent. */
export interface SentElsewhere extends MessageToCode {
  step: number;
  sentAt: number;
}

/**
 * The same issue for messages that go out without the drain (the demo marks
 * its due mail sent at its due time): each gets the coupon its send would
 * have given it, issued at `sentAt`. Run it before marking them sent. A
 * message whose offer is gone or names no figure in its currency gets none.
 */
export async function issueCouponsAtSentTimes(
  store: Store,
  campaigns: Pick<CampaignSet, 'campaigns'>,
  messages: readonly SentElsewhere[],
): Promise<Map<string, string>> {
  const taken = new Set<string>();
  const coupons = messages.flatMap((message) => {
    const campaign = campaigns.campaigns.find((c) => c.id === message.campaignId);
    const offer = campaign?.steps.find((step) => step.index === message.step)?.offer ?? null;
    const plan = planCoupon(offer, message, message.sentAt, taken);
    return plan.kind === 'issue' ? [plan.coupon] : [];
  });
  return writeIssuedCoupons(store, coupons);
}
