// The demo's sweep: after the shop is loaded, the campaigns run once over it at
// the demo's `now`, for real, and a few of the customers each campaign chose
// are picked out to show who would be mailed and when. Customer ids only:
// the demo prints no addresses. A second run at the same `now` writes nothing
// new (everyone is already messaged) and picks the same messages again.
import { sql } from 'drizzle-orm';
import type { CampaignSet } from '../core/campaigns/types.ts';
import { formatInstant } from '../core/time.ts';
import type { Store } from '../db/store.ts';
import { runSweep, type SweepResult } from '../services/sweep/run-sweep.ts';

export interface DemoPick {
  campaign_id: string;
  customer_id: string | null;
  step: number;
  status: string;
  due_at: string;
}

export interface DemoSweep {
  result: SweepResult;
  /** Up to `perCampaign` messages each campaign wrote at this `now` (this run or an earlier one at the same time). */
  picks: DemoPick[];
}

export async function sweepDemoShop(
  store: Store,
  campaigns: CampaignSet,
  now: number,
  perCampaign = 3,
): Promise<DemoSweep> {
  const result = await runSweep({ store, campaigns, now, dryRun: false });
  const rows = await store.db.all<{
    campaign_id: string;
    customer_id: string | null;
    step: number;
    status: string;
    due_at: number;
  }>(sql`
    SELECT campaign_id, customer_id, step, status, due_at FROM (
      SELECT campaign_id, customer_id, step, status, due_at,
        row_number() OVER (PARTITION BY campaign_id ORDER BY customer_id, step) AS n
      FROM messages WHERE created_at = ${now}
    ) WHERE n <= ${perCampaign}
    ORDER BY campaign_id, customer_id, step`);
  return {
    result,
    picks: rows.map((row) => ({ ...row, step: Number(row.step), due_at: formatInstant(Number(row.due_at)) })),
  };
}
