// A hit source turns one campaign's trigger into pages of hits. Each trigger
// type has its own source over its own SQL; the runner treats them alike.
import type { Campaign, ShopSettings } from '../../core/campaigns/types.ts';
import { customerKey } from '../../core/selection/dedupe-key.ts';
import { messagedByNeeds } from '../../core/selection/messaged-by.ts';
import { offerFactNeeds } from '../../core/selection/offer-rule.ts';
import type { Decision, Hit } from '../../core/selection/types.ts';
import { dayMs } from '../../core/time.ts';
import type { Statement, Store } from '../../db/store.ts';
import type { OfferHistoryNeeds } from '../../db/sweeps/offer-history-columns.ts';

export interface SourcePage {
  hits: Hit[];
  noEmail: number;
  alreadyMessaged: number;
  /**
   * The customers (customerKey) of the hits counted in alreadyMessaged: this
   * campaign already holds their message for this instance, so they stay
   * its own in this sweep, and a rerun leaves them to no lower campaign.
   */
  alreadyMessagedKeys?: readonly string[];
  /** Told what the rules decided for the page's hits (dry run or not), before anything is written. */
  decided?(decisions: readonly Decision[]): void;
  /** Statements to run in the same batch as the messages of the chosen hits; never called in a dry run. */
  alongside?(chosen: readonly Hit[]): Statement[];
}

export interface SourceContext {
  store: Store;
  campaign: Campaign;
  settings: ShopSettings;
  now: number;
  pageSize: number;
  /** Nothing will be written: a source that limits itself by what was written must count decisions instead. */
  dryRun: boolean;
  /** Only this customer, for --explain. */
  customerId?: string | undefined;
  /** Only these customers (the hits a sweep deciding in SQL leaves to the rules in JS); dormant only. */
  customerIds?: readonly string[] | undefined;
}

export type HitSource = (context: SourceContext) => AsyncIterable<SourcePage>;

/**
 * A page of rows the trigger matched: a row without an address or whose
 * instance was already messaged is counted, the others become hits.
 */
export function matchedPage<
  R extends { customer_id: string | null; email: string | null; already_messaged: number },
>(rows: readonly R[], toHit: (row: R, email: string) => Hit): SourcePage {
  const hits: Hit[] = [];
  const alreadyMessagedKeys: string[] = [];
  let noEmail = 0;
  for (const row of rows) {
    if (!row.email) noEmail++;
    else if (row.already_messaged)
      alreadyMessagedKeys.push(customerKey({ customerId: row.customer_id, email: row.email }));
    else hits.push(toHit(row, row.email));
  }
  return { hits, noEmail, alreadyMessaged: alreadyMessagedKeys.length, alreadyMessagedKeys };
}

/** Messages older than this cannot affect the frequency cap. */
export function capSince(settings: ShopSettings, now: number): number {
  return now - settings.frequencyCap.perDays * dayMs;
}

/** The offer-rule and exclusion facts a campaign's pages must gather (none for most campaigns). */
export function offerHistoryNeeds(
  campaign: Campaign,
  settings: ShopSettings,
  now: number,
): OfferHistoryNeeds {
  return {
    offers: offerFactNeeds(campaign, settings.offers, now),
    messagedBy: messagedByNeeds(campaign, now),
  };
}
