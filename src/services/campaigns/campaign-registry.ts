// Holds the campaign set a long-running process works with. It refuses to
// start on an invalid set, and on reload keeps the last valid set and reports
// what is wrong, so a typo pushed to a running server never stops its sweeps.
// Pure: where the files come from is a port (the Node loader reads a folder,
// the Worker parses its bundle). It never reads files or the clock itself.
import type { CampaignSetSource, SetProblem } from '../../core/campaigns/set-source.ts';
import type { CampaignSet } from '../../core/campaigns/types.ts';

export type ReloadOutcome =
  | { status: 'unchanged' }
  | { status: 'loaded'; set: CampaignSet }
  /** The new files are invalid: the last valid set stays in use. */
  | { status: 'kept'; errors: SetProblem[] };

export interface CampaignRegistry {
  /** The last valid set. */
  current(): CampaignSet;
  /** Loads the files again, whether or not they changed. */
  reload(): Promise<ReloadOutcome>;
  /** Loads the files again only when their fingerprint changed (before each scheduled sweep). */
  reloadIfChanged(): Promise<ReloadOutcome>;
}

/** The set cannot be used: thrown at start, where refusing to run is the point. */
export class CampaignSetError extends Error {
  override name = 'CampaignSetError';
  constructor(
    readonly label: string,
    readonly problems: readonly SetProblem[],
  ) {
    super(
      `the campaign set in ${label} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems
        .map((p) => `  ${formatProblem(p)}`)
        .join('\n')}`,
    );
  }
}

export function formatProblem(p: SetProblem): string {
  return `${p.file}:${p.line}:${p.column} ${p.message}`;
}

/**
 * Loads the set once and throws CampaignSetError when it is invalid. `report`
 * receives one message per failed reload (the problems, one a line).
 */
export async function openCampaignRegistry(
  source: CampaignSetSource,
  report: (message: string) => void,
): Promise<CampaignRegistry> {
  let fingerprint = await source.fingerprint();
  const first = await source.load();
  if (!first.ok) throw new CampaignSetError(source.label, first.errors);
  let set = first.set;
  // One reload at a time: a signal arriving during a scheduled reload waits for it.
  let running: Promise<ReloadOutcome> = Promise.resolve({ status: 'unchanged' });

  async function load(print: string): Promise<ReloadOutcome> {
    fingerprint = print;
    const next = await source.load();
    if (next.ok) {
      set = next.set;
      return { status: 'loaded', set };
    }
    report(
      `${new CampaignSetError(source.label, next.errors).message}\nkeeping the last valid campaign set (${set.campaigns.length} campaigns)`,
    );
    return { status: 'kept', errors: next.errors };
  }

  const serially = (work: () => Promise<ReloadOutcome>) => {
    running = running.then(work, work);
    return running;
  };

  return {
    current: () => set,
    reload: () => serially(async () => load(await source.fingerprint())),
    reloadIfChanged: () =>
      serially(async () => {
        const print = await source.fingerprint();
        return print === fingerprint ? { status: 'unchanged' } : load(print);
      }),
  };
}
