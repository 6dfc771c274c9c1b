// The sweeps of one Cron Trigger invocation on D1: the job the cron names
// (wrangler.toml [triggers]: "*/5 * * * *" cart + back-in-stock, "0 3 * * *"
// dormant) and any job an earlier invocation left unfinished, within a budget
// of D1 queries counted at the binding. Wiring only; the rules live in
// src/services/campaigns/resumable-sweeps.ts.
import type { D1Database } from '@cloudflare/workers-types';
import { meterD1 } from '../adapters/scheduler/d1-query-meter.ts';
import type { CampaignSet } from '../core/campaigns/types.ts';
import { openD1Store } from '../db/d1.ts';
import { runSweepInvocation } from '../services/campaigns/resumable-sweeps.ts';
import { sweepJobForCron } from '../services/campaigns/sweep-jobs.ts';

export interface WorkerSweepOptions {
  db: D1Database;
  campaigns: CampaignSet;
  /** D1 queries the sweeps may use in this invocation. */
  budget: number;
  pageSize: number;
}

export async function runWorkerSweeps(
  event: { cron: string; scheduledTime: number },
  options: WorkerSweepOptions,
): Promise<void> {
  const { db, meter } = meterD1(options.db);
  const fired = sweepJobForCron(event.cron, options.campaigns.settings);
  if (!fired) console.error(`rekindle: cron "${event.cron}" names no sweep; only unfinished sweeps run`);
  await runSweepInvocation({
    store: openD1Store(db),
    campaigns: options.campaigns,
    fired,
    // The time the trigger was due, not when the isolate got to it: replays and tests agree.
    now: event.scheduledTime,
    pageSize: options.pageSize,
    budget: options.budget,
    spent: () => meter.count,
    // Saving the cursor after a stop, plus slack for a source's reads between pages.
    margin: 5,
    log: (line) => console.log(`rekindle: ${line}`),
  });
  console.log(`rekindle: cron "${event.cron}" used ${meter.count} D1 queries (budget ${options.budget})`);
}
