// Issuing at sweep time: one coupon per scheduled message, in the same batch as
// the messages, and none for a message another sweep wrote first.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { openLibsqlStore } from '../../../src/db/libsql.ts';
import { issueCoupons } from '../../../src/db/repositories/coupons.ts';
import { type NewMessage, writeMessages } from '../../../src/db/repositories/messages.ts';
import { jsonRowsPerStatement } from '../../../src/db/repositories/upsert-helpers.ts';
import type { Store } from '../../../src/db/store.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, shopSettings, winbackOffer } from '../support/campaign-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const day = 86_400_000;
const now = Date.parse('2026-11-23T12:00:00Z');
const winback = (): Campaign =>
  dormantCampaign({
    holdoutPercent: 20,
    steps: [
      { index: 0, delayHours: 0, email: { template: 'winback.mjml', subject: 'Hi' }, offer: winbackOffer },
    ],
  });

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  const customers = Array.from({ length: 60 }, (_, i) =>
    ingestSchemas.customers.parse({ id: `c${i}`, email: `c${i}@example.com`, marketing_consent: true }),
  );
  await ingestRecords({ store: temp.store }, { kind: 'customers', records: customers, now });
  const orders = customers.map((c, i) =>
    ingestSchemas.orders.parse({
      id: `o${i}`,
      customer_id: c.id,
      placed_at: new Date(now - 120 * day).toISOString(),
      currency: 'GBP',
      total: '50.00',
    }),
  );
  await ingestRecords({ store: temp.store }, { kind: 'orders', records: orders, now });
});
afterEach(() => temp.cleanup());

function sweep(store: Store) {
  return runSweep({
    store,
    campaigns: { settings: shopSettings(), campaigns: [winback()] },
    now,
    dryRun: false,
    pageSize: 7,
  });
}

interface Joined {
  id: string;
  status: string;
  customer_id: string;
  due_at: number;
  coupon_code: string | null;
  code: string | null;
  coupon_customer: string | null;
  expires_at: number | null;
}

function messagesWithCoupons(store: Store) {
  return store.db.all<Joined>(sql`
    select m.id, m.status, m.customer_id, m.due_at, m.coupon_code, c.code, c.customer_id as coupon_customer,
      c.expires_at
    from messages m left join coupons c on c.message_id = m.id order by m.id`);
}

async function couponCount(store: Store) {
  const [row] = await store.db.all<{ n: number }>(sql`select count(*) as n from coupons`);
  return row!.n;
}

describe('coupons issued by a sweep', () => {
  it('one coupon per scheduled message, unique codes, bound and dated; held-out messages get none', async () => {
    const result = await sweep(temp.store);
    const rows = await messagesWithCoupons(temp.store);
    const scheduled = rows.filter((r) => r.status === 'scheduled');
    const heldOut = rows.filter((r) => r.status === 'held_out');
    expect(result.campaigns[0]).toMatchObject({ scheduled: scheduled.length, heldOut: heldOut.length });
    expect(scheduled.length).toBeGreaterThan(30);
    expect(heldOut.length).toBeGreaterThan(0);

    for (const row of scheduled) {
      expect(row.coupon_code).toMatch(/^BACK-\w{4}-\w{4}-\w{4}$/);
      expect(row.code).toBe(row.coupon_code);
      expect(row.coupon_customer).toBe(row.customer_id);
      expect(row.expires_at).toBe(row.due_at + 14 * day);
    }
    for (const row of heldOut) expect([row.coupon_code, row.code]).toEqual([null, null]);
    expect(new Set(scheduled.map((r) => r.code)).size).toBe(scheduled.length);
    expect(await couponCount(temp.store)).toBe(scheduled.length);
    const [terms] = await temp.store.db.all(sql`
      select distinct campaign_id, kind, value, currency, min_subtotal_minor, uses_allowed, uses, created_at
      from coupons`);
    expect(terms).toEqual({
      campaign_id: 'winback',
      kind: 'percent_off',
      value: 15,
      currency: 'GBP',
      min_subtotal_minor: 4000,
      uses_allowed: 1,
      uses: 0,
      created_at: now,
    });
  });

  it('two sweeps racing on two connections write each message and its coupon once', async () => {
    const second = await openLibsqlStore({ url: temp.url });
    try {
      const [a, b] = await Promise.all([sweep(temp.store), sweep(second)]);
      const rows = await messagesWithCoupons(temp.store);
      const scheduled = rows.filter((r) => r.status === 'scheduled');
      expect(rows).toHaveLength(60);
      expect(a.campaigns[0]!.scheduled + b.campaigns[0]!.scheduled).toBe(scheduled.length);
      expect(await couponCount(temp.store)).toBe(scheduled.length);
      for (const row of scheduled) expect(row.code).toBe(row.coupon_code);
      const again = await sweep(second);
      expect(again.campaigns[0]!.scheduled).toBe(0);
      expect(await couponCount(temp.store)).toBe(scheduled.length);
    } finally {
      await second.close();
    }
  });

  it('a sweep that loses the dedupe race leaves no orphan coupon', async () => {
    const plan = (id: string): NewMessage & { dedupeKey: string } => ({
      id,
      dedupeKey: 'winback:0:c1:episode-1',
      campaignId: 'winback',
      step: 0,
      customerId: 'c1',
      email: 'c1@example.com',
      triggerKind: 'dormant',
      triggerRef: 'episode-1',
      status: 'scheduled',
      dueAt: now,
      createdAt: now,
      updatedAt: now,
    });
    const context = { campaign: winback(), currency: 'GBP', now };
    const first = issueCoupons(temp.store, context, [plan('winner')]);
    const second = issueCoupons(temp.store, context, [plan('loser')]);
    expect(first.statements).toHaveLength(1);
    expect(await writeMessages(temp.store, first.rows, first.statements)).toEqual(
      new Set(['winback:0:c1:episode-1']),
    );
    expect(await writeMessages(temp.store, second.rows, second.statements)).toEqual(new Set());
    const coupons = await temp.store.db.all(sql`select code, message_id from coupons`);
    expect(coupons).toEqual([{ code: first.rows[0]!.couponCode, message_id: 'winner' }]);
  });

  it('binds a page of coupons as one JSON value per thousand, well inside D1’s 100 parameters', async () => {
    const limited: Store = { ...temp.store, limits: { maxParams: 100, maxBatchStatements: 500 } };
    const rows = Array.from({ length: 2500 }, (_, i) => ({
      id: `m${i}`,
      dedupeKey: `k${i}`,
      campaignId: 'winback',
      step: 0,
      customerId: `c${i}`,
      email: null,
      triggerKind: 'dormant',
      triggerRef: 'r',
      status: 'scheduled' as const,
      dueAt: now,
      createdAt: now,
      updatedAt: now,
    }));
    const issued = issueCoupons(limited, { campaign: winback(), currency: 'GBP', now }, rows);
    const { statements } = issued;
    for (const statement of statements) {
      const { params } = (statement as unknown as { toSQL(): { params: unknown[] } }).toSQL();
      expect(params.length).toBeLessThanOrEqual(10);
    }
    expect(statements.length).toBe(Math.ceil(rows.length / jsonRowsPerStatement));
    await writeMessages(temp.store, issued.rows, statements);
    const [matched] = await temp.store.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM coupons c JOIN messages m ON m.id = c.message_id AND m.coupon_code = c.code`,
    );
    expect(matched?.n).toBe(rows.length);
  });
});
