// The scheduled sweeps on D1 in workerd: Cron Triggers call the Worker's
// scheduled handler, which sweeps the bundled campaigns within a query budget,
// resumes in the next invocation, and never writes a message twice, even when
// two sweeps run at once. Storage is shared between test files, so every test
// uses its own id prefix and reads back only its own rows.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseBundledCampaigns } from '../../src/config/bundled-campaigns.ts';
import { ingestSchemas } from '../../src/core/ingest/records.ts';
import { openD1Store } from '../../src/db/d1.ts';
import type { Store } from '../../src/db/store.ts';
import worker from '../../src/entry/worker.ts';
import { campaignFiles } from '../../src/generated/campaign-files.ts';
import { ingestRecords } from '../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../src/services/sweep/run-sweep.ts';
import { seedDormant } from './support/sweep-seed.ts';
import { testStore, uniquePrefix } from './support/worker-client.ts';

const day = 86_400_000;
// Late enough that rows other test files leave behind are dormant too: the
// sweeps must cope with them, and the assertions read only this file's rows.
const firedAt = Date.parse('2027-06-01T03:00:00Z');

afterEach(() => {
  vi.restoreAllMocks();
});

async function seedCart(prefix: string): Promise<void> {
  const owner = `${prefix}-shopper`;
  await ingestRecords(
    { store: testStore() },
    {
      kind: 'customers',
      records: [
        ingestSchemas.customers.parse({ id: owner, email: `${owner}@example.com`, marketing_consent: true }),
      ],
      now: firedAt,
    },
  );
  await ingestRecords(
    { store: testStore() },
    {
      kind: 'carts',
      records: [
        ingestSchemas.carts.parse({
          id: `${prefix}-cart`,
          customer_id: owner,
          email: `${owner}@example.com`,
          currency: 'GBP',
          last_activity_at: new Date(firedAt - 2 * 3_600_000).toISOString(),
          items: [{ product_id: `${prefix}-p`, title: 'Mug', quantity: 2, unit_price: '12.50' }],
        }),
      ],
      now: firedAt,
    },
  );
}

async function messagesOf(prefix: string) {
  return testStore().db.all<{ dedupe_key: string; campaign_id: string; status: string }>(
    sql`select dedupe_key, campaign_id, status from messages where dedupe_key like ${`%:${prefix}-%`} order by dedupe_key`,
  );
}

async function fire(cron: string, scheduledTime: number, bindings: Record<string, unknown> = {}) {
  const logged = vi.spyOn(console, 'log').mockImplementation(() => {});
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron, scheduledTime }), { ...env, ...bindings }, ctx);
  await waitOnExecutionContext(ctx);
  const lines = logged.mock.calls.map((call) => String(call[0]));
  logged.mockRestore();
  return lines;
}

async function pendingJobs(): Promise<string[]> {
  const rows = await testStore().db.all<{ job: string }>(sql`select job from sweep_cursors order by job`);
  return rows.map((row) => row.job);
}

describe('scheduled sweeps on D1', () => {
  it('the nightly cron schedules the dormant campaign; the 5-minute cron the cart reminders', async () => {
    const prefix = uniquePrefix();
    await seedDormant(prefix, 5, firedAt);
    await seedCart(prefix);

    const nightly = await fire('0 3 * * *', firedAt);
    expect(nightly.some((line) => /^rekindle: sweep dormant: done; 3 campaigns/.test(line))).toBe(true);
    let rows = await messagesOf(prefix);
    expect(rows.map((r) => r.campaign_id)).toEqual(Array(5).fill('winback'));
    expect(rows.every((r) => r.status === 'scheduled' || r.status === 'held_out')).toBe(true);

    const often = await fire('*/5 * * * *', firedAt + 5 * 60_000);
    expect(often.some((line) => /^rekindle: sweep cart_stock: done; 5 campaigns/.test(line))).toBe(true);
    rows = await messagesOf(prefix);
    expect(rows.filter((r) => r.campaign_id === 'abandoned-cart')).toHaveLength(1);
    expect(rows).toHaveLength(6);

    // Both again: nothing new.
    await fire('0 3 * * *', firedAt + 10 * 60_000);
    await fire('*/5 * * * *', firedAt + 10 * 60_000);
    expect(await messagesOf(prefix)).toEqual(rows);
  });

  it('stops within its query budget and the next invocations carry on to the end', async () => {
    const prefix = uniquePrefix();
    // More customers than one invocation of this budget can page through.
    await seedDormant(prefix, 200, firedAt);
    const tight = { SWEEP_QUERY_BUDGET: '40', SWEEP_PAGE_SIZE: '10' };

    const first = await fire('0 3 * * *', firedAt, tight);
    expect(first.some((line) => /sweep dormant: stopped in winback, continues next run/.test(line))).toBe(
      true,
    );
    expect(await pendingJobs()).toContain('dormant');
    const partly = (await messagesOf(prefix)).length;
    expect(partly).toBeLessThan(200);

    const used: number[] = [];
    for (let run = 1; run <= 60 && (await pendingJobs()).includes('dormant'); run++) {
      const lines = await fire('*/5 * * * *', firedAt + run * 5 * 60_000, tight);
      used.push(Number(/used (\d+) D1 queries/.exec(lines.at(-1) ?? '')?.[1]));
    }
    expect(await pendingJobs()).not.toContain('dormant');
    expect(used.length).toBeGreaterThan(0);
    for (const n of used) expect(n).toBeLessThanOrEqual(40);

    const rows = await messagesOf(prefix);
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(200);
  });

  it('two sweeps at once on one D1 database write each message once', async () => {
    const prefix = uniquePrefix();
    await seedDormant(prefix, 8, firedAt);
    const load = await parseBundledCampaigns(campaignFiles);
    if (!load.ok) throw new Error('the bundled campaigns must be valid');
    // Both sweeps read their first page before either writes it: a real race.
    let arrived = 0;
    let bothArrived!: () => void;
    const barrier = new Promise<void>((resolve) => {
      bothArrived = resolve;
    });
    const racingStore = (): Store => {
      const store = openD1Store(env.DB);
      let first = true;
      return {
        ...store,
        async batch(statements) {
          if (first) {
            first = false;
            if (++arrived === 2) bothArrived();
            await barrier;
          }
          return store.batch(statements);
        },
      };
    };
    const sweep = () =>
      runSweep({
        store: racingStore(),
        campaigns: load.set,
        now: firedAt + 2 * day,
        dryRun: false,
        triggerTypes: ['dormant'],
        pageSize: 1,
      });
    const [a, b] = await Promise.all([sweep(), sweep()]);
    const rows = await messagesOf(prefix);
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(8);
    // The losing sweep counted the rows the other wrote first, and scheduled none of them twice.
    expect(a.campaigns[0]!.alreadyWritten + b.campaigns[0]!.alreadyWritten).toBeGreaterThan(0);
    const mine = (r: typeof a) => r.campaigns[0]!.scheduled + r.campaigns[0]!.heldOut;
    expect(mine(a) + mine(b)).toBeGreaterThanOrEqual(8);
  });

  it('then delivers: the cron renders the bundled templates and posts MIME to the mail provider', async () => {
    const prefix = uniquePrefix();
    await seedDormant(prefix, 3, firedAt);
    const mail = {
      MAIL_HTTP_URL: 'https://mail-standin.test/send',
      SIGNING_SECRET: 'worker-test-signing-secret-0123',
      PUBLIC_BASE_URL: 'https://mail.shop.example',
    };

    await fire('0 3 * * *', firedAt + 20 * day, mail);
    // The send window opens later that morning; rows earlier tests left due
    // share each tick's send limit, so a few ticks may pass before ours go.
    for (let tick = 0; tick < 6; tick++)
      await fire('*/5 * * * *', firedAt + 20 * day + (9 + tick) * 3_600_000, mail);

    const rows = await testStore().db.all<{ status: string; provider_message_id: string | null }>(
      sql`select status, provider_message_id from messages
          where dedupe_key like ${`%:${prefix}-%`} and status != 'held_out'`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toEqual({
        status: 'sent',
        provider_message_id: 'standin:rfc822,one-click,alternative,html+text',
      });
    }
  });
});
