// Runs one sweep: every enabled campaign in priority order, each trigger's
// hits through the selection rules, and (unless dry) the chosen messages into
// the outbox in atomic batches, without coupons (those are issued when a
// message is first sent). Safe to run twice or concurrently: the unique
// dedupe key lets only one sweep write a message. Addresses in the hashed
// `suppressions` table are marked suppressed here, for every source alike.
import { compareIds } from '../../core/campaigns/campaign.ts';
import type { Campaign, CampaignSet } from '../../core/campaigns/types.ts';
import { dedupeKey } from '../../core/selection/dedupe-key.ts';
import { decide, newSelectionState } from '../../core/selection/select.ts';
import type { Decision, Hit } from '../../core/selection/types.ts';
import { type NewMessage, writeMessages } from '../../db/repositories/messages.ts';
import type { Store } from '../../db/store.ts';
import { addressSuppression } from './address-suppression.ts';
import { backInStockSource } from './back-in-stock-source.ts';
import { cartSource } from './cart-source.ts';
import { dormantSource } from './dormant-source.ts';
import { newMessageId } from './message-id.ts';
import type { HitSource } from './source.ts';
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
  onProgress?: ((campaignId: string, report: SweepCounts) => void) | undefined;
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
  for (const campaign of campaignsToRun(options)) {
    const report = emptySweepCounts(campaign.id);
    result.campaigns.push(report);
    const source = sources[campaign.trigger.type];
    if (!source) continue;
    const pages = source({
      store,
      campaign,
      settings,
      now,
      pageSize: options.pageSize ?? 5000,
      dryRun,
      customerId: options.explainCustomer,
    });
    for await (const page of pages) {
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
      options.onProgress?.(campaign.id, report);
    }
  }
  return result;
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
