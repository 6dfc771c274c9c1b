// Hits for a new-arrivals campaign: the sweep's arrivals read once
// (newArrivalList), then keyset pages of the customers with one of their
// categories, each judged by matchNewArrivals (the one definition of the
// trigger). The batch's products ride on the message's trigger ref, so the
// email lists exactly what the sweep chose. Never writes; the runner does.
import type { Campaign, NewArrivalsTrigger, ShopSettings } from '../../core/campaigns/types.ts';
import { audienceNeeds } from '../../core/selection/audience.ts';
import type { Hit } from '../../core/selection/types.ts';
import {
  type Arrival,
  arrivalsSince,
  matchNewArrivals,
  type NewArrivalsFacts,
  type NewArrivalsOutcome,
} from '../../core/triggers/new-arrivals.ts';
import { parseNewArrivalsRef } from '../../core/triggers/trigger-ref.ts';
import type { Store } from '../../db/store.ts';
import {
  type NewArrivalsQuery,
  type NewArrivalsRow,
  newArrivalList,
  newArrivalsPage,
  pageBoundary,
} from '../../db/sweeps/new-arrivals-hits.ts';
import { customerPart } from './customer-part.ts';
import { capSince, type HitSource, matchedPage, offerHistoryNeeds } from './source.ts';

export const newArrivalsSource: HitSource = async function* (context) {
  const { campaign, settings, now } = context;
  const trigger = campaign.trigger;
  if (trigger.type !== 'new_arrivals') return;
  const arrivals = await newArrivalList(context.store, arrivalsSince(trigger, now), now);
  if (arrivals.length === 0) return;
  const query = arrivalsQuery(campaign, trigger, settings, now, arrivals, context.customerId);
  let after = '';
  for (;;) {
    const upTo = await pageBoundary(context.store, after, context.pageSize, context.customerId);
    if (upTo === null) return;
    const rows = await newArrivalsPage(context.store, query, after, upTo);
    after = upTo;
    const matched = rows.flatMap((row) => {
      const outcome = matchNewArrivals(trigger, newArrivalsFacts(row, arrivals), now);
      if (!outcome.match && !outcome.alreadyMessaged) return [];
      return [{ ...row, outcome, already_messaged: outcome.match ? 0 : 1 }];
    });
    yield matchedPage(matched, (row, email): Hit => {
      const { outcome } = row;
      // matchedPage hands on only the rows not already messaged: those the rule matched.
      if (!outcome.match) throw new Error('new arrivals: an unmatched row became a hit');
      return {
        campaignId: campaign.id,
        triggerKind: 'new_arrivals',
        step: 0,
        instance: outcome.instance,
        triggerRef: outcome.ref,
        customerId: row.customer_id,
        email,
        suppressed: Boolean(row.suppressed),
        dueAt: now,
        ...customerPart(row, campaign, settings, { explain: context.customerId !== undefined }),
      };
    });
  }
};

function arrivalsQuery(
  campaign: Campaign,
  trigger: NewArrivalsTrigger,
  settings: ShopSettings,
  now: number,
  arrivals: readonly Arrival[],
  customerId: string | undefined,
): NewArrivalsQuery {
  return {
    campaignId: campaign.id,
    now,
    idleDays: trigger.idleDays,
    categories: [...new Set(arrivals.map((a) => a.category))],
    audience: audienceNeeds(campaign, { explain: customerId !== undefined }),
    shopCurrency: settings.currency,
    capSince: capSince(settings, now),
    offerHistory: offerHistoryNeeds(campaign, settings, now),
    customerId,
  };
}

/** A page row as the rule's facts. */
export function newArrivalsFacts(
  row: NewArrivalsRow,
  arrivals: NewArrivalsFacts['arrivals'],
): NewArrivalsFacts {
  return {
    arrivals,
    categories: new Set(JSON.parse(row.categories) as string[]),
    toldUpTo: row.last_ref === null ? null : (parseNewArrivalsRef(row.last_ref)?.newestAt ?? null),
    lastPurchaseAt: row.last_at,
  };
}

/**
 * What the campaign's rule says for one customer now (preview, --explain):
 * the outcome, or null when nothing is new in the shop or the customer has
 * none of the arrivals' categories.
 */
export async function newArrivalsFor(
  store: Store,
  campaign: Campaign,
  settings: ShopSettings,
  customerId: string,
  now: number,
): Promise<NewArrivalsOutcome | null> {
  const trigger = campaign.trigger;
  if (trigger.type !== 'new_arrivals') return null;
  const arrivals = await newArrivalList(store, arrivalsSince(trigger, now), now);
  if (arrivals.length === 0) return null;
  const query = arrivalsQuery(campaign, trigger, settings, now, arrivals, customerId);
  const [row] = await newArrivalsPage(store, query, '', customerId);
  return row ? matchNewArrivals(trigger, newArrivalsFacts(row, arrivals), now) : null;
}
