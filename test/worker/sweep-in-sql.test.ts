// The sweep deciding in SQL on D1 in workerd: the same messages (status,
// due time, holdout) as the rules in JS, and the holdout bucket and message
// ids SQL computes equal to the TypeScript owners', so the holdout is stable
// across libSQL and D1. Storage is shared between test files: the campaign id
// is this test's own and only its messages are compared.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { holdoutBucket, stableHash } from '../../src/core/selection/holdout.ts';
import { holdoutBucketSql } from '../../src/db/sweeps/dormant-decisions.ts';
import { messageIdInSequenceSql, messageIdPrefix } from '../../src/db/sweeps/message-id-sql.ts';
import { runSweep } from '../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, shopSettings } from '../node/support/campaign-fixtures.ts';
import { seedDormant } from './support/sweep-seed.ts';
import { testStore, uniquePrefix } from './support/worker-client.ts';

const now = Date.parse('2027-03-01T12:00:00Z');

describe('the sweep decided in SQL on D1', () => {
  it('writes what the rules in JS write, and counts the same', async () => {
    const prefix = uniquePrefix();
    await seedDormant(prefix, 60, now);
    const store = testStore();
    const campaign = dormantCampaign({
      id: `sql${prefix.replace(/[^a-z0-9]/gi, '').toLowerCase()}`,
      holdoutPercent: 30,
      sendWindow: { startMinute: 14 * 60, endMinute: 16 * 60, days: [] },
      trigger: { type: 'dormant', days: 90, maxDays: 200, minOrders: 1, cadenceFactor: null },
    });
    const settings = shopSettings({ frequencyCap: { maxMessages: 5, perDays: 1 } });
    const sweep = (decideIn: 'js' | 'auto') =>
      runSweep({
        store,
        campaigns: { settings, campaigns: [campaign] },
        now,
        dryRun: false,
        decideIn,
        pageSize: 7,
      });
    const ours = () =>
      store.db.all(sql`SELECT customer_id, status, due_at, trigger_ref, dedupe_key FROM messages
        WHERE campaign_id = ${campaign.id} AND customer_id LIKE ${`${prefix}-%`} ORDER BY customer_id`);
    const runTables = async () =>
      (
        await store.db.all<{ name: string }>(
          sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sweep_run_%'`,
        )
      ).length;
    const tablesBefore = await runTables();
    const inSql = await sweep('auto');
    // The run's scratch table, made on D1 as on libSQL, is dropped when it ends.
    expect(await runTables()).toBe(tablesBefore);
    const fromSql = await ours();
    await store.db.run(sql`DELETE FROM messages WHERE campaign_id = ${campaign.id}`);
    const inJs = await sweep('js');
    expect(await ours()).toEqual(fromSql);
    expect(inSql.campaigns).toEqual(inJs.campaigns);
    expect(fromSql.length).toBe(60);
    const statuses = new Set(fromSql.map((row) => (row as { status: string }).status));
    expect(statuses).toEqual(new Set(['scheduled', 'held_out']));
  });

  it('computes the holdout bucket and message ids as the TypeScript does', async () => {
    const store = testStore();
    const keys = ['c1', '820982911946154508', ...Array.from({ length: 100 }, (_, i) => `k${i}`)];
    const rows = await store.db.all<{ key: string; bucket: number; id: string }>(sql`
      SELECT j.value ->> 0 AS key, ${holdoutBucketSql(sql`(j.value ->> 1)`, stableHash('winback'))} AS bucket,
        ${messageIdInSequenceSql(messageIdPrefix(now), 5, sql`j.key`)} AS id
      FROM json_each(${JSON.stringify(keys.map((key) => [key, stableHash(key)]))}) j`);
    expect(rows).toHaveLength(keys.length);
    for (const row of rows) {
      expect(row.bucket).toBe(holdoutBucket('winback', row.key));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
  });
});
