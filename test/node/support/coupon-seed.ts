// A Rekindle coupon as its send issues it (the win-back campaign's offer, with
// no minimum unless given), its message written and marked sent, for tests of
// the redemption rule on the paths an order takes in (API, import, webhooks);
// and the same for any planned messages (issuedCoupons).
import { sql } from 'drizzle-orm';
import type { Campaign, Offer } from '../../../src/core/campaigns/types.ts';
import { type NewMessage, writeMessages } from '../../../src/db/repositories/messages.ts';
import type { Store } from '../../../src/db/store.ts';
import { issueCouponsAtSentTimes } from '../../../src/services/delivery/issue-coupons.ts';
import { dormantCampaign, winbackOffer } from './campaign-fixtures.ts';

let serial = 0;

export interface SentCouponOptions {
  /** When it was issued and sent. */
  now: number;
  /** Laid over the win-back offer (15% off, 14 days, one use, bound to the customer). */
  offer?: Partial<Offer>;
  /** Default c1 / c1@example.com. */
  customerId?: string;
  email?: string;
}

/** The code of a coupon issued and sent as a sweep does. */
export async function sentCoupon(store: Store, options: SentCouponOptions): Promise<string> {
  const { now } = options;
  const campaign: Campaign = dormantCampaign({
    steps: [
      {
        index: 0,
        delayHours: 0,
        email: { template: 'w.mjml', subject: 'Hi' },
        offer: { ...winbackOffer, minSubtotal: null, ...options.offer } as Offer,
      },
    ],
  });
  const id = `m${++serial}`;
  const row = {
    id,
    dedupeKey: `winback:0:${id}:e`,
    campaignId: 'winback',
    step: 0,
    customerId: options.customerId ?? 'c1',
    email: options.email ?? 'c1@example.com',
    triggerKind: 'dormant',
    triggerRef: 'e',
    status: 'scheduled' as const,
    dueAt: now,
    createdAt: now,
    updatedAt: now,
  };
  const codes = await issuedCoupons(store, campaign, [row], now);
  await store.db.run(sql`update messages set status = 'sent', sent_at = ${now} where id = ${id}`);
  return codes.get(id)!;
}

/**
 * Writes the messages as a sweep plans them (a step with an offer noted in
 * `currency`) and gives each its coupon as its first send attempt would, at
 * `at`; returns each message's code. The messages stay as given (scheduled):
 * the caller puts them in the status the test needs.
 */
export async function issuedCoupons(
  store: Store,
  campaign: Campaign,
  rows: readonly (NewMessage & { step: number })[],
  at: number,
  currency = 'GBP',
): Promise<Map<string, string>> {
  const offered = rows.map((row) => {
    const offer = campaign.steps.find((step) => step.index === row.step)?.offer;
    return { ...row, offerCurrency: offer ? currency : null };
  });
  await writeMessages(store, offered);
  return issueCouponsAtSentTimes(
    store,
    { campaigns: [campaign] },
    offered.map((row) => ({
      id: row.id,
      campaignId: row.campaignId,
      step: row.step,
      customerId: row.customerId ?? null,
      offerCurrency: row.offerCurrency,
      couponCode: null,
      sentAt: at,
    })),
  );
}
