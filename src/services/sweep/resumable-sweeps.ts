// One scheduled invocation's sweeps under a budget (the Worker: <= 1000 D1
// queries): the job its cron fired, then any job an earlier invocation left
// unfinished, each from the campaign it stopped in. A job that runs out of
// budget saves where it was, so the next invocation (every few minutes)
// carries on; re-reading the part already done costs reads only, since the
// dedupe keys skip every message already written. With unfinished work
// waiting, the fired job gets half the budget, so neither starves the other.
import type { CampaignSet } from '../../core/campaigns/types.ts';
import { clearSweepCursor, listSweepCursors, saveSweepCursor } from '../../db/repositories/sweep-cursors.ts';
import type { Store } from '../../db/store.ts';
import {
  describeSweepJob,
  runSweepJob,
  type SweepJobName,
  type SweepJobOutcome,
  sweepJobNames,
} from './sweep-jobs.ts';

export interface InvocationOptions {
  store: Store;
  campaigns: CampaignSet;
  /** The job the cron fired; undefined when the cron maps to none (only unfinished work runs). */
  fired: SweepJobName | undefined;
  now: number;
  pageSize: number;
  /** Queries the invocation may use, and has used so far. */
  budget: number;
  spent(): number;
  /** Queries kept back for the bookkeeping after a stop (saving the cursor) and slack. */
  margin: number;
  log(line: string): void;
}

export async function runSweepInvocation(options: InvocationOptions): Promise<SweepJobOutcome[]> {
  const { store, now } = options;
  const pending = new Map((await listSweepCursors(store)).map((cursor) => [cursor.job, cursor]));
  // A fired job that is itself unfinished resumes: restarting would redo its finished campaigns.
  const entry = (job: SweepJobName) => {
    const cursor = pending.get(job);
    return {
      job,
      resumeAt: cursor?.campaignId ?? undefined,
      resumeAfter: cursor?.after ?? undefined,
      fresh: cursor === undefined,
    };
  };
  const queue = options.fired ? [entry(options.fired)] : [];
  for (const job of sweepJobNames) if (pending.has(job) && job !== options.fired) queue.push(entry(job));

  const outcomes: SweepJobOutcome[] = [];
  for (const [i, { job, resumeAt, resumeAfter, fresh }] of queue.entries()) {
    const limit = i === 0 && queue.length > 1 ? options.budget / 2 : options.budget;
    // A job stops when the next page might not fit: pages are assumed to cost
    // up to twice the dearest one seen so far, whatever the repositories do.
    let before = options.spent();
    let dearest = 1;
    const shouldStop = () => {
      const spent = options.spent();
      dearest = Math.max(dearest, spent - before);
      before = spent;
      return spent + 2 * dearest + options.margin > limit;
    };
    if (i > 0 && shouldStop()) break;
    const outcome = await runSweepJob({
      store,
      campaigns: options.campaigns,
      job,
      now,
      pageSize: options.pageSize,
      shouldStop,
      resumeAt,
      resumeAfter,
    });
    outcomes.push(outcome);
    if (!outcome.complete) {
      await saveSweepCursor(store, {
        job,
        campaignId: outcome.stoppedIn ?? null,
        after: outcome.stoppedAfter ?? null,
        now,
        restart: fresh,
      });
    } else if (pending.has(job)) {
      await clearSweepCursor(store, job);
    }
    options.log(describeSweepJob(outcome));
  }
  return outcomes;
}
