// The port a campaign set is loaded through: the Node loader reads a folder,
// the Worker parses its bundle; the registry holding the set takes either.
import type { CampaignSet } from './types.ts';

/** One problem in a campaign file, as the loader reports it. */
export interface SetProblem {
  file: string;
  line: number;
  column: number;
  field: string;
  message: string;
}

export type CampaignSetLoad = { ok: true; set: CampaignSet } | { ok: false; errors: SetProblem[] };

export interface CampaignSetSource {
  /** Where the set comes from, for messages ("campaigns/"). */
  label: string;
  load(): Promise<CampaignSetLoad>;
  /** Changes whenever the files behind the set change; cheap next to load(). */
  fingerprint(): Promise<string>;
}
