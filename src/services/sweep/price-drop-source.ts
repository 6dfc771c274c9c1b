// Hits for a price-drop campaign: keyset pages of (drop, customer) pairs, the
// drops in the trigger's range and the customers interested in each, each
// pair judged by matchPriceDrop (the one definition of the trigger). A customer
// interested in two drops is two hits: the runner mails the first (one
// message per campaign and customer in a sweep) and cooldown_days spaces the
// rest. Never writes; the runner does.
import type { Campaign, PriceDropTrigger, ShopSettings } from '../../core/campaigns/types.ts';
import { audienceNeeds } from '../../core/selection/audience.ts';
import type { Hit } from '../../core/selection/types.ts';
import {
  describeDrop,
  describeInterest,
  matchPriceDrop,
  type PriceDropFacts,
} from '../../core/triggers/price-drop.ts';
import type { Store } from '../../db/store.ts';
import {
  type DropCursor,
  dropBatchEnd,
  firstDropCursor,
  type PriceDropQuery,
  type PriceDropRow,
  priceDropPage,
} from '../../db/sweeps/price-drop-hits.ts';
import { customerPart } from './customer-part.ts';
import {
  capSince,
  type HitSource,
  matchedPage,
  offerHistoryNeeds,
  type SourceContext,
  type SourcePage,
} from './source.ts';

/**
 * Drops per batch: a big sale's drops are read a batch at a time, so no
 * statement gathers the interest in all of them (and a small page reads a
 * small batch).
 */
const dropsPerBatch = 50;

export const priceDropSource: HitSource = async function* (context) {
  const { campaign, settings, now } = context;
  const trigger = campaign.trigger;
  if (trigger.type !== 'price_drop') return;
  const query = priceDropQuery(campaign, trigger, settings, now, context.customerId);
  let afterDrop = 0;
  for (;;) {
    const lastDrop = await dropBatchEnd(
      context.store,
      query,
      afterDrop,
      Math.min(dropsPerBatch, context.pageSize),
    );
    if (lastDrop === null) return;
    yield* batchHits(context, trigger, query, { dropId: afterDrop + 1, customerId: '' }, lastDrop);
    afterDrop = lastDrop;
  }
};

/** The pairs of one batch of drops, page after page (customer ids are never empty, so '' starts a drop). */
async function* batchHits(
  context: SourceContext,
  trigger: PriceDropTrigger,
  query: PriceDropQuery,
  start: DropCursor,
  lastDrop: number,
): AsyncGenerator<SourcePage> {
  const { campaign, settings, now } = context;
  const explain = context.customerId !== undefined;
  let after = start;
  for (;;) {
    const rows = await priceDropPage(context.store, query, after, lastDrop, context.pageSize);
    if (rows.length === 0) return;
    const last = rows[rows.length - 1]!;
    after = { dropId: last.drop_id, customerId: last.customer_id };
    // The rule first: a row it does not match is no hit, with or without an address.
    const matched = rows.flatMap((row) => {
      const facts = dropFacts(row);
      const outcome = matchPriceDrop(trigger, facts, now);
      return outcome.match ? [{ ...row, facts, outcome }] : [];
    });
    yield matchedPage(matched, (row, email): Hit => {
      const part = customerPart(row, campaign, settings, { explain });
      if (part.facts)
        part.facts = {
          ...part.facts,
          trigger: [describeDrop(row.facts.drop), describeInterest(row.outcome.interest)],
        };
      return {
        campaignId: campaign.id,
        triggerKind: 'price_drop',
        step: 0,
        instance: row.outcome.instance,
        triggerRef: row.outcome.instance,
        customerId: row.customer_id,
        email,
        suppressed: Boolean(row.suppressed),
        dueAt: row.outcome.dueAt,
        ...part,
      };
    });
    if (rows.length < context.pageSize) return;
  }
}

function priceDropQuery(
  campaign: Campaign,
  trigger: PriceDropTrigger,
  settings: ShopSettings,
  now: number,
  customerId: string | undefined,
): PriceDropQuery {
  return {
    campaignId: campaign.id,
    minPercent: trigger.minPercent,
    days: trigger.days,
    maxHours: trigger.maxHours,
    now,
    audience: audienceNeeds(campaign, { explain: customerId !== undefined }),
    shopCurrency: settings.currency,
    capSince: capSince(settings, now),
    offerHistory: offerHistoryNeeds(campaign, settings, now),
    customerId,
  };
}

/** The rule's facts from a page row: the drop, its product now, the customer's interest and purchase. */
function dropFacts(row: PriceDropRow): PriceDropFacts {
  return {
    drop: {
      id: row.drop_id,
      productId: row.product_id,
      currency: row.currency,
      fromMinor: row.from_minor,
      toMinor: row.to_minor,
      at: row.dropped_at,
    },
    interests: [{ kind: row.interest_kind, at: row.interest_at }],
    lastBoughtAt: row.bought_at,
    product:
      row.in_stock === null || row.product_currency === null || row.price_minor === null
        ? null
        : { inStock: Boolean(row.in_stock), currency: row.product_currency, priceMinor: row.price_minor },
  };
}

/**
 * Why a price-drop campaign did not fire for a customer (--explain): the
 * rule's reason for each drop within max_hours, however small, of a product
 * they cared about in the days before it, from the sweep's own query.
 */
export async function explainPriceDrop(
  store: Store,
  campaign: Campaign,
  settings: ShopSettings,
  customerId: string,
  now: number,
): Promise<string> {
  const trigger = campaign.trigger;
  if (trigger.type !== 'price_drop') return '';
  const query = priceDropQuery(campaign, trigger, settings, now, customerId);
  const wants = `the trigger wants a drop of at least ${trigger.minPercent}% in the last ${trigger.maxHours} h of a product viewed, carted or waitlisted in the ${trigger.days} days before it`;
  const rows = await priceDropPage(store, query, firstDropCursor, Number.MAX_SAFE_INTEGER, 5, {
    allDrops: true,
  });
  if (rows.length === 0)
    return `no price drop in the last ${trigger.maxHours} h of a product the customer viewed, carted or waited for in the ${trigger.days} days before it; ${wants}`;
  const reasons = rows.map((row) => {
    const facts = dropFacts(row);
    const outcome = matchPriceDrop(trigger, facts, now);
    return outcome.match
      ? `${describeDrop(facts.drop)}: it fired (${describeInterest(outcome.interest)}), but the customer has no address or it was already messaged`
      : outcome.reason;
  });
  return `${reasons.join('; ')}; ${wants}`;
}
