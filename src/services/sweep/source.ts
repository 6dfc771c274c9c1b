// A hit source turns one campaign's trigger into pages of hits. Each trigger
// type has its own source over its own SQL; the runner treats them alike.
import type { Campaign, ShopSettings } from '../../core/campaigns/types.ts';
import type { Hit } from '../../core/selection/types.ts';
import type { Statement, Store } from '../../db/store.ts';

export interface SourcePage {
  hits: Hit[];
  noEmail: number;
  alreadyMessaged: number;
  /** Statements to run in the same batch as the messages of the chosen hits. */
  alongside?(chosen: readonly Hit[]): Statement[];
}

export interface SourceContext {
  store: Store;
  campaign: Campaign;
  settings: ShopSettings;
  now: number;
  pageSize: number;
  /** Only this customer, for --explain. */
  customerId?: string | undefined;
}

export type HitSource = (context: SourceContext) => AsyncIterable<SourcePage>;

const dayMs = 86_400_000;

/** Messages older than this cannot affect the frequency cap. */
export function capSince(settings: ShopSettings, now: number): number {
  return now - settings.frequencyCap.perDays * dayMs;
}
