// One Cron Trigger invocation stays inside its D1 query budget: the sweeps and
// the delivery drain after them (which issues each message's coupon) share
// one meter, delivery sizes its batches to what the sweeps left, and what
// does not fit waits for the next tick.
// The queries are counted here, independently of the Worker's own meter, by
// handing the Worker a counting wrapper of the D1 binding. Storage is shared
// between test files: this file's times are long before anything others
// schedule, so its ticks see only its own due mail.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { meterD1 } from '../../src/db/d1-query-meter.ts';
import { customers, messages } from '../../src/db/schema/index.ts';
import worker from '../../src/entry/worker.ts';
import { seedDormant } from './support/sweep-seed.ts';
import { testStore, uniquePrefix } from './support/worker-client.ts';

const day = 86_400_000;
// The nightly cron's time, in the shop's send window hours later.
const firedAt = Date.parse('2000-03-01T03:00:00Z');
const mail = {
  MAIL_HTTP_URL: 'https://mail-standin.test/send',
  SIGNING_SECRET: 'worker-test-signing-secret-0123',
  PUBLIC_BASE_URL: 'https://mail.shop.example',
};

afterEach(() => {
  vi.restoreAllMocks();
});

/** `count` consenting customers, each with one win-back message due at `dueAt`, its offer noted as a sweep notes it. */
async function seedDue(prefix: string, count: number, dueAt: number): Promise<void> {
  const store = testStore();
  for (let i = 0; i < count; i++) {
    const id = `${prefix}-due${String(i).padStart(3, '0')}`;
    await store.db.insert(customers).values({
      id,
      email: `${id}@example.com`,
      marketingConsent: true,
      createdAt: dueAt - day,
      updatedAt: dueAt - day,
    });
    await store.db.insert(messages).values({
      id: `${id}-m`,
      dedupeKey: `winback:0:${id}:lp1`,
      campaignId: 'winback',
      customerId: id,
      email: `${id}@example.com`,
      triggerKind: 'dormant',
      triggerRef: 'lp1',
      status: 'scheduled',
      offerCurrency: 'GBP',
      dueAt,
      createdAt: dueAt - day,
      updatedAt: dueAt - day,
    });
  }
}

/** Fires one cron invocation on a counting wrapper of DB; answers the queries it made. */
async function fire(cron: string, scheduledTime: number, vars: Record<string, string>): Promise<number> {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  const counted = meterD1(env.DB);
  const ctx = createExecutionContext();
  await worker.scheduled(
    createScheduledController({ cron, scheduledTime }),
    { ...env, ...mail, ...vars, DB: counted.db },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  vi.restoreAllMocks();
  return counted.meter.count;
}

async function statusesOf(prefix: string) {
  const rows = await testStore().db.all<{ status: string; attempts: number; n: number }>(
    sql`select status, attempts, count(*) as n from messages
        where id like ${`${prefix}-due%`} group by status, attempts order by status`,
  );
  return rows.map((r) => ({ status: r.status, attempts: Number(r.attempts), n: Number(r.n) }));
}

describe('one invocation, one query budget', () => {
  it('sweeps and delivery together never pass the budget; the rest is sent on later ticks', async () => {
    const prefix = uniquePrefix();
    await seedDue(prefix, 30, firedAt - 60_000);
    // The nightly sweep has work too.
    await seedDormant(prefix, 12, firedAt);
    const budget = { QUERY_BUDGET: '60', SWEEP_QUERY_BUDGET: '30', SWEEP_PAGE_SIZE: '4' };

    const used = [await fire('0 3 * * *', firedAt, budget)];
    const afterFirst = await statusesOf(prefix);
    // Something was sent, not everything, and nothing was left claimed.
    expect(afterFirst.find((r) => r.status === 'sent')?.n ?? 0).toBeGreaterThan(0);
    expect(afterFirst.find((r) => r.status === 'scheduled')?.n ?? 0).toBeGreaterThan(0);
    for (let tick = 1; tick <= 40; tick++) {
      const rows = await statusesOf(prefix);
      expect(rows.map((r) => r.status)).not.toContain('sending');
      if (rows.length === 1 && rows[0]!.status === 'sent') break;
      used.push(await fire('*/5 * * * *', firedAt + tick * 5 * 60_000, budget));
    }
    // Every message went out once, over several invocations, none over budget.
    expect(await statusesOf(prefix)).toEqual([{ status: 'sent', attempts: 1, n: 30 }]);
    expect(used.length).toBeGreaterThan(2);
    for (const n of used) expect(n).toBeLessThanOrEqual(60);
    // Each went out with the coupon its send issued, inside the same budgets.
    const [coupons] = await testStore().db.all<{ n: number; codes: number; carried: number }>(
      sql`select count(*) as n, count(distinct c.code) as codes, sum(m.coupon_code = c.code) as carried
          from coupons c join messages m on m.id = c.message_id where m.id like ${`${prefix}-due%`}`,
    );
    expect(coupons).toEqual({ n: 30, codes: 30, carried: 30 });
  });

  it('reports its queries per 1,000 customers swept and per 100 messages sent', async () => {
    const prefix = uniquePrefix();
    const at = firedAt + 400 * day;
    await seedDue(prefix, 20, at - 60_000);
    await seedDormant(prefix, 30, at);
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      lines.push(String(line));
    });
    const counted = meterD1(env.DB);
    const ctx = createExecutionContext();
    await worker.scheduled(
      createScheduledController({ cron: '0 3 * * *', scheduledTime: at }),
      { ...env, ...mail, QUERY_BUDGET: '1000', SWEEP_QUERY_BUDGET: '600', DB: counted.db },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    vi.restoreAllMocks();
    const line = lines.find((l) => l.includes('D1 queries'));
    const match = line?.match(
      /used (\d+) D1 queries .*sweeps (\d+) for (\d+) customers \(([\d.]+) per 1,000\), delivery (\d+) for (\d+) sent \(([\d.]+) per 100\)/,
    );
    expect(match, line).toBeTruthy();
    const [total, sweeps, customers, per1000, delivery, sent, per100] = match!
      .slice(1)
      .map(Number) as number[];
    // The Worker's meter agrees with the one counting here, and its parts fit in it.
    expect(total).toBe(counted.meter.count);
    expect(sweeps! + delivery!).toBeLessThanOrEqual(total!);
    expect(customers).toBeGreaterThanOrEqual(30);
    expect(sent).toBeGreaterThanOrEqual(20);
    expect(per1000).toBeCloseTo((sweeps! / customers!) * 1000, 1);
    expect(per100).toBeCloseTo((delivery! / sent!) * 100, 1);
    console.info(`D1 cost: ${line}`);
  });
});
