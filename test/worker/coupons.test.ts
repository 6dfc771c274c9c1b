// Coupons on D1 in workerd: issuing in the messages' batch, and single use
// under 100 concurrent redemptions with D1's one-statement atomicity (no
// interactive transactions).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Campaign, Offer } from '../../src/core/campaigns/types.ts';
import { issueCoupons } from '../../src/db/repositories/coupons.ts';
import { writeMessages } from '../../src/db/repositories/messages.ts';
import type { Store } from '../../src/db/store.ts';
import { createApp } from '../../src/http/create-app.ts';
import { createKey, testStore, uniquePrefix } from './support/worker-client.ts';

const now = Date.parse('2026-11-01T12:00:00Z');
const generous = { capacity: 1000, refillPerSecond: 1000 };

function offer(uses: number): Offer {
  return {
    kind: 'percent_off',
    percent: 15,
    minSubtotalMinor: null,
    expiresAfterDays: 14,
    codePrefix: 'BACK',
    uses,
    bindToCustomer: true,
  };
}

/** Issues a coupon as a sweep does and marks its message sent. */
async function sentCoupon(store: Store, prefix: string, uses: number): Promise<string> {
  const campaign = {
    id: 'winback',
    steps: [{ index: 0, delayHours: 0, email: { template: 'w.mjml', subject: 'Hi' }, offer: offer(uses) }],
  } as unknown as Campaign;
  const row = {
    id: `${prefix}-message`,
    dedupeKey: `winback:0:${prefix}-c1:e`,
    campaignId: 'winback',
    step: 0,
    customerId: `${prefix}-c1`,
    email: null,
    triggerKind: 'dormant',
    triggerRef: 'e',
    status: 'scheduled' as const,
    dueAt: now,
    createdAt: now,
    updatedAt: now,
  };
  const issued = issueCoupons(store, { campaign, currency: 'GBP', now }, [row]);
  const written = await writeMessages(store, issued.rows, issued.statements);
  expect(written.size).toBe(1);
  await env.DB.prepare("update messages set status = 'sent' where id = ?").bind(row.id).run();
  return issued.rows[0]!.couponCode!;
}

async function storm(uses: number) {
  const prefix = uniquePrefix();
  const base = testStore();
  let batches = 0;
  const store: Store = {
    ...base,
    batch(statements) {
      batches++;
      return base.batch(statements);
    },
  };
  const key = await createKey(['coupons']);
  const code = await sentCoupon(base, prefix, uses);
  const app = createApp({
    store,
    now: () => now,
    couponRateLimits: { perClient: generous, perCode: generous },
  });
  const responses = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      app.request('/v1/redemptions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({
          code,
          order_id: `${prefix}-order-${i}`,
          customer_id: `${prefix}-c1`,
          currency: 'GBP',
          order_total: '50.00',
        }),
      }),
    ),
  );
  const statuses = responses.map((r) => r.status);
  const redemptions = await env.DB.prepare('select count(*) as n from redemptions where coupon_code = ?')
    .bind(code)
    .first<{ n: number }>();
  const coupon = await env.DB.prepare('select uses from coupons where code = ?').bind(code).first();
  return {
    // Most requests passed the read and raced to write.
    raced: batches > 50,
    created: statuses.filter((s) => s === 201).length,
    conflicts: statuses.filter((s) => s === 409).length,
    redemptions: redemptions?.n,
    uses: coupon?.uses,
  };
}

describe('redemptions on D1', () => {
  it('100 concurrent redemptions of a single-use code: exactly 1 succeeds, 99 get 409', async () => {
    expect(await storm(1)).toEqual({ raced: true, created: 1, conflicts: 99, redemptions: 1, uses: 1 });
  });

  it('a code allowing 5 uses gives exactly 5', async () => {
    expect(await storm(5)).toEqual({ raced: true, created: 5, conflicts: 95, redemptions: 5, uses: 5 });
  });
});
