// The step of preparing a batch that makes its coupon codes exist at the
// shop's checkout (core/delivery/checkout-codes.ts) before any is rendered:
// the codes of the batch's messages go to each configured platform in one
// call per campaign offer, unless that platform already holds them (a
// resend, a retry); what each platform says is recorded per code. A message
// whose code is not there yet waits (due again after a backoff, no attempt
// spent, the reason in last_error), and fails only when its code expired
// first or a platform refused the code for good; it is never sent with a
// code the checkout would refuse. With no platform configured this step does
// nothing at all.
import {
  type CheckoutCodes,
  type CheckoutCoupon,
  type CheckoutOutcome,
  checkoutExpired,
  checkoutWaitMs,
  codeVerdict,
  isReady,
} from '../../core/delivery/checkout-codes.ts';
import { loggableReason } from '../../core/errors.ts';
import {
  type CheckoutStateWrite,
  checkoutStateStatements,
  readCheckoutCoupons,
  type StoredCheckoutCoupon,
} from '../../db/repositories/checkout-codes.ts';
import type { ClaimedMessage } from '../../db/repositories/outbox.ts';
import { waitStatement } from '../../db/repositories/outbox-writes.ts';
import type { Statement } from '../../db/store.ts';
import type { DeliveryDeps, DrainCounts } from './ports.ts';

export interface CodeStepContext {
  now: number;
  /** Statements the batch writes together (state, waits). */
  writes: Statement[];
  counts: DrainCounts;
  /** Fails a message unsent, with its reason. */
  fail: (message: ClaimedMessage, reason: string) => void;
}

/** The messages that may be rendered and sent: no coupon, or a coupon every configured checkout holds. */
export async function ensureCheckoutCodes(
  options: DeliveryDeps,
  batch: readonly ClaimedMessage[],
  context: CodeStepContext,
): Promise<ClaimedMessage[]> {
  const platforms = options.checkout ?? [];
  const codes = [...new Set(batch.map((m) => m.couponCode).filter((c): c is string => c !== null))];
  if (platforms.length === 0 || codes.length === 0) return [...batch];
  const stored = await readCheckoutCoupons(options.store, codes, options.campaigns.settings.currency);
  const outcomes = new Map<string, Map<string, CheckoutOutcome>>(codes.map((code) => [code, new Map()]));
  const tries = new Map<string, number>();
  const states: CheckoutStateWrite[] = [];
  for (const port of platforms) {
    await askPlatform(port, stored, outcomes, tries, states);
  }
  context.writes.push(...checkoutStateStatements(options.store, states, context.now));

  const random = options.random ?? Math.random;
  const ready: ClaimedMessage[] = [];
  for (const message of batch) {
    const code = message.couponCode;
    if (code === null) {
      ready.push(message);
      continue;
    }
    const coupon = stored.get(code)?.coupon;
    if (!coupon) {
      context.fail(message, 'checkout: the message names a coupon code Rekindle has no coupon for');
      continue;
    }
    const verdict = codeVerdict(outcomes.get(code)!);
    if (verdict.kind === 'ready') ready.push(message);
    else if (verdict.kind === 'failed') context.fail(message, `checkout: ${verdict.reason}`);
    else if (checkoutExpired(coupon, context.now)) {
      context.fail(message, `checkout: the code expired before the checkout took it (${verdict.reason})`);
    } else {
      const waitMs = checkoutWaitMs(tries.get(code) ?? 1, verdict.waitMs, random);
      const reason = `checkout: ${verdict.reason}`.replace(/\s+/g, ' ').slice(0, 500);
      context.writes.push(
        waitStatement(options.store, message, { dueAt: context.now + waitMs, reason }, context.now),
      );
      context.counts.awaitingCodes++;
    }
  }
  return ready;
}

/**
 * One platform's answers for the batch's codes: from the recorded state when
 * it already holds a code (or refused it), otherwise from one call per
 * campaign offer. Adds the state writes and each code's tries.
 */
async function askPlatform(
  port: CheckoutCodes,
  stored: ReadonlyMap<string, StoredCheckoutCoupon>,
  outcomes: Map<string, Map<string, CheckoutOutcome>>,
  tries: Map<string, number>,
  states: CheckoutStateWrite[],
): Promise<void> {
  const byOffer = new Map<string, CheckoutCoupon[]>();
  for (const { coupon, states: known } of stored.values()) {
    const state = known.get(port.platform);
    if (state?.state === 'created' || state?.state === 'existed') {
      outcomes.get(coupon.code)!.set(port.platform, { kind: 'existed' });
    } else if (state?.state === 'failed') {
      outcomes.get(coupon.code)!.set(port.platform, { kind: 'failed', reason: 'refused earlier' });
    } else {
      const offer = `${coupon.campaignId}\u0000${coupon.step}`;
      byOffer.set(offer, [...(byOffer.get(offer) ?? []), coupon]);
    }
  }
  for (const coupons of byOffer.values()) {
    const answers = await ensureSafely(port, coupons);
    for (const coupon of coupons) {
      const outcome = answers.get(coupon.code) ?? {
        kind: 'retry_later' as const,
        reason: 'the platform gave no answer for this code',
      };
      outcomes.get(coupon.code)!.set(port.platform, outcome);
      const before = stored.get(coupon.code)?.states.get(port.platform)?.tries ?? 0;
      const after = isReady(outcome) ? 0 : before + 1;
      tries.set(coupon.code, Math.max(tries.get(coupon.code) ?? 0, after));
      states.push({
        code: coupon.code,
        platform: port.platform,
        state: outcome.kind === 'retry_later' ? 'waiting' : outcome.kind,
        tries: after,
        error: 'reason' in outcome ? outcome.reason.slice(0, 500) : null,
      });
    }
  }
}

async function ensureSafely(
  port: CheckoutCodes,
  coupons: readonly CheckoutCoupon[],
): Promise<Map<string, CheckoutOutcome>> {
  try {
    return await port.ensure(coupons);
  } catch (error) {
    // The port promises not to throw; if it does, the codes wait rather than the pass failing.
    const reason = `the ${port.platform} adapter threw: ${loggableReason(error)}`;
    return new Map(coupons.map((c) => [c.code, { kind: 'retry_later', reason }]));
  }
}
