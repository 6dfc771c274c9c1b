// A dormant campaign decided in SQL: each keyset page of hits is written into
// the run's scratch table with the facts the rules read, decided there, and its
// messages written by INSERT ... SELECT, so a hit leaves SQLite only as a
// count. The rules in src/core/selection stay the reference and the owners of
// what SQL cannot work out per row: the send time in each zone
// (nextAllowedTime) and which currencies the offer has no figure in
// (offerGap) come from them, once per distinct value; and the hits SQL cannot
// decide exactly (the frequency cap reached: the next free slot depends on
// every other message's time; a customer whose hashes are not filled yet)
// are handed to the rules in JS, as every hit used to be.
import { needsMarketingConsent } from '../../core/campaigns/consent.ts';
import type { Campaign, ShopSettings } from '../../core/campaigns/types.ts';
import { stableHash } from '../../core/selection/holdout.ts';
import { nextAllowedTime } from '../../core/selection/send-window.ts';
import type { ExclusionRule } from '../../core/selection/types.ts';
import { exclusionRules } from '../../core/selection/types.ts';
import type { Store } from '../../db/store.ts';
import {
  type DormantDecisionQuery,
  type IdSequence,
  insertDormantVerdicts,
  type PageWritten,
  pageSummary,
  type RunTable,
  verdictsForJs,
  writePage,
} from '../../db/sweeps/dormant-decisions.ts';
import { messageIdPrefix } from '../../db/sweeps/message-id-sql.ts';
import { offerGap } from './customer-part.ts';
import { capSince, offerHistoryNeeds } from './source.ts';
import type { SweepCounts } from './sweep-counts.ts';

/** Whether the campaign's rules can all be decided in SQL (else the rules in JS decide every hit). */
export function setDecidable(campaign: Campaign): boolean {
  const { audience } = campaign;
  return (
    campaign.trigger.type === 'dormant' &&
    campaign.steps.length === 1 &&
    campaign.steps[0]!.index === 0 &&
    audience.minTotalSpent === null &&
    audience.maxTotalSpent === null &&
    audience.minLastOrderValue === null
  );
}

/** Hands out a run's id sequence numbers (message-id-sql.ts), one per statement writing messages, in order. */
export function idSequences(): IdSequence {
  let next = 0;
  return { next: () => next++ };
}

export interface SqlCampaignRun {
  store: Store;
  campaign: Campaign;
  settings: ShopSettings;
  now: number;
  dryRun: boolean;
  run: RunTable;
  anySuppressions: boolean;
  pageSize: number;
  report: SweepCounts;
  /** The campaigns that ran before this one in the run (their choices make customers taken). */
  earlierCampaigns: readonly string[];
  /** The run's id sequence numbers: each statement writing messages takes the next. */
  idSequence: IdSequence;
  /** Start after this customer (where a stopped run of this campaign had finished). */
  after?: string | undefined;
  /** Told after each page, with the last customer it finished (a run may stop there and resume after it). */
  onPage(after: string): void;
  /** Decides these customers' hits with the rules in JS (counted and written as a JS page is). */
  decideInJs(customerIds: readonly string[]): Promise<void>;
}

export async function decideCampaignInSql(options: SqlCampaignRun): Promise<void> {
  const { store, campaign, settings, now, report } = options;
  if (campaign.trigger.type !== 'dormant') throw new Error('only dormant campaigns are decided in SQL');
  const offer = campaign.steps[0]?.offer ?? null;
  const query: DormantDecisionQuery = {
    run: options.run,
    campaignId: campaign.id,
    trigger: campaign.trigger,
    now,
    shopCurrency: settings.currency,
    shopTimezone: settings.timezone,
    needsConsent: needsMarketingConsent(campaign, settings, 0),
    audience: campaign.audience,
    currencyNeeded: offer !== null && (offer.minSubtotal !== null || offer.kind === 'amount_off'),
    offerCurrencies: offerCurrencies(campaign),
    anySuppressions: options.anySuppressions,
    cap: settings.frequencyCap,
    capSince: capSince(settings, now),
    cooldownDays: campaign.cooldownDays,
    offerHistory: offerHistoryNeeds(campaign, settings, now),
    campaignHash: stableHash(campaign.id),
    holdoutBelow: campaign.holdoutPercent <= 0 ? 0 : campaign.holdoutPercent * 100,
    hasOffer: offer !== null,
    earlierCampaigns: options.earlierCampaigns,
  };
  const dues = new Map<string, number>();
  const dueIn = (zone: string) => {
    let at = dues.get(zone);
    if (at === undefined) {
      at = nextAllowedTime(now, zone, { window: campaign.sendWindow, quietHours: settings.quietHours });
      dues.set(zone, at);
    }
    return at;
  };
  const prefix = messageIdPrefix(now);
  let after = options.after ?? '';
  for (;;) {
    await insertDormantVerdicts(store, query, after, options.pageSize);
    const summary = await pageSummary(store, query, after);
    if (summary.rows === 0 || summary.last === null) return;
    const counts = summary.groups.map(({ verdict, zone, n }) => ({
      verdict,
      later: zone !== null && dueIn(zone) > now ? 1 : 0,
      n,
    }));
    const zones = [...new Set(summary.groups.flatMap(({ zone }) => (zone === null ? [] : [zone])))];
    const chosen = counts.some((c) => c.verdict === 'scheduled' || c.verdict === 'held_out');
    const written =
      options.dryRun || !chosen
        ? undefined
        : await writePage(store, query, after, {
            zoneDues: zones.map((zone) => [zone, dueIn(zone)] as const),
            messageIdPrefix: prefix,
            idSequence: options.idSequence,
          });
    addCounts(report, counts, options.dryRun ? undefined : (written ?? { held_out: 0, scheduled: 0 }));
    if (summary.forJs.length > 0) await options.decideInJs(summary.forJs);
    after = summary.last;
    options.onPage(after);
    if (summary.rows < options.pageSize) return;
  }
}

/**
 * The currencies a step's offer has a figure in, as offerGap decides (null:
 * the offer needs none, so every currency will do).
 */
export function offerCurrencies(campaign: Campaign): string[] | null {
  const offer = campaign.steps[0]?.offer ?? null;
  if (offer === null) return null;
  const named = new Set([
    ...Object.keys(offer.minSubtotal ?? {}),
    ...(offer.kind === 'amount_off' ? Object.keys(offer.amount) : []),
  ]);
  // A currency no money field names has a gap exactly when a field exists.
  if (offerGap(campaign, 0, '\u0000none') === undefined) return null;
  return [...named].filter((currency) => offerGap(campaign, 0, currency) === undefined).sort();
}

interface VerdictCount {
  verdict: string;
  later: number;
  n: number;
}

const rules = new Set<string>(exclusionRules);
const leftToJs = new Set<string>(verdictsForJs);

/**
 * The page's verdicts into the counts, as countDecision counts each hit and
 * runSweep takes back those another sweep wrote first.
 */
function addCounts(report: SweepCounts, counts: readonly VerdictCount[], written: PageWritten | undefined) {
  for (const count of counts) addCount(report, count);
  if (written === undefined) return;
  const chosen = (verdict: string) =>
    counts.filter((c) => c.verdict === verdict).reduce((n, c) => n + c.n, 0);
  const lostHeld = chosen('held_out') - written.held_out;
  const lostScheduled = chosen('scheduled') - written.scheduled;
  report.heldOut -= lostHeld;
  report.scheduled -= lostScheduled;
  report.alreadyWritten += lostHeld + lostScheduled;
}

function addCount(report: SweepCounts, { verdict, later, n }: VerdictCount): void {
  if (leftToJs.has(verdict)) return;
  if (verdict === 'no_email') {
    report.skipped.noEmail += n;
    return;
  }
  if (verdict === 'messaged') {
    report.skipped.alreadyMessaged += n;
    return;
  }
  report.eligible += n;
  if (rules.has(verdict)) {
    const rule = verdict as ExclusionRule;
    report.excluded[rule] = (report.excluded[rule] ?? 0) + n;
    return;
  }
  if (verdict === 'scheduled' && later) report.deferred += n;
  if (verdict === 'held_out') report.heldOut += n;
  else if (verdict === 'scheduled') report.scheduled += n;
  else throw new Error(`unknown sweep verdict '${verdict}'`);
}
