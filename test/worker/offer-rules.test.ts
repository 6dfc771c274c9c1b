// No stacked offers on D1 in workerd: the page columns of the offer rule and
// exclude_if_messaged_by run there as they do on libSQL, for a customer and
// for a guest cart known only by address. Storage is shared between test
// files, so each sweep is narrowed to one customer (--explain's query).
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../src/core/ingest/records.ts';
import { ingestRecords } from '../../src/services/ingest/ingest-records.ts';
import { newMessageId } from '../../src/services/sweep/message-id.ts';
import { runSweep } from '../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, shopSettings, winbackOffer } from '../node/support/campaign-fixtures.ts';
import { issuedCoupons } from '../node/support/coupon-seed.ts';
import { seedDormant } from './support/sweep-seed.ts';
import { testStore, uniquePrefix } from './support/worker-client.ts';

const day = 86_400_000;
const now = Date.parse('2027-03-01T12:00:00Z');
const step = (offer: typeof winbackOffer | null) => [
  { index: 0, delayHours: 0, email: { template: 'winback.mjml', subject: 'Hi' }, offer },
];

/** A sent win-back message with its coupon, written as a sweep and its send write it. */
async function sentWinback(prefix: string, customerId: string, dueAt: number) {
  const store = testStore();
  const winback = dormantCampaign({ id: `${prefix}-winback`, steps: step(winbackOffer) });
  const row = {
    id: newMessageId(dueAt),
    dedupeKey: `${prefix}:${customerId}`,
    campaignId: winback.id,
    step: 0,
    customerId,
    email: `${customerId}@example.com`,
    triggerKind: 'dormant',
    triggerRef: `${prefix}-ref`,
    status: 'scheduled' as const,
    dueAt,
    createdAt: dueAt,
    updatedAt: dueAt,
  };
  // The outbox sent it, issuing its coupon.
  await issuedCoupons(store, winback, [row], dueAt);
  await store.db.run(sql`update messages set status = 'sent' where id = ${row.id}`);
  return winback.id;
}

describe('offer rule and exclude_if_messaged_by on D1', () => {
  it('refuse a dormant customer win-back gave a coupon 12 days ago, naming the rule', async () => {
    const prefix = uniquePrefix();
    await seedDormant(prefix, 1, now);
    const customerId = `${prefix}-c000`;
    const winbackId = await sentWinback(prefix, customerId, now - 12 * day);
    const settings = shopSettings({ offers: { minDaysBetweenCoupons: 30, whileUnredeemed: true } });
    const vip = dormantCampaign({ id: `${prefix}-vip`, steps: step({ ...winbackOffer, codePrefix: 'VIP' }) });
    const excluding: Campaign = {
      ...dormantCampaign({ id: `${prefix}-news` }),
      excludeIfMessagedBy: { campaigns: [winbackId, `${prefix}-other`], withinDays: 30 },
    };
    const sweep = (campaign: Campaign) =>
      runSweep({
        store: testStore(),
        campaigns: { settings, campaigns: [campaign] },
        now,
        dryRun: true,
        explainCustomer: customerId,
      });
    const [offer] = (await sweep(vip)).explanations;
    expect(offer).toMatchObject({ outcome: 'excluded', rule: 'offer_rule' });
    expect(offer?.outcome === 'excluded' && offer.detail).toBe(
      `sent a coupon by ${winbackId} 12 days ago (settings offers.min_days_between_coupons is 30)`,
    );
    const [messaged] = (await sweep(excluding)).explanations;
    expect(messaged?.outcome === 'excluded' && messaged.detail).toBe(
      `messaged by ${winbackId} 12 days ago (exclude_if_messaged_by within 30 days)`,
    );
    // A guest's cart, whose history is looked up by address, with every fact asked for.
    await ingestRecords(
      { store: testStore() },
      {
        kind: 'carts',
        records: [
          ingestSchemas.carts.parse({
            id: `${prefix}-cart`,
            customer_id: null,
            email: `${prefix}-guest@example.com`,
            currency: 'GBP',
            last_activity_at: new Date(now - 2 * 3_600_000).toISOString(),
            items: [{ product_id: `${prefix}-p`, quantity: 1, unit_price: '12.50' }],
          }),
        ],
        now,
      },
    );
    const cart: Campaign = {
      ...excluding,
      id: `${prefix}-cart`,
      trigger: { type: 'abandoned_cart', minCartValue: null },
      steps: [
        { index: 0, delayHours: 1, email: { template: 'cart-1.mjml', subject: 'Cart' }, offer: winbackOffer },
      ],
    };
    const chosen: string[] = [];
    await runSweep({
      store: testStore(),
      campaigns: {
        settings: { ...settings, consent: { nonSubscribersMayReceive: ['abandoned_cart_first_step'] } },
        campaigns: [{ ...cart, consent: 'shop_policy' }],
      },
      now,
      dryRun: true,
      onChosen: (decisions) => chosen.push(...decisions.map((d) => `${d.hit.email} ${d.outcome}`)),
    });
    // The guest has no history: the rules let its cart through.
    expect(chosen).toContain(`${prefix}-guest@example.com scheduled`);
  });
});
