// A loop inside `rekindle serve` that runs on the campaign set current when
// it starts and restarts on a reload: `begin` starts one run on a set with
// its abort signal, answering the run's `done` (wrapped, so starting does
// not wait for it), or undefined when there is nothing to run;
// restart waits for the run in flight to end before the next begins.
import type { CampaignSet } from '../core/campaigns/types.ts';

export interface LoopHandle {
  /** Stops the current loop and starts one on this set. */
  restart(set: CampaignSet): Promise<void>;
  stop(): Promise<void>;
}

export async function restartableLoop(
  set: CampaignSet,
  begin: (set: CampaignSet, signal: AbortSignal) => Promise<{ done: Promise<void> } | undefined>,
): Promise<LoopHandle> {
  let running: { abort: AbortController; done: Promise<void> } | undefined;
  const start = async (next: CampaignSet) => {
    const abort = new AbortController();
    const run = await begin(next, abort.signal);
    if (run) running = { abort, done: run.done };
  };
  const stop = async () => {
    const current = running;
    running = undefined;
    current?.abort.abort();
    await current?.done;
  };
  await start(set);
  return {
    async restart(next) {
      await stop();
      await start(next);
    },
    stop,
  };
}
