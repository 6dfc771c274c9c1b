// Runs named jobs on cron expressions with node-cron, in UTC like Cloudflare
// Cron Triggers, so one settings file means the same times in both homes. A
// job never overlaps itself: node-cron's noOverlap covers its own ticks, and a
// per-name guard covers everything else (runNow, a replaced schedule whose old
// run is still going). One log line per run; a failing job is logged, never
// thrown into the timer. Jobs are handed in: the scheduler knows no sweeps.

import { createTask, type Logger, type ScheduledTask } from 'node-cron';
import { loggableReason } from '../../core/errors.ts';

export interface ScheduledJob {
  name: string;
  /** Five-field cron expression, in UTC. */
  cron: string;
  /** Does one run and returns its log line (counts only, no customer data). */
  run(): Promise<string | undefined>;
}

export type RunOutcome = 'ran' | 'skipped' | 'failed';

export interface Scheduler {
  /** Runs a job now, unless it is already running. */
  runNow(name: string): Promise<RunOutcome>;
  /** Swaps the schedule (e.g. after the settings changed); a running job finishes. */
  replace(jobs: readonly ScheduledJob[]): Promise<void>;
  /** The jobs on the schedule, with their next run. */
  list(): { name: string; cron: string; next: Date | null }[];
  /** Stops the timers and waits for running jobs to finish. */
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  /**
   * Start the wall-clock timers (default true). Tests that drive jobs with
   * runNow turn them off, so a real tick at a five-minute boundary cannot
   * add a run the test did not ask for.
   */
  ticking?: boolean;
}

export function startScheduler(
  jobs: readonly ScheduledJob[],
  log: (line: string) => void,
  options: SchedulerOptions = {},
): Scheduler {
  const running = new Map<string, Promise<unknown>>();
  let current = new Map<string, { job: ScheduledJob; task: ScheduledTask }>();

  /** The guard: a second start of a job while one runs is skipped, not queued. */
  async function guarded(job: ScheduledJob): Promise<RunOutcome> {
    if (running.has(job.name)) {
      log(`${job.name}: still running, skipped this run`);
      return 'skipped';
    }
    const run = job.run();
    running.set(job.name, run);
    try {
      const line = await run;
      if (line) log(line);
      return 'ran';
    } catch (error) {
      log(`${job.name}: failed: ${loggableReason(error)}`);
      return 'failed';
    } finally {
      running.delete(job.name);
    }
  }

  const logger: Logger = {
    info: () => {},
    debug: () => {},
    warn: (message) => log(`scheduler: ${message}`),
    error: (message) => log(`scheduler: ${message instanceof Error ? message.message : message}`),
  };

  function schedule(list: readonly ScheduledJob[]) {
    const next = new Map<string, { job: ScheduledJob; task: ScheduledTask }>();
    for (const job of list) {
      if (next.has(job.name)) throw new Error(`two scheduled jobs are named '${job.name}'`);
      const task = createTask(job.cron, () => guarded(job), {
        name: job.name,
        timezone: 'UTC',
        noOverlap: true,
        logger,
      });
      if (options.ticking ?? true) void task.start();
      next.set(job.name, { job, task });
    }
    return next;
  }

  async function stopTasks(tasks: Map<string, { task: ScheduledTask }>) {
    for (const { task } of tasks.values()) await task.destroy();
  }

  current = schedule(jobs);
  return {
    async runNow(name) {
      const entry = current.get(name);
      if (!entry) throw new Error(`no scheduled job named '${name}'`);
      return guarded(entry.job);
    },
    async replace(list) {
      const next = schedule(list);
      const previous = current;
      current = next;
      await stopTasks(previous);
    },
    list: () =>
      [...current.values()].map(({ job, task }) => ({
        name: job.name,
        cron: job.cron,
        next: task.getNextRun(),
      })),
    async stop() {
      await stopTasks(current);
      current = new Map();
      await Promise.allSettled(running.values());
    },
  };
}
