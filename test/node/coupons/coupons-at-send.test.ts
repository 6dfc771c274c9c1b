// Coupons are issued when a message is first sent, not when a sweep plans it
// (issue 13): the sweep notes the offer's currency on the message and writes
// no coupon; the first send attempt writes one keyed by the message, so a
// retried or ambiguous send carries the same code; a message that is never
// sent (held out, cancelled at the recheck, suppressed, not due yet, or
// cancelled or failed after its code was issued but before any checkout saw
// it) has no code, so an unsent coupon cannot be redeemed: it does not exist.
import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTransport, type MemoryTransport } from '../../../src/adapters/mailer/memory.ts';
import type { Campaign, CampaignSet } from '../../../src/core/campaigns/types.ts';
import { hashEmail } from '../../../src/core/email-hash.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { generateCode } from '../../../src/core/offers/code.ts';
import type { IssuedCoupon } from '../../../src/core/offers/issue.ts';
import { openLibsqlStore } from '../../../src/db/libsql.ts';
import { writeIssuedCoupons } from '../../../src/db/repositories/coupons.ts';
import { jsonRowsPerStatement } from '../../../src/db/repositories/upsert-helpers.ts';
import { messages, suppressions } from '../../../src/db/schema/index.ts';
import type { Statement, Store } from '../../../src/db/store.ts';
import { type DrainOptions, drainOutbox } from '../../../src/services/delivery/drain-outbox.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, shopSettings, winbackOffer } from '../support/campaign-fixtures.ts';
import { deliveryOptions, fakeRenderer, fakeViews } from '../support/delivery-fixtures.ts';
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
const set = (): CampaignSet => ({ settings: shopSettings(), campaigns: [winback()] });

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
  return runSweep({ store, campaigns: set(), now, dryRun: false, pageSize: 7 });
}

async function deliver(
  at: number,
  transport: MemoryTransport = createMemoryTransport(),
  overrides: Partial<DrainOptions> = {},
) {
  const counts = await drainOutbox(
    await deliveryOptions(temp.store, transport, {
      campaigns: set(),
      now: () => at,
      settings: { batchSize: 25, concurrency: 3, leaseMs: 60_000 },
      ...overrides,
    }),
  );
  return { counts, transport };
}

/** A time by which every message the sweep planned is due. */
async function allDue(): Promise<number> {
  const [row] = await temp.store.db.all<{ at: number }>(sql`select max(due_at) as at from messages`);
  return Number(row!.at) + 60_000;
}

interface Joined {
  id: string;
  status: string;
  cancel_reason: string | null;
  customer_id: string;
  offer_currency: string | null;
  coupon_code: string | null;
  code: string | null;
  coupon_customer: string | null;
  expires_at: number | null;
  created_at: number | null;
}

function messagesWithCoupons(store: Store) {
  return store.db.all<Joined>(sql`
    select m.id, m.status, m.cancel_reason, m.customer_id, m.offer_currency, m.coupon_code, c.code,
      c.customer_id as coupon_customer, c.expires_at, c.created_at
    from messages m left join coupons c on c.message_id = m.id order by m.id`);
}

async function couponCount(store: Store) {
  const [row] = await store.db.all<{ n: number }>(sql`select count(*) as n from coupons`);
  return row!.n;
}

describe('coupons are issued at the first send, not by the sweep', () => {
  it('a sweep writes its messages without coupons: offer steps note the currency, held-out ones nothing', async () => {
    const result = await sweep(temp.store);
    const rows = await messagesWithCoupons(temp.store);
    const scheduled = rows.filter((r) => r.status === 'scheduled');
    const heldOut = rows.filter((r) => r.status === 'held_out');
    expect(result.campaigns[0]).toMatchObject({ scheduled: scheduled.length, heldOut: heldOut.length });
    expect(scheduled.length).toBeGreaterThan(30);
    expect(heldOut.length).toBeGreaterThan(0);
    expect(await couponCount(temp.store)).toBe(0);
    for (const row of scheduled) expect([row.offer_currency, row.coupon_code]).toEqual(['GBP', null]);
    for (const row of heldOut) expect([row.offer_currency, row.coupon_code]).toEqual([null, null]);
  });

  it('the send gives each sent message one coupon: unique, bound, dated from the send, in its mail', async () => {
    await sweep(temp.store);
    const sendAt = await allDue();
    const { counts, transport } = await deliver(sendAt);
    const rows = await messagesWithCoupons(temp.store);
    const sent = rows.filter((r) => r.status === 'sent');
    expect(counts.sent).toBe(sent.length);
    expect(sent.length).toBeGreaterThan(30);
    const mails = new Map(transport.sent.map((mail) => [mail.id, mail.raw]));
    for (const row of sent) {
      expect(row.coupon_code).toMatch(/^BACK-\w{4}-\w{4}-\w{4}$/);
      expect(row.code).toBe(row.coupon_code);
      expect(row.coupon_customer).toBe(row.customer_id);
      expect([row.created_at, row.expires_at]).toEqual([sendAt, sendAt + 14 * day]);
      expect(mails.get(row.id)).toContain(row.coupon_code);
    }
    for (const row of rows.filter((r) => r.status === 'held_out')) expect(row.code).toBeNull();
    expect(new Set(sent.map((r) => r.code)).size).toBe(sent.length);
    expect(await couponCount(temp.store)).toBe(sent.length);
    const terms = await temp.store.db.all(sql`
      select distinct campaign_id, kind, value, currency, min_subtotal_minor, uses_allowed, uses from coupons`);
    expect(terms).toEqual([
      {
        campaign_id: 'winback',
        kind: 'percent_off',
        value: 15,
        currency: 'GBP',
        min_subtotal_minor: 4000,
        uses_allowed: 1,
        uses: 0,
      },
    ]);
  });

  it('a message never sent never has a code: held out, suppressed, cancelled, failed unsent, not due yet', async () => {
    await sweep(temp.store);
    const scheduled = (await messagesWithCoupons(temp.store)).filter((r) => r.status === 'scheduled');
    const [suppressed, ordered, later, gone, broken] = scheduled;
    // Between the sweep and the send: an address unsubscribes, a customer buys, a message is put off.
    await temp.store.db.insert(suppressions).values({
      emailHash: await hashEmail(`${suppressed!.customer_id}@example.com`),
      reason: 'unsubscribed',
      createdAt: now,
    });
    await ingestRecords(
      { store: temp.store },
      {
        kind: 'orders',
        records: [
          ingestSchemas.orders.parse({
            id: 'bought',
            customer_id: ordered!.customer_id,
            placed_at: new Date(now + 1000).toISOString(),
            currency: 'GBP',
            total: '20.00',
          }),
        ],
        now,
      },
    );
    const sendAt = await allDue();
    await temp.store.db
      .update(messages)
      .set({ dueAt: sendAt + day })
      .where(eq(messages.id, later!.id));

    // Past the recheck, with their codes issued: one whose content is gone, one whose template breaks.
    const { counts } = await deliver(sendAt, createMemoryTransport(), {
      views: { build: async (input) => (input.message.id === gone!.id ? null : fakeViews.build(input)) },
      renderer: {
        render: async (template, subject, view) => {
          if (view.customer.id === broken!.customer_id) throw new Error('the template broke');
          return fakeRenderer.render(template, subject, view);
        },
      },
    });
    expect(counts.cancelReasons).toEqual({ suppressed: 1, ordered: 1, content_unavailable: 1 });
    expect(counts.failed).toBe(1);
    const rows = new Map((await messagesWithCoupons(temp.store)).map((r) => [r.id, r]));
    expect(rows.get(suppressed!.id)).toMatchObject({
      status: 'cancelled',
      cancel_reason: 'suppressed',
      code: null,
    });
    expect(rows.get(ordered!.id)).toMatchObject({
      status: 'cancelled',
      cancel_reason: 'ordered',
      code: null,
    });
    expect(rows.get(later!.id)).toMatchObject({ status: 'scheduled', coupon_code: null, code: null });
    expect(rows.get(gone!.id)).toMatchObject({
      status: 'cancelled',
      cancel_reason: 'content_unavailable',
      coupon_code: null,
      code: null,
    });
    expect(rows.get(broken!.id)).toMatchObject({ status: 'failed', coupon_code: null, code: null });
    for (const row of rows.values()) {
      if (row.status === 'held_out') expect([row.coupon_code, row.code]).toEqual([null, null]);
    }
    // Every coupon that exists went out with its message.
    const [unsent] = await temp.store.db.all<{ n: number }>(sql`
      select count(*) as n from coupons c left join messages m on m.id = c.message_id where m.status is not 'sent'`);
    expect(unsent!.n).toBe(0);
    expect(await couponCount(temp.store)).toBe(counts.sent);
  });

  it('a send retried after an ambiguous or temporary failure carries the code its first attempt fixed', async () => {
    await sweep(temp.store);
    const sendAt = await allDue();
    // Every first attempt fails: dropped after the data (ambiguous) or a 4xx (temporary).
    let n = 0;
    const transport = createMemoryTransport((_mail, attempt) => {
      if (attempt > 1) return undefined;
      return n++ % 2 === 0
        ? { kind: 'ambiguous', reason: 'connection dropped after the data' }
        : { kind: 'temporary', code: 451, reason: 'try again later' };
    });
    const first = await deliver(sendAt, transport);
    expect(first.counts.sent).toBe(0);
    expect(first.counts.ambiguous).toBeGreaterThan(0);
    expect(first.counts.retrying).toBeGreaterThan(0);
    const fixed = new Map(
      (await messagesWithCoupons(temp.store))
        .filter((r) => r.status === 'ambiguous' || r.status === 'scheduled')
        .filter((r) => r.offer_currency !== null)
        .map((r) => [r.id, r.coupon_code]),
    );
    const coupons = await couponCount(temp.store);
    expect(coupons).toBe(fixed.size);
    for (const code of fixed.values()) expect(code).toMatch(/^BACK-/);

    const again = await deliver(sendAt + day, transport);
    expect(again.counts.sent).toBe(fixed.size);
    const rows = await messagesWithCoupons(temp.store);
    for (const row of rows.filter((r) => fixed.has(r.id))) {
      expect(row).toMatchObject({ status: 'sent', coupon_code: fixed.get(row.id), code: fixed.get(row.id) });
    }
    // Both attempts' mails carry the same code, and no second coupon was written.
    for (const [id, code] of fixed) {
      const mails = transport.sent.filter((mail) => mail.id === id);
      for (const mail of mails) expect(mail.raw).toContain(code);
    }
    expect(transport.sent.filter((mail) => fixed.has(mail.id)).length).toBeGreaterThan(fixed.size);
    expect(await couponCount(temp.store)).toBe(coupons);
  });
});

describe('the campaign file changed between the sweep and the send', () => {
  it("the send issues the step's offer as it reads then: none when it is gone, a failure when the currency lost its figure", async () => {
    await sweep(temp.store);
    const sendAt = await allDue();
    const planned = (await messagesWithCoupons(temp.store)).filter((r) => r.status === 'scheduled');
    const [first, second] = planned;
    const edited = (offer: Campaign['steps'][number]['offer']): CampaignSet => ({
      settings: shopSettings(),
      campaigns: [{ ...winback(), steps: [{ ...winback().steps[0]!, offer }] }],
    });
    // Everyone but the first two waits for later; the first goes once the offer is taken off its step.
    await temp.store.db
      .update(messages)
      .set({ dueAt: sendAt + day })
      .where(sql`id not in (${first!.id}, ${second!.id})`);
    await temp.store.db
      .update(messages)
      .set({ dueAt: sendAt + 1000 })
      .where(eq(messages.id, second!.id));
    const gone = await deliver(sendAt, createMemoryTransport(), { campaigns: edited(null) });
    expect(gone.counts.sent).toBe(1);
    // The second is sent once GBP has no figure for an amount off any more.
    const usdOnly = { ...winbackOffer, kind: 'amount_off' as const, amount: { USD: 500 }, minSubtotal: null };
    const gap = await deliver(sendAt + 1000, createMemoryTransport(), { campaigns: edited(usdOnly) });
    expect(gap.counts).toMatchObject({ sent: 0, failed: 1 });
    const rows = new Map((await messagesWithCoupons(temp.store)).map((r) => [r.id, r]));
    expect(rows.get(first!.id)).toMatchObject({ status: 'sent', offer_currency: null, coupon_code: null });
    expect(rows.get(second!.id)).toMatchObject({ status: 'failed', coupon_code: null, code: null });
    const [failed] = await temp.store.db.all<{ error: string }>(
      sql`select last_error as error from messages where id = ${second!.id}`,
    );
    expect(failed!.error).toMatch(/^coupon: .*GBP/);
    expect(await couponCount(temp.store)).toBe(0);
  });
});

describe('writing issued coupons', () => {
  const message = {
    id: 'm1',
    dedupeKey: 'winback:0:c1:episode-1',
    campaignId: 'winback',
    step: 0,
    customerId: 'c1',
    email: 'c1@example.com',
    triggerKind: 'dormant',
    triggerRef: 'episode-1',
    status: 'sending' as const,
    offerCurrency: 'GBP',
    dueAt: now,
    createdAt: now,
    updatedAt: now,
  };
  const coupon = (code: string, messageId = 'm1'): IssuedCoupon => ({
    code,
    messageId,
    campaignId: 'winback',
    customerId: 'c1',
    terms: { kind: 'percent_off', value: 15 },
    currency: 'GBP',
    minSubtotalMinor: 4000,
    expiresAt: now + 14 * day,
    usesAllowed: 1,
    issuedAt: now,
  });

  it('is keyed by the message: a second issuer is told nothing and writes nothing', async () => {
    await temp.store.db.insert(messages).values(message);
    const second = await openLibsqlStore({ url: temp.url });
    try {
      const [a, b] = await Promise.all([
        writeIssuedCoupons(temp.store, [coupon('BACK-2222-3333-4444')]),
        writeIssuedCoupons(second, [coupon('BACK-5555-6666-7777')]),
      ]);
      const won = [...a.values(), ...b.values()];
      expect(won).toHaveLength(1);
      const rows = await temp.store.db.all(sql`select code, message_id from coupons`);
      expect(rows).toEqual([{ code: won[0], message_id: 'm1' }]);
      const [stored] = await temp.store.db.all<{ code: string }>(
        sql`select coupon_code as code from messages where id = 'm1'`,
      );
      expect(stored!.code).toBe(won[0]);
    } finally {
      await second.close();
    }
  });

  it('writes none for a message already settled or gone', async () => {
    await temp.store.db.insert(messages).values([
      { ...message, id: 'cancelled', dedupeKey: 'k2', status: 'cancelled' },
      { ...message, id: 'sent', dedupeKey: 'k3', status: 'sent' },
    ]);
    const codes = await writeIssuedCoupons(temp.store, [
      coupon('BACK-2222-3333-4444', 'cancelled'),
      coupon('BACK-5555-6666-7777', 'sent'),
      coupon('BACK-8888-9999-AAAA', 'missing'),
    ]);
    expect(codes.size).toBe(0);
    expect(await couponCount(temp.store)).toBe(0);
  });

  it('binds a batch of coupons as one JSON value per thousand, well inside D1’s 100 parameters', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => ({
      ...message,
      id: `m${i}`,
      dedupeKey: `k${i}`,
      customerId: `c${i}`,
    }));
    for (let i = 0; i < rows.length; i += 500)
      await temp.store.db.insert(messages).values(rows.slice(i, i + 500));
    const batches: Statement[][] = [];
    const spied: Store = {
      ...temp.store,
      limits: { maxParams: 100, maxBatchStatements: 500 },
      batch: (statements) => {
        batches.push(statements);
        return temp.store.batch(statements);
      },
    };
    const codes = await writeIssuedCoupons(
      spied,
      rows.map((row) => coupon(generateCode('BACK'), row.id)),
    );
    expect(batches).toHaveLength(1);
    for (const statement of batches[0]!) {
      const { params } = (statement as unknown as { toSQL(): { params: unknown[] } }).toSQL();
      expect(params.length).toBeLessThanOrEqual(10);
    }
    expect(batches[0]!.length).toBe(2 * Math.ceil(rows.length / jsonRowsPerStatement));
    expect(codes.size).toBe(rows.length);
    const [matched] = await temp.store.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM coupons c JOIN messages m ON m.id = c.message_id AND m.coupon_code = c.code`,
    );
    expect(matched?.n).toBe(rows.length);
  });
});

describe('sweeps racing', () => {
  it('two sweeps on two connections write each message once, and no coupon', async () => {
    const second = await openLibsqlStore({ url: temp.url });
    try {
      const [a, b] = await Promise.all([sweep(temp.store), sweep(second)]);
      const rows = await messagesWithCoupons(temp.store);
      const scheduled = rows.filter((r) => r.status === 'scheduled');
      expect(rows).toHaveLength(60);
      expect(a.campaigns[0]!.scheduled + b.campaigns[0]!.scheduled).toBe(scheduled.length);
      expect((await sweep(second)).campaigns[0]!.scheduled).toBe(0);
      expect(await couponCount(temp.store)).toBe(0);
    } finally {
      await second.close();
    }
  });
});
