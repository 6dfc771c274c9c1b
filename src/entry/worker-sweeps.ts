// The sweeps of one Cron Trigger invocation on D1: the job the cron names
// (wrangler.toml [triggers]: "*/5 * * * *" cart + back-in-stock, "0 3 * * *"
// dormant) and any job an earlier invocation left unfinished, within the
// sweeps' share of the invocation's D1 queries, counted by the meter the
// whole invocation shares. Wiring only; the rules live in
// src/services/sweep/resumable-sweeps.ts.
import type { CampaignSet } from '../core/campaigns/types.ts';
import type { Store } from '../db/store.ts';
import { runSweepInvocation } from '../services/sweep/resumable-sweeps.ts';
import { type SweepJobOutcome, sweepJobForCron } from '../services/sweep/sweep-jobs.ts';

export interface WorkerSweepOptions {
  /** The store on the invocation's metered D1 binding. */
  store: Store;
  campaigns: CampaignSet;
  /** Queries the sweeps may have used, counted from the start of the invocation. */
  budget: number;
  /** Queries the invocation has used so far (the shared meter). */
  spent(): number;
  pageSize: number;
}

export async function runWorkerSweeps(
  event: { cron: string; scheduledTime: number },
  options: WorkerSweepOptions,
): Promise<SweepJobOutcome[]> {
  const fired = sweepJobForCron(event.cron, options.campaigns.settings);
  if (!fired) console.error(`rekindle: cron "${event.cron}" names no sweep; only unfinished sweeps run`);
  return runSweepInvocation({
    store: options.store,
    campaigns: options.campaigns,
    fired,
    // The time the trigger was due, not when the isolate got to it: replays and tests agree.
    now: event.scheduledTime,
    pageSize: options.pageSize,
    budget: options.budget,
    spent: options.spent,
    // Saving the cursor after a stop, plus slack for a source's reads between pages.
    margin: 5,
    log: (line) => console.log(`rekindle: ${line}`),
  });
}
