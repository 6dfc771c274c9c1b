// Hits for a replenishment campaign: once per sweep the products it may mail
// and their intervals (replenishInterval over the product's replenish_days
// and what its re-buys teach), then keyset pages of customers with a purchase
// inside a product's window, each purchase judged by matchReplenishment (the
// one definition of the trigger) and one hit per customer: the earliest due
// not yet messaged. Never writes; the runner does.
import type { ReplenishmentTrigger } from '../../core/campaigns/types.ts';
import { audienceNeeds } from '../../core/selection/audience.ts';
import type { Hit } from '../../core/selection/types.ts';
import {
  earliestDue,
  type LearnedInterval,
  matchReplenishment,
  type ReplenishmentFacts,
  type ReplenishmentMatch,
  replenishDelays,
  replenishInterval,
  replenishmentFacts,
} from '../../core/triggers/replenishment.ts';
import type { Store } from '../../db/store.ts';
import {
  customerRefills,
  type DueWindow,
  type ReplenishmentQuery,
  type ReplenishmentRow,
  replenishmentPage,
  replenishProducts,
} from '../../db/sweeps/replenishment-hits.ts';
import { customerPart } from './customer-part.ts';
import { capSince, type HitSource, matchedPage, offerHistoryNeeds } from './source.ts';

export interface ReplenishCatalog {
  products: Map<string, { replenishDays: number | null; learned: LearnedInterval | null }>;
  windows: DueWindow[];
}

/** The products the trigger may mail at `now` (or only these), with their windows: one statement. */
export async function replenishCatalog(
  store: Store,
  trigger: ReplenishmentTrigger,
  now: number,
  productIds?: readonly string[],
): Promise<ReplenishCatalog> {
  const rows = await replenishProducts(store, {
    now,
    categories: trigger.categories,
    learn: trigger.learn !== null,
    productIds,
  });
  const products: ReplenishCatalog['products'] = new Map();
  const windows: DueWindow[] = [];
  for (const row of rows) {
    const product = {
      replenishDays: row.replenish_days,
      learned:
        row.median_days === null || row.intervals === null
          ? null
          : { medianDays: row.median_days, intervals: row.intervals },
    };
    products.set(row.id, product);
    const interval = replenishInterval(product, product.learned, trigger.learn);
    if (interval) windows.push({ productId: row.id, ...replenishDelays(trigger, interval.days) });
  }
  return { products, windows };
}

type RefillTuple = [
  productId: string,
  boughtAt: number,
  category: string | null,
  inStock: number | null,
  messaged: number,
];

/** The rule's facts about one latest purchase, from a row and the catalog. */
function refillFacts(
  catalog: ReplenishCatalog,
  productId: string,
  boughtAt: number,
  category: string | null,
  inStock: number | null,
): ReplenishmentFacts {
  const product = catalog.products.get(productId);
  return {
    productId,
    boughtAt,
    category,
    productInStock: inStock === null ? null : Boolean(inStock),
    replenishDays: product?.replenishDays ?? null,
    learned: product?.learned ?? null,
  };
}

/** A page row's choice: the earliest due purchase not yet messaged, or whether every due one was. */
function chooseRefill(
  row: Pick<ReplenishmentRow, 'refills'>,
  trigger: ReplenishmentTrigger,
  catalog: ReplenishCatalog,
  now: number,
): { match: ReplenishmentMatch | null; alreadyMessaged: boolean } {
  const fresh: ReplenishmentMatch[] = [];
  let messaged = false;
  const refills = JSON.parse(row.refills ?? '[]') as RefillTuple[];
  for (const [productId, boughtAt, category, inStock, done] of refills) {
    const outcome = matchReplenishment(
      trigger,
      refillFacts(catalog, productId, boughtAt, category, inStock),
      now,
    );
    if (!outcome.match) continue;
    if (done) messaged = true;
    else fresh.push(outcome);
  }
  const match = earliestDue(fresh);
  return { match, alreadyMessaged: match === null && messaged };
}

/** A page row the rule matched: its purchase to mail, or none when every due one was already messaged. */
type Chosen = { match: ReplenishmentMatch | null; already_messaged: number };

export const replenishmentSource: HitSource = async function* (context) {
  const { campaign, settings, now } = context;
  const trigger = campaign.trigger;
  if (trigger.type !== 'replenishment') return;
  const explain = context.customerId !== undefined;
  const catalog = await replenishCatalog(context.store, trigger, now);
  const query: ReplenishmentQuery = {
    campaignId: campaign.id,
    now,
    windows: catalog.windows,
    audience: audienceNeeds(campaign, { explain }),
    shopCurrency: settings.currency,
    capSince: capSince(settings, now),
    offerHistory: offerHistoryNeeds(campaign, settings, now),
    customerId: context.customerId,
  };
  let after = '';
  for (;;) {
    const rows = await replenishmentPage(context.store, query, after, context.pageSize);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.customer_id;
    // The rule first: a row none of whose purchases it matches is no hit, with or without an address.
    const matched = rows.flatMap((row): (ReplenishmentRow & Chosen)[] => {
      const { match, alreadyMessaged } = chooseRefill(row, trigger, catalog, now);
      if (match) return [{ ...row, match, already_messaged: 0 }];
      return alreadyMessaged ? [{ ...row, match: null, already_messaged: 1 }] : [];
    });
    yield matchedPage(matched, (row, email): Hit => {
      // matchedPage hands over only rows not already messaged, which carry a match.
      const match = row.match!;
      const part = customerPart(row, campaign, settings, { explain });
      if (part.facts) part.facts = { ...part.facts, trigger: replenishmentFacts(trigger, match) };
      return {
        campaignId: campaign.id,
        triggerKind: 'replenishment',
        step: 0,
        instance: match.instance,
        triggerRef: match.instance,
        customerId: row.customer_id,
        email,
        suppressed: Boolean(row.suppressed),
        dueAt: match.dueAt,
        ...part,
      };
    });
    if (rows.length < context.pageSize) return;
  }
};

/**
 * Why the trigger does not fire for one customer now (--explain): the rule's
 * reason for each of their latest purchases, the latest first.
 */
export async function explainReplenishment(
  store: Store,
  trigger: ReplenishmentTrigger,
  customerId: string,
  now: number,
): Promise<string> {
  const bought = await customerRefills(store, customerId, now);
  if (bought.length === 0) return 'no paid purchase of a product';
  const ids = bought.map((b) => b.product_id);
  const catalog = await replenishCatalog(store, { ...trigger, categories: null }, now, ids);
  const outcomes = bought.map((b) =>
    matchReplenishment(trigger, refillFacts(catalog, b.product_id, b.bought_at, b.category, b.in_stock), now),
  );
  const due = outcomes.find((outcome) => outcome.match);
  if (due?.match)
    return `product ${due.productId} is due, but the customer has no address or it was already messaged`;
  const shown = 5;
  const reasons = outcomes.slice(0, shown).map((outcome) => (outcome.match ? '' : outcome.reason));
  const more = outcomes.length > shown ? `; and ${outcomes.length - shown} more product(s)` : '';
  return `${reasons.join('; ')}${more}`;
}
