// Attribution and reports on D1 in workerd: the order batch's redemption
// statements (json_each, INSERT ... SELECT ... ON CONFLICT) and the report's
// window-function query run on D1 as they do on libSQL.
import { exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { coupons, customers, messages } from '../../src/db/schema/index.ts';
import { buildCampaignReports } from '../../src/services/reports/build-campaign-report.ts';
import { baseUrl, createKey, testStore, uniquePrefix } from './support/worker-client.ts';

const day = 86_400_000;
const t0 = Date.parse('2026-09-01T10:00:00Z');

describe('attribution on D1', () => {
  it('turns a coupon order into one redemption and reports it with the influenced order', async () => {
    const store = testStore();
    const prefix = uniquePrefix();
    const campaignId = `${prefix}-winback`;
    const code = `${prefix.toUpperCase()}-AAAA-BBBB-CCCC`;
    await store.db
      .insert(customers)
      .values(['a', 'b'].map((c) => ({ id: `${prefix}-${c}`, email: null, createdAt: t0, updatedAt: t0 })));
    await store.db.insert(messages).values(
      ['a', 'b'].map((c) => ({
        id: `${prefix}-m-${c}`,
        dedupeKey: `${campaignId}:0:${prefix}-${c}:e`,
        campaignId,
        customerId: `${prefix}-${c}`,
        triggerKind: 'dormant',
        triggerRef: 'e',
        status: 'sent' as const,
        dueAt: t0,
        sentAt: t0,
        createdAt: t0,
        updatedAt: t0,
      })),
    );
    await store.db.insert(coupons).values({
      code,
      campaignId,
      messageId: `${prefix}-m-a`,
      customerId: `${prefix}-a`,
      kind: 'percent_off',
      value: 10,
      createdAt: t0,
    });
    const key = await createKey(['ingest']);
    const orders = [
      {
        id: `${prefix}-o1`,
        customer_id: `${prefix}-a`,
        placed_at: '2026-09-02T10:00:00Z',
        currency: 'EUR',
        total: '45.00',
        discount_codes: [code.toLowerCase()],
      },
      {
        id: `${prefix}-o2`,
        customer_id: `${prefix}-b`,
        placed_at: '2026-09-03T10:00:00Z',
        currency: 'EUR',
        total: '20.00',
      },
    ];
    for (let i = 0; i < 2; i++) {
      const response = await exports.default.fetch(`${baseUrl}/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(orders),
      });
      expect(response.status).toBe(200);
    }
    const [report] = await buildCampaignReports({ store }, { campaignId, now: t0 + 10 * day });
    expect(report?.totals).toMatchObject({
      sent: 2,
      redeemed: 1,
      influenced: 1,
      revenue: [{ currency: 'EUR', minor: 6500, amount: '65.00' }],
      redeemedRevenue: [{ currency: 'EUR', minor: 4500, amount: '45.00' }],
    });
    const [coupon] = await store.db
      .select({ uses: coupons.uses })
      .from(coupons)
      .where(eq(coupons.code, code));
    expect(coupon?.uses).toBe(1);
  });
});
