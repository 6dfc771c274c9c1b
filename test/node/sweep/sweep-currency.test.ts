// Money in the customer's currency (issue 11, finding 2): spend thresholds,
// offer minimums and cart minimums are read in the currency the customer
// buys in, with that currency's figure from the campaign file; amounts in two
// currencies are never added up, and a currency the file gives no figure for
// leaves the customer out with the reason named.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTransport } from '../../../src/adapters/mailer/memory.ts';
import type { Campaign } from '../../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { decisionFacts } from '../../../src/core/selection/explain-facts.ts';
import { parseCartRef } from '../../../src/core/triggers/trigger-ref.ts';
import { drainOutbox } from '../../../src/services/delivery/drain-outbox.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { createViewBuilder } from '../../../src/services/render/build-view.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, noAudience, shopSettings, winbackOffer } from '../support/campaign-fixtures.ts';
import { deliveryOptions } from '../support/delivery-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const day = 86_400_000;
const hour = 3_600_000;
const now = Date.parse('2026-11-23T12:00:00Z');
let temp: TempStore;

beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

async function ingest(kind: 'customers' | 'orders' | 'carts', record: Record<string, unknown>) {
  const parsed = ingestSchemas[kind].parse(record);
  await ingestRecords({ store: temp.store }, { kind, records: [parsed] as never, now });
}

async function customer(id: string) {
  await ingest('customers', { id, email: `${id}@example.com`, marketing_consent: true });
}

let orderNo = 0;
async function order(customerId: string, daysAgo: number, currency: string, total: string) {
  await ingest('orders', {
    id: `o${++orderNo}`,
    customer_id: customerId,
    placed_at: new Date(now - daysAgo * day).toISOString(),
    status: 'paid',
    currency,
    total,
  });
}

function sweep(campaigns: Campaign[], explain?: string) {
  return runSweep({
    store: temp.store,
    campaigns: { settings: shopSettings({ currency: 'GBP' }), campaigns },
    now,
    dryRun: explain !== undefined,
    explainCustomer: explain,
  });
}

async function reason(campaign: Campaign, customerId: string): Promise<string> {
  const result = await sweep([campaign], customerId);
  const decision = result.explanations[0]!;
  return decision.outcome === 'excluded' ? `${decision.rule}: ${decision.detail}` : decision.outcome;
}

async function mailed(): Promise<string[]> {
  const rows = await temp.store.db.all<{ customer_id: string }>(
    sql`select customer_id from messages where status = 'scheduled' order by customer_id`,
  );
  return rows.map((row) => row.customer_id);
}

describe('spend thresholds in the customer currency', () => {
  const vip = dormantCampaign({
    audience: { ...noAudience, minTotalSpent: { GBP: 20_000, EUR: 23_000 } },
  });

  beforeEach(async () => {
    for (const id of ['eu', 'us', 'mixed', 'gb']) await customer(id);
    await order('eu', 120, 'EUR', '174.92');
    await order('us', 120, 'USD', '234.93');
    // 150 GBP and 100 EUR are not 250 of anything: only the GBP orders count.
    await order('mixed', 200, 'EUR', '100.00');
    await order('mixed', 120, 'GBP', '150.00');
    await order('gb', 120, 'GBP', '250.00');
  });

  it('judges each customer in their own currency and never adds two currencies', async () => {
    await sweep([vip]);
    expect(await mailed()).toEqual(['gb']);
  });

  it('--explain shows the spend and the threshold in that currency', async () => {
    expect(await reason(vip, 'eu')).toBe(
      'audience: spent €174.92 (orders in EUR), audience.min_total_spent is €230.00',
    );
    expect(await reason(vip, 'mixed')).toBe(
      'audience: spent £150.00 (orders in GBP), audience.min_total_spent is £200.00',
    );
    expect(await reason(vip, 'us')).toBe(
      'audience: buys in USD; audience.min_total_spent has no figure in USD (it gives GBP, EUR)',
    );
  });

  it('--explain facts put spend beside each threshold, and the cadence in figures', async () => {
    const cadenced = dormantCampaign({
      trigger: { type: 'dormant', days: 90, maxDays: 365, minOrders: 1, cadenceFactor: 1.5 },
      audience: vip.audience,
      holdoutPercent: 10,
    });
    await order('eu', 180, 'EUR', '10.00'); // a usual gap of 60 days, idle 120
    const result = await sweep([cadenced], 'eu');
    const facts = decisionFacts(result.explanations[0]!.hit, cadenced, shopSettings(), now);
    expect(facts).toEqual([
      '2 paid orders',
      'spent €184.92 in EUR (at least €230.00)',
      'usual gap 60 days, idle 120 days = 2.0x (cadence_factor 1.5)',
      '0 other marketing messages in the 3-day cap window (cap 1)',
      expect.stringMatching(/^holdout draw \d+\.\d\d of 100 \(held out below 10, the same every sweep\)$/),
    ]);
  });

  it('one figure is the shop currency only: a $234.93 customer does not pass a £200 threshold', async () => {
    const single = dormantCampaign({ audience: { ...noAudience, minTotalSpent: { GBP: 20_000 } } });
    await sweep([single]);
    expect(await mailed()).toEqual(['gb']);
  });
});

describe('offers in the customer currency', () => {
  const winback = dormantCampaign({
    steps: [
      {
        index: 0,
        delayHours: 0,
        email: { template: 'winback.mjml', subject: 'Hi' },
        offer: { ...winbackOffer, minSubtotal: { GBP: 4000, USD: 5000 } },
      },
    ],
  });

  beforeEach(async () => {
    for (const id of ['us', 'eu', 'gb']) await customer(id);
    await order('us', 120, 'USD', '80.00');
    await order('eu', 120, 'EUR', '80.00');
    await order('gb', 120, 'GBP', '80.00');
  });

  /** The outbox sends what the sweep planned; each first send issues its coupon. */
  async function send() {
    const set = { settings: shopSettings({ currency: 'GBP' }), campaigns: [winback] };
    const at = now + day;
    const counts = await drainOutbox(
      await deliveryOptions(temp.store, createMemoryTransport(), { campaigns: set, now: () => at }),
    );
    expect(counts.sent).toBe(2);
  }

  it("writes each coupon in the customer's currency with that currency's minimum", async () => {
    await sweep([winback]);
    const noted = await temp.store.db.all<{ customer_id: string; currency: string }>(
      sql`select customer_id, offer_currency as currency from messages order by customer_id`,
    );
    expect(noted).toEqual([
      { customer_id: 'gb', currency: 'GBP' },
      { customer_id: 'us', currency: 'USD' },
    ]);
    await send();
    const coupons = await temp.store.db.all<{ customer_id: string; currency: string; min: number }>(
      sql`select customer_id, currency, min_subtotal_minor as min from coupons order by customer_id`,
    );
    expect(coupons).toEqual([
      { customer_id: 'gb', currency: 'GBP', min: 4000 },
      { customer_id: 'us', currency: 'USD', min: 5000 },
    ]);
    expect(await reason(winback, 'eu')).toBe(
      'audience: buys in EUR; offer.min_subtotal has no figure in EUR (it gives GBP, USD)',
    );
  });

  it("the US customer's email says US$50.00, not £40.00", async () => {
    await sweep([winback]);
    await send();
    const [message] = await temp.store.db.all<Record<string, unknown>>(
      sql`select campaign_id as campaignId, step, customer_id as customerId, email, trigger_kind as triggerKind,
            trigger_ref as triggerRef, coupon_code as couponCode
          from messages where customer_id = 'us'`,
    );
    const builder = createViewBuilder({
      store: temp.store,
      campaigns: { settings: shopSettings({ currency: 'GBP' }), campaigns: [winback] },
    });
    const view = await builder.forMessage(message as never, { unsubscribe: 'https://m.example/u/t' });
    expect(view.offer?.min_subtotal?.display).toBe('US$50.00');
  });
});

describe('cart minimums in the cart currency', () => {
  async function cart(id: string, currency: string, total: string) {
    await ingest('carts', {
      id,
      customer_id: 'c1',
      email: 'c1@example.com',
      currency,
      last_activity_at: new Date(now - 2 * hour).toISOString(),
      items: [{ product_id: 'p1', quantity: 1, unit_price: total }],
    });
  }

  it('reminds a cart only when its own currency has a figure and the cart reaches it', async () => {
    await customer('c1');
    await cart('eur-small', 'EUR', '11.00');
    await cart('eur-big', 'EUR', '13.00');
    await cart('usd', 'USD', '500.00');
    const carts = dormantCampaign({
      id: 'abandoned-cart',
      trigger: { type: 'abandoned_cart', minCartValue: { GBP: 1000, EUR: 1200 } },
      frequency: undefined,
      cooldownDays: 0,
    } as Partial<Campaign>);
    const result = await sweep([{ ...carts, steps: [{ ...carts.steps[0]!, delayHours: 1 }] }]);
    const refs = await temp.store.db.all<{ trigger_ref: string }>(sql`select trigger_ref from messages`);
    expect(refs.map((row) => parseCartRef(row.trigger_ref)?.cartId)).toEqual(['eur-big']);
    expect(result.campaigns[0]!.scheduled).toBe(1);
  });
});
