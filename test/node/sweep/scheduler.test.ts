import { afterEach, describe, expect, it } from 'vitest';
import { type Scheduler, startScheduler } from '../../../src/adapters/scheduler/cron-scheduler.ts';

let scheduler: Scheduler | undefined;
afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
});

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

/** Resolves when a log line matches: waits for an event, asserts no timing. */
function logWatcher() {
  const lines: string[] = [];
  const waiting: { pattern: RegExp; resolve: () => void }[] = [];
  const log = (line: string) => {
    lines.push(line);
    for (const w of waiting.filter((w) => w.pattern.test(line))) w.resolve();
  };
  const until = (pattern: RegExp) =>
    lines.some((l) => pattern.test(l))
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiting.push({ pattern, resolve }));
  return { lines, log, until };
}

describe('cron scheduler', () => {
  it('never runs a job twice at once: a second start while it runs is skipped', async () => {
    const gate = deferred();
    let runs = 0;
    const { lines, log } = logWatcher();
    scheduler = startScheduler(
      [
        {
          name: 'sweep:dormant',
          cron: '0 3 * * *',
          async run() {
            runs++;
            await gate.promise;
            return 'sweep dormant: done';
          },
        },
      ],
      log,
    );
    const first = scheduler.runNow('sweep:dormant');
    expect(await scheduler.runNow('sweep:dormant')).toBe('skipped');
    gate.release();
    expect(await first).toBe('ran');
    expect(runs).toBe(1);
    expect(lines).toEqual(['sweep:dormant: still running, skipped this run', 'sweep dormant: done']);
    expect(await scheduler.runNow('sweep:dormant')).toBe('ran');
    expect(runs).toBe(2);
  });

  it('node-cron ticks do not overlap a run that is still going', async () => {
    const gate = deferred();
    let runs = 0;
    const { log, until } = logWatcher();
    scheduler = startScheduler(
      [
        {
          name: 'every-second',
          cron: '* * * * * *',
          async run() {
            runs++;
            await gate.promise;
            return 'every-second: done';
          },
        },
      ],
      log,
    );
    // The next tick finds the first run still busy and is blocked.
    await until(/still running/);
    expect(runs).toBe(1);
    gate.release();
    await until(/every-second: done/);
  });

  it('logs a failing job and keeps the schedule', async () => {
    const { lines, log } = logWatcher();
    scheduler = startScheduler(
      [
        {
          name: 'broken',
          cron: '*/5 * * * *',
          run: async () => {
            throw new Error('database is locked');
          },
        },
      ],
      log,
    );
    expect(await scheduler.runNow('broken')).toBe('failed');
    expect(lines).toEqual(['broken: failed: database is locked']);
    expect(scheduler.list().map((j) => j.name)).toEqual(['broken']);
  });

  it('schedules in UTC and can swap the schedule', async () => {
    scheduler = startScheduler(
      [{ name: 'nightly', cron: '0 3 * * *', run: async () => undefined }],
      () => {},
    );
    const [nightly] = scheduler.list();
    expect(nightly?.next?.getUTCHours()).toBe(3);
    expect(nightly?.next?.getUTCMinutes()).toBe(0);
    await scheduler.replace([{ name: 'nightly', cron: '30 4 * * *', run: async () => undefined }]);
    expect(scheduler.list()).toEqual([{ name: 'nightly', cron: '30 4 * * *', next: expect.any(Date) }]);
    expect(scheduler.list()[0]?.next?.getUTCHours()).toBe(4);
    await expect(scheduler.runNow('missing')).rejects.toThrow("no scheduled job named 'missing'");
  });

  it('with ticking off, only runNow starts a job: the clock never does', async () => {
    let quietRuns = 0;
    const quiet = startScheduler(
      [
        {
          name: 'quiet',
          cron: '* * * * * *',
          run: async () => {
            quietRuns++;
            return undefined;
          },
        },
      ],
      () => {},
      { ticking: false },
    );
    // A ticking twin on the same cron is the clock: wait for two of its ticks.
    const twoTicks = deferred();
    let ticks = 0;
    const clock = async () => {
      if (++ticks === 2) twoTicks.release();
      return undefined;
    };
    scheduler = startScheduler([{ name: 'clock', cron: '* * * * * *', run: clock }], () => {});
    await twoTicks.promise;
    expect(quietRuns).toBe(0);
    expect(await quiet.runNow('quiet')).toBe('ran');
    expect(quietRuns).toBe(1);
    await quiet.stop();
  });
});
