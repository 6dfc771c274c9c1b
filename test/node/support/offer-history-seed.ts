// Shops for the tests against stacked offers (sweep-offer-rules,
// sweep-messaged-by): customers, earlier messages with their coupons written
// through the repositories a sweep and a send write with, and sweeps at a
// fixed now.
import { sql } from 'drizzle-orm';
import type { Campaign, Offer, OfferRule, ShopSettings } from '../../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { writeMessages } from '../../../src/db/repositories/messages.ts';
import type { Store } from '../../../src/db/store.ts';
import { markDueMessagesSent } from '../../../src/demo/simulate.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { explainSweep } from '../../../src/services/sweep/explain-sweep.ts';
import { newMessageId } from '../../../src/services/sweep/message-id.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, shopSettings, winbackOffer } from './campaign-fixtures.ts';
import { issuedCoupons } from './coupon-seed.ts';

export const hour = 3_600_000;
export const day = 24 * hour;
export const now = Date.parse('2026-11-23T12:00:00Z');

export const vipOffer: Offer = { ...winbackOffer, kind: 'percent_off', percent: 20, codePrefix: 'VIP' };
export const withOffer = (offer: Offer | null) => [
  { index: 0, delayHours: 0, email: { template: 'winback.mjml', subject: 'Hi' }, offer },
];
export const winback = dormantCampaign({ steps: withOffer(winbackOffer) });
export const vip = dormantCampaign({ id: 'winback-vip', priority: 60, steps: withOffer(vipOffer) });

/** Settings with a loose frequency cap (it never decides here) and the given offer rule. */
export const settings = (offers: Partial<OfferRule> = {}, extra: Partial<ShopSettings> = {}) =>
  shopSettings({
    frequencyCap: { maxMessages: 10, perDays: 1 },
    offers: { minDaysBetweenCoupons: null, whileUnredeemed: false, ...offers },
    ...extra,
  });

/** The helpers over one store (a getter: tests open a fresh one each). */
export function offerShop(storeOf: () => Store) {
  async function ingest(
    kind: 'customers' | 'orders' | 'carts' | 'products' | 'waitlist',
    record: unknown,
    at = now,
  ) {
    const parsed = ingestSchemas[kind].parse(record);
    await ingestRecords({ store: storeOf() }, { kind, records: [parsed], now: at } as never);
  }

  /** A subscribed customer, with one paid order that many days ago when given. */
  async function customer(id: string, lastOrderDaysAgo?: number) {
    await ingest('customers', { id, email: `${id}@example.com`, marketing_consent: true });
    if (lastOrderDaysAgo !== undefined) {
      const placed = new Date(now - lastOrderDaysAgo * day).toISOString();
      await ingest('orders', {
        id: `o-${id}`,
        customer_id: id,
        placed_at: placed,
        status: 'paid',
        currency: 'GBP',
        total: '50.00',
      });
    }
  }

  /** A cart of 30.00 the customer last touched `hoursAgo` hours before now. */
  async function leftCart(customerId: string, hoursAgo: number) {
    await ingest('carts', {
      id: `cart-${customerId}`,
      customer_id: customerId,
      currency: 'GBP',
      last_activity_at: new Date(now - hoursAgo * hour).toISOString(),
      items: [{ product_id: 'p1', quantity: 1, unit_price: '30.00' }],
    });
  }

  function sweep(
    campaigns: Campaign[],
    shop: ShopSettings,
    options: { at?: number; dryRun?: boolean; explain?: string } = {},
  ) {
    return runSweep({
      store: storeOf(),
      campaigns: { settings: shop, campaigns },
      now: options.at ?? now,
      dryRun: options.dryRun ?? true,
      explainCustomer: options.explain,
      pageSize: 2,
    });
  }

  /** The outbox sent what was due, each with the coupon its send issues: what a real send would leave behind. */
  async function markSent(campaigns: readonly Campaign[]) {
    await markDueMessagesSent(storeOf(), { campaigns: [...campaigns] }, now);
  }

  /**
   * A message another campaign wrote earlier, its offer noted when its step
   * has one, and its coupon issued when it was sent (status sent or
   * ambiguous); returns the code, null for a message never sent.
   */
  async function earlier(
    campaign: Campaign,
    to: { customerId: string | null; email: string },
    dueAt: number,
    status = 'sent',
  ): Promise<string | null> {
    const store = storeOf();
    const id = newMessageId(dueAt);
    const row = {
      id,
      dedupeKey: `${campaign.id}:0:${to.customerId ?? to.email}:test${dueAt}`,
      campaignId: campaign.id,
      step: 0,
      customerId: to.customerId,
      email: to.email,
      triggerKind: campaign.trigger.type,
      triggerRef: `test${dueAt}`,
      status: 'scheduled' as const,
      dueAt,
      createdAt: dueAt,
      updatedAt: dueAt,
    };
    let code: string | null = null;
    if (status === 'held_out') await writeMessages(store, [{ ...row, status }]);
    else if (status === 'sent' || status === 'ambiguous') {
      code = (await issuedCoupons(store, campaign, [row], dueAt)).get(id) ?? null;
    } else {
      const offer = campaign.steps[0]?.offer;
      await writeMessages(store, [{ ...row, offerCurrency: offer ? 'GBP' : null }]);
    }
    await store.db.run(sql`update messages set status = ${status} where id = ${id}`);
    return code;
  }

  /** What `sweep --explain` says about one campaign for the customer, as the CLI builds it. */
  async function summary(
    result: Awaited<ReturnType<typeof sweep>>,
    set: { campaigns: Campaign[]; settings: ShopSettings },
    customerId: string,
    campaignId: string,
  ) {
    const explained = await explainSweep(storeOf(), set, result, customerId);
    return explained.campaigns.find((c) => c.campaign_id === campaignId)?.summary;
  }

  return { ingest, customer, leftCart, sweep, markSent, earlier, summary };
}
