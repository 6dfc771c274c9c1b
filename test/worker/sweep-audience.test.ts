// A scheduled audience send on D1 in workerd: the customers idle_days picks
// at the send time, spread at per_hour, and nothing new on a rerun. Storage
// is shared between test files: the audience is this test's own tag, so no
// other file's customer is mailed, and only its campaign's messages are read.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ingestSchemas } from '../../src/core/ingest/records.ts';
import { audienceSendRef } from '../../src/core/triggers/trigger-ref.ts';
import { ingestRecords } from '../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, noAudience, shopSettings } from '../node/support/campaign-fixtures.ts';
import { testStore, uniquePrefix } from './support/worker-client.ts';

const hour = 3_600_000;
const day = 24 * hour;
const sendTime = Date.parse('2029-03-01T09:00:00Z');

describe('an audience send on D1', () => {
  it('mails the customers idle long enough at the send, spread, once', async () => {
    const prefix = uniquePrefix();
    const store = testStore();
    const idle = [10, 70, 80, 400];
    const ids = idle.map((_, i) => `${prefix}-c${i}`);
    await ingestRecords(
      { store },
      {
        kind: 'customers',
        records: ids.map((id) =>
          ingestSchemas.customers.parse({
            id,
            email: `${id}@example.com`,
            marketing_consent: true,
            tags: [prefix],
          }),
        ),
        now: sendTime - 500 * day,
      },
    );
    await ingestRecords(
      { store },
      {
        kind: 'orders',
        records: ids.map((id, i) =>
          ingestSchemas.orders.parse({
            id: `${id}-o`,
            customer_id: id,
            placed_at: new Date(sendTime - idle[i]! * day).toISOString(),
            currency: 'GBP',
            total: '20.00',
          }),
        ),
        now: sendTime - day,
      },
    );
    const campaign = dormantCampaign({
      id: `early${prefix.replace(/[^a-z0-9]/gi, '').toLowerCase()}`,
      cooldownDays: 0,
      audience: { ...noAudience, tagsAny: [prefix] },
      trigger: {
        type: 'audience',
        sendAt: { cron: '0 9 * * 4' },
        idleDays: { min: 60, max: 365 },
        perHour: 2,
        catchUpHours: 24,
      },
    });
    const sweep = () =>
      runSweep({
        store,
        campaigns: {
          settings: shopSettings({ frequencyCap: { maxMessages: 10, perDays: 1 } }),
          campaigns: [campaign],
        },
        now: sendTime + 5 * 60_000,
        dryRun: false,
        pageSize: 50,
      });
    const ours = () =>
      store.db.all(sql`SELECT customer_id, trigger_ref, due_at FROM messages
        WHERE campaign_id = ${campaign.id} ORDER BY customer_id`);
    await sweep();
    const expected = [
      { customer_id: ids[1], trigger_ref: audienceSendRef(sendTime), due_at: sendTime + 5 * 60_000 },
      { customer_id: ids[2], trigger_ref: audienceSendRef(sendTime), due_at: sendTime + hour / 2 },
    ];
    expect(await ours()).toEqual(expected);
    const again = await sweep();
    expect(again.campaigns[0]).toMatchObject({ scheduled: 0, skipped: { alreadyMessaged: 2 } });
    expect(await ours()).toEqual(expected);
  });
});
