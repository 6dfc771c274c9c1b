// A Rekindle coupon as a sweep issues it (the win-back campaign's offer, with
// no minimum unless given), its message written and marked sent, for tests of
// the redemption rule on the paths an order takes in (API, import, webhooks).
import { sql } from 'drizzle-orm';
import type { Campaign, Offer } from '../../../src/core/campaigns/types.ts';
import { issueCoupons } from '../../../src/db/repositories/coupons.ts';
import { writeMessages } from '../../../src/db/repositories/messages.ts';
import type { Store } from '../../../src/db/store.ts';
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
  const issued = issueCoupons(store, { campaign, currency: 'GBP', now }, [row]);
  await writeMessages(store, issued.rows, issued.statements);
  await store.db.run(sql`update messages set status = 'sent', sent_at = ${now} where id = ${id}`);
  return issued.rows[0]!.couponCode!;
}
