// The scheduled sweeps as jobs for the Node scheduler: the nightly dormant
// sweep and the frequent cart + back-in-stock sweep, at the cron expressions of
// the settings file. Each run first picks up changed campaign files (keeping the
// last valid set when they are broken), then sweeps with the current set.

import type { ScheduledJob } from '../adapters/scheduler/cron-scheduler.ts';
import type { ShopSettings } from '../core/campaigns/types.ts';
import type { Store } from '../db/store.ts';
import type { CampaignRegistry } from '../services/campaigns/campaign-registry.ts';
import {
  describeSweepJob,
  runSweepJob,
  type SweepJobName,
  sweepJobCron,
  sweepJobNames,
} from '../services/sweep/sweep-jobs.ts';

export interface SweepScheduleContext {
  store: Store;
  registry: CampaignRegistry;
  now: () => number;
  /** Reloads changed campaign files (and reschedules when their crons changed). */
  reloadIfChanged(): Promise<void>;
}

export function sweepJobName(job: SweepJobName): string {
  return `sweep:${job}`;
}

export function sweepScheduleJobs(ctx: SweepScheduleContext): ScheduledJob[] {
  const settings: ShopSettings = ctx.registry.current().settings;
  return sweepJobNames.map((job) => ({
    name: sweepJobName(job),
    cron: sweepJobCron(job, settings),
    async run() {
      await ctx.reloadIfChanged();
      const outcome = await runSweepJob({
        store: ctx.store,
        campaigns: ctx.registry.current(),
        job,
        now: ctx.now(),
      });
      return describeSweepJob(outcome);
    },
  }));
}
