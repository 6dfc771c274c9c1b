// Runs one sweep: every enabled campaign in priority order, each trigger's
// hits through the selection rules, and (unless dry) the chosen messages into
// the outbox in atomic batches, without coupons (those are issued when a
// message is first sent). Safe to run twice or concurrently: the unique
// dedupe key lets only one sweep write a message. Addresses in the hashed
// `suppressions` table are marked suppressed here, for every source alike.
import { compareIds } from '../../core/campaigns/campaign.ts';
import type { Campaign, CampaignSet } from '../../core/campaigns/types.ts';
import { customerKey, dedupeKey } from '../../core/selection/dedupe-key.ts';
import { decide, newSelectionState } from '../../core/selection/select.ts';
import type { Decision, Hit } from '../../core/selection/types.ts';
import { type NewMessage, writeMessages } from '../../db/repositories/messages.ts';
import type { Store } from '../../db/store.ts';
import { fillCustomerHashes } from '../../db/sweeps/customer-hashes.ts';
import {
  chosenInRun,
  dropRun,
  type IdSequence,
  type RunTable,
  recordTaken,
  startRun,
} from '../../db/sweeps/dormant-decisions.ts';
import { hasSuppressions } from '../../db/sweeps/suppressed-hashes.ts';
import { addressSuppression } from './address-suppression.ts';
import { audienceSource } from './audience-source.ts';
import { backInStockSource } from './back-in-stock-source.ts';
import { browseSource } from './browse-source.ts';
import { cartSource } from './cart-source.ts';
import { decideCampaignInSql, idSequences, setDecidable } from './decide-in-sql.ts';
import { dormantSource } from './dormant-source.ts';
import { newMessageId } from './message-id.ts';
import { newArrivalsSource } from './new-arrivals-source.ts';
import { priceDropSource } from './price-drop-source.ts';
import { replenishmentSource } from './replenishment-source.ts';
import type { HitSource, SourcePage } from './source.ts';
import { countDecision, emptySweepCounts, type SweepCounts } from './sweep-counts.ts';

export interface SweepOptions {
  store: Store;
  campaigns: CampaignSet;
  now: number;
  dryRun: boolean;
  /** Only these trigger types (the cart/stock schedule runs often, dormant nightly). */
  triggerTypes?: readonly Campaign['trigger']['type'][] | undefined;
  campaignId?: string | undefined;
  /** Collect every decision about this customer, for --explain. */
  explainCustomer?: string | undefined;
  pageSize?: number | undefined;
  /**
   * After each page; `after` is the last customer a campaign decided in SQL
   * has finished (its pages are keyed by customer), so a stopped run can
   * resume there (resumeAfter).
   */
  onProgress?: ((campaignId: string, report: SweepCounts, after?: string) => void) | undefined;
  /** Resume this campaign after this customer (it and the campaigns before it in this run are done up to there). */
  resumeAfter?: { campaignId: string; after: string } | undefined;
  /**
   * Where the rules run: by default in SQL for the campaigns that allow it
   * (decide-in-sql.ts), else in JS; 'js' forces the rules in JS for all, as
   * the reference the SQL is tested against.
   */
  decideIn?: 'auto' | 'js' | undefined;
  /** Each page's chosen hits (scheduled or held out), for `sweep --recipients`. */
  onChosen?: ((decisions: readonly Exclude<Decision, { outcome: 'excluded' }>[]) => void) | undefined;
}

export interface SweepResult {
  now: number;
  dryRun: boolean;
  campaigns: SweepCounts[];
  explanations: Decision[];
}

const sources: Partial<Record<Campaign['trigger']['type'], HitSource>> = {
  dormant: dormantSource,
  abandoned_cart: cartSource,
  back_in_stock: backInStockSource,
  browse_abandonment: browseSource,
  price_drop: priceDropSource,
  audience: audienceSource,
  new_arrivals: newArrivalsSource,
  replenishment: replenishmentSource,
};

export function registerSource(type: Campaign['trigger']['type'], source: HitSource): void {
  sources[type] = source;
}

export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const { store, now, dryRun } = options;
  const { settings } = options.campaigns;
  const state = newSelectionState();
  const suppression = addressSuppression(store);
  const result: SweepResult = { now, dryRun, campaigns: [], explanations: [] };
  const campaigns = campaignsToRun(options);
  const inSql = campaigns.map((campaign) => decidesInSql(campaign, options));
  const run = inSql.some(Boolean) ? await startSqlRun(store, dryRun) : undefined;
  try {
    for (const [index, campaign] of campaigns.entries()) {
      const report = emptySweepCounts(campaign.id);
      result.campaigns.push(report);
      const source = sources[campaign.trigger.type];
      if (!source) continue;
      // What each side must tell the other of the customers it chose: the
      // rule "one campaign per customer per sweep" spans both.
      const sqlLater = run !== undefined && inSql.slice(index + 1).some(Boolean);
      const jsLater = inSql.slice(index + 1).some((later) => !later);
      const decidePages = async (pages: AsyncIterable<SourcePage>) => {
        for await (const page of pages) {
          const chosen = await decideJsPage(page, campaign, report);
          const held = (page.alreadyMessagedKeys ?? []).filter((key) => !state.taken.has(key));
          for (const key of held) state.taken.set(key, campaign.id);
          if (sqlLater && chosen.length + held.length > 0)
            await recordTaken(store, run!.id, campaign.id, [
              ...new Set([...chosen.map((d) => customerKey(d.hit)), ...held]),
            ]);
          options.onProgress?.(campaign.id, report);
        }
      };
      const context = {
        store,
        campaign,
        settings,
        now,
        pageSize: options.pageSize ?? 5000,
        dryRun,
        customerId: options.explainCustomer,
      };
      if (run && inSql[index]) {
        await decideCampaignInSql({
          store,
          campaign,
          settings,
          now,
          dryRun,
          run: run.id,
          anySuppressions: run.anySuppressions,
          idSequence: run.idSequence,
          earlierCampaigns: campaigns.slice(0, index).map((earlier) => earlier.id),
          pageSize: options.pageSize ?? sqlPageSize,
          report,
          after: options.resumeAfter?.campaignId === campaign.id ? options.resumeAfter.after : undefined,
          onPage: (after) => options.onProgress?.(campaign.id, report, after),
          decideInJs: (customerIds) =>
            decidePages(dormantSource({ ...context, customerIds, pageSize: customerIds.length })),
        });
        if (jsLater)
          for (const key of await chosenInRun(store, run.id, campaign.id)) state.taken.set(key, campaign.id);
        continue;
      }
      await decidePages(source(context));
    }
  } finally {
    if (run) await dropRun(store, run.id);
  }
  return result;

  /** One page decided by the rules in JS and (unless dry) written; returns the chosen hits' decisions. */
  async function decideJsPage(page: SourcePage, campaign: Campaign, report: SweepCounts) {
    report.skipped.noEmail += page.noEmail;
    report.skipped.alreadyMessaged += page.alreadyMessaged;
    const hits = await suppression.apply(page.hits);
    const decisions = hits.map((hit) => decide(hit, campaign, settings, state, now));
    page.decided?.(decisions);
    for (const decision of decisions) countDecision(report, decision, now);
    if (options.explainCustomer) result.explanations.push(...decisions);
    const chosen = decisions.filter((d) => d.outcome !== 'excluded');
    options.onChosen?.(chosen);
    if (!dryRun && chosen.length > 0) {
      const rows = chosen.map((d) => messageRow(d, campaign, now));
      const alongside = page.alongside?.(chosen.map((d) => d.hit)) ?? [];
      const written = await writeMessages(store, rows, alongside);
      for (const row of rows) {
        if (written.has(row.dedupeKey)) continue;
        // Another sweep wrote this one first: it is not ours to count.
        report.alreadyWritten++;
        if (row.status === 'held_out') report.heldOut--;
        else report.scheduled--;
      }
    }
    return chosen;
  }
}

/** Pages of hits decided in SQL: larger than JS pages, since no hit crosses into JS. */
const sqlPageSize = 20_000;

/**
 * Whether a campaign's hits are decided in SQL: its rules must all be
 * expressible there (setDecidable), and nobody may be asking for the hits
 * themselves (--explain, --recipients) or for the rules in JS (decideIn).
 */
function decidesInSql(campaign: Campaign, options: SweepOptions): boolean {
  return (
    options.decideIn !== 'js' &&
    options.explainCustomer === undefined &&
    options.onChosen === undefined &&
    setDecidable(campaign)
  );
}

interface SqlRun {
  id: RunTable;
  anySuppressions: boolean;
  idSequence: IdSequence;
}

/**
 * A real sweep first fills the hashes SQL reads for customers new or changed
 * since the last one; a dry run writes none, and leaves the customers still
 * without them to the rules in JS.
 */
async function startSqlRun(store: Store, dryRun: boolean): Promise<SqlRun> {
  if (!dryRun) await fillCustomerHashes(store);
  const anySuppressions = await hasSuppressions(store);
  return { id: await startRun(store, Date.now()), anySuppressions, idSequence: idSequences() };
}

function campaignsToRun(options: SweepOptions): Campaign[] {
  return options.campaigns.campaigns
    .filter((c) => c.enabled)
    .filter((c) => options.campaignId === undefined || c.id === options.campaignId)
    .filter((c) => options.triggerTypes === undefined || options.triggerTypes.includes(c.trigger.type))
    .sort((a, b) => b.priority - a.priority || compareIds(a.id, b.id));
}

/**
 * A chosen hit's outbox row. It carries no coupon: a scheduled message whose
 * step has an offer notes the customer's currency, and its coupon is issued
 * at its first send attempt (services/delivery/issue-coupons.ts), so a
 * message never sent (held out, cancelled, suppressed) never has a code.
 */
function messageRow(
  decision: Exclude<Decision, { outcome: 'excluded' }>,
  campaign: Campaign,
  now: number,
): NewMessage & { dedupeKey: string } {
  const hit: Hit = decision.hit;
  const offer = campaign.steps.find((step) => step.index === hit.step)?.offer;
  const scheduled = decision.outcome !== 'held_out';
  return {
    id: newMessageId(now),
    dedupeKey: dedupeKey(hit),
    campaignId: hit.campaignId,
    step: hit.step,
    customerId: hit.customerId,
    email: hit.email,
    triggerKind: hit.triggerKind,
    triggerRef: hit.triggerRef,
    status: scheduled ? 'scheduled' : 'held_out',
    offerCurrency: scheduled && offer ? hit.currency.toUpperCase() : null,
    dueAt: decision.dueAt,
    createdAt: now,
    updatedAt: now,
  };
}
