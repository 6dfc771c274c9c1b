// The two scheduled sweeps both homes run: the nightly dormant + new-arrivals + replenishment sweep and the
// frequent cart + back-in-stock + browse-abandonment + audience-send + price-drop sweep. A job can be stopped between pages
// (the Worker's query budget) and resumed later from the campaign it stopped
// in; the dedupe keys make the repeated part a no-op. Logs counts, never who.
import { compareIds } from '../../core/campaigns/campaign.ts';
import type { TriggerType } from '../../core/campaigns/trigger-block.ts';
import type { Campaign, CampaignSet, ShopSettings } from '../../core/campaigns/types.ts';
import type { Store } from '../../db/store.ts';
import { runSweep } from './run-sweep.ts';
import type { SweepCounts } from './sweep-counts.ts';
import { sweepTotals } from './sweep-report-json.ts';

export const sweepJobNames = ['dormant', 'cart_stock'] as const;
export type SweepJobName = (typeof sweepJobNames)[number];

export const sweepJobTriggers: Record<SweepJobName, readonly TriggerType[]> = {
  dormant: ['dormant', 'new_arrivals', 'replenishment'],
  cart_stock: ['abandoned_cart', 'back_in_stock', 'browse_abandonment', 'audience', 'price_drop'],
};

/** The cron expression the settings file gives a job. */
export function sweepJobCron(job: SweepJobName, settings: ShopSettings): string {
  return job === 'dormant' ? settings.schedules.dormantCron : settings.schedules.cartCron;
}

export interface SweepJobOptions {
  store: Store;
  campaigns: CampaignSet;
  job: SweepJobName;
  now: number;
  pageSize?: number | undefined;
  /** Asked after every page; true stops the job there (its writes are already atomic). */
  shouldStop?: (() => boolean) | undefined;
  /** Start at this campaign (where a stopped run was): the ones before it are done. */
  resumeAt?: string | undefined;
  /** And, in it, after this customer, when the stopped run had said how far it got (campaigns decided in SQL do). */
  resumeAfter?: string | undefined;
}

export interface SweepJobOutcome {
  job: SweepJobName;
  /** False when shouldStop ended the job early; `stoppedIn` (and `stoppedAfter`, when known) is where to resume. */
  complete: boolean;
  stoppedIn?: string | undefined;
  stoppedAfter?: string | undefined;
  campaigns: SweepCounts[];
  ms: number;
}

class Stop extends Error {}

/** The job's enabled campaigns in the order runSweep takes them: priority, then id. */
export function jobCampaigns(set: CampaignSet, job: SweepJobName): Campaign[] {
  const types = sweepJobTriggers[job];
  return set.campaigns
    .filter((c) => c.enabled && types.includes(c.trigger.type))
    .sort((a, b) => b.priority - a.priority || compareIds(a.id, b.id));
}

export async function runSweepJob(options: SweepJobOptions): Promise<SweepJobOutcome> {
  const started = performance.now();
  let campaigns = jobCampaigns(options.campaigns, options.job);
  const resumeIndex = campaigns.findIndex((c) => c.id === options.resumeAt);
  if (resumeIndex > 0) campaigns = campaigns.slice(resumeIndex);
  const reports = new Map<string, SweepCounts>();
  let current: string | undefined;
  let position: string | undefined;
  try {
    const result = await runSweep({
      store: options.store,
      campaigns: { settings: options.campaigns.settings, campaigns },
      now: options.now,
      dryRun: false,
      triggerTypes: sweepJobTriggers[options.job],
      pageSize: options.pageSize,
      resumeAfter:
        options.resumeAt && options.resumeAfter
          ? { campaignId: options.resumeAt, after: options.resumeAfter }
          : undefined,
      onProgress(campaignId, report, after) {
        current = campaignId;
        position = after;
        reports.set(campaignId, report);
        if (options.shouldStop?.()) throw new Stop();
      },
    });
    return { job: options.job, complete: true, campaigns: result.campaigns, ms: performance.now() - started };
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return {
      job: options.job,
      complete: false,
      stoppedIn: current,
      stoppedAfter: position,
      campaigns: [...reports.values()],
      ms: performance.now() - started,
    };
  }
}

/** One log line for a run: counts and time, no customer data. */
export function describeSweepJob(outcome: SweepJobOutcome): string {
  const t = sweepTotals(outcome.campaigns);
  const state = outcome.complete ? 'done' : `stopped in ${outcome.stoppedIn ?? '?'}, continues next run`;
  return `sweep ${outcome.job}: ${state}; ${t.campaigns} campaigns, ${t.eligible} eligible, ${t.excluded} excluded, ${t.heldOut} held out, ${t.scheduled} scheduled (${t.deferred} deferred) in ${Math.round(outcome.ms)} ms`;
}

/**
 * The Cron Triggers in wrangler.toml [triggers] and the job each one runs
 * (a test keeps the two in step). Used when the settings name other times:
 * the Worker's crons are fixed at deploy, the settings file is not.
 */
export const workerCronJobs: Readonly<Record<string, SweepJobName>> = {
  '*/5 * * * *': 'cart_stock',
  '0 3 * * *': 'dormant',
};

/** The job a fired cron expression runs: the settings' schedules first, then wrangler.toml's. */
export function sweepJobForCron(cron: string, settings: ShopSettings): SweepJobName | undefined {
  return sweepJobNames.find((job) => sweepJobCron(job, settings) === cron) ?? workerCronJobs[cron];
}
