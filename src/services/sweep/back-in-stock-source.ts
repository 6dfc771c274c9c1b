// Hits for a back-in-stock campaign: per product that came back, its pending
// waitlist entries oldest first, then (if asked) the open carts holding it,
// never more than the restock's allocation allows. The allocation counts
// messages written to be sent, so a hit the rules exclude (no consent,
// suppressed) or hold out does not use a unit: the source pages on,
// re-counting after each page. Never
// writes itself; the runner writes the messages and the notified marks.
import type { BackInStockTrigger } from '../../core/campaigns/types.ts';
import { audienceNeeds } from '../../core/selection/audience.ts';
import { customerKey } from '../../core/selection/dedupe-key.ts';
import type { Decision, Hit } from '../../core/selection/types.ts';
import { restockAllowance } from '../../core/triggers/back-in-stock.ts';
import { heldCartInstance, restockRef, waitlistInstance } from '../../core/triggers/trigger-ref.ts';
import {
  type BackInStockQuery,
  firstWaitlistCursor,
  heldCartPage,
  markNotified,
  type RecipientFacts,
  type RestockRow,
  restockPage,
  type WaitlistCursor,
  waitlistPage,
} from '../../db/sweeps/back-in-stock-hits.ts';
import { customerPart } from './customer-part.ts';
import {
  capSince,
  type HitSource,
  offerHistoryNeeds,
  type SourceContext,
  type SourcePage,
} from './source.ts';

export const backInStockSource: HitSource = async function* (context) {
  const trigger = context.campaign.trigger;
  if (trigger.type !== 'back_in_stock') return;
  const query: BackInStockQuery = {
    campaignId: context.campaign.id,
    includeCarts: trigger.includeCarts,
    audience: audienceNeeds(context.campaign, { explain: context.customerId !== undefined }),
    shopCurrency: context.settings.currency,
    capSince: capSince(context.settings, context.now),
    offerHistory: offerHistoryNeeds(context.campaign, context.settings, context.now),
    customerId: context.customerId,
  };
  let afterProduct = '';
  for (;;) {
    const restocks = await restockPage(context.store, query, afterProduct, context.pageSize);
    if (restocks.length === 0) return;
    afterProduct = restocks[restocks.length - 1]!.product_id;
    for (const restock of restocks) yield* restockHits(context, query, trigger, restock);
    if (restocks.length < context.pageSize) return;
  }
};

/**
 * One restock's pages. Each page reads the restock's sent count in the same
 * statement as its rows and keeps only as many rows as that count leaves, so a
 * concurrent sweep's messages and notified marks are seen together or not at
 * all, and both sweeps pick the same next entries. The runner writes
 * what it chose before the next page is read. A dry run writes nothing, so
 * it counts the messages the runner decided to schedule instead, and its
 * report stops where a real sweep would.
 */
async function* restockHits(
  context: SourceContext,
  query: BackInStockQuery,
  trigger: BackInStockTrigger,
  restock: RestockRow,
): AsyncGenerator<SourcePage> {
  const triggerRef = restockRef(restock.restock_id);
  let sent = restock.sent;
  let unwritten = 0;
  const allowance = () => restockAllowance(trigger.allocation, restock.quantity, sent + unwritten);
  /** Rows the page may use, given the count read with them; undefined once the allocation is used up. */
  const allowed = <T extends { sent: number }>(rows: T[]): T[] | undefined => {
    sent = rows[0]?.sent ?? sent;
    const left = allowance();
    return left <= 0 ? undefined : rows.slice(0, left);
  };

  let entryCursor: WaitlistCursor = firstWaitlistCursor;
  for (;;) {
    // The count can only have grown since it was read, so this is an upper bound.
    const limit = Math.min(allowance(), context.pageSize);
    if (limit <= 0) return;
    const rows = await waitlistPage(context.store, query, restock, entryCursor, limit);
    const usable = allowed(rows);
    if (!usable) return;
    if (usable.length === 0) break;
    const last = usable[usable.length - 1]!;
    entryCursor = { createdAt: last.created_at, entryId: last.entry_id };
    const entries = new Map<string, string>();
    const hits: Hit[] = [];
    let alreadyMessaged = 0;
    const alreadyMessagedKeys: string[] = [];
    for (const row of usable) {
      if (row.already_messaged) {
        alreadyMessaged++;
        if (row.email)
          alreadyMessagedKeys.push(customerKey({ customerId: row.customer_id, email: row.email }));
        continue;
      }
      const hit = recipientHit(context, waitlistInstance(row.entry_id), triggerRef, row);
      if (!hit) continue;
      entries.set(hit.instance, row.entry_id);
      hits.push(hit);
    }
    let scheduled = 0;
    yield {
      hits,
      noEmail: 0,
      alreadyMessaged,
      alreadyMessagedKeys,
      decided(decisions) {
        scheduled = countScheduled(decisions);
      },
      alongside(chosen) {
        const ids = chosen.map((hit) => entries.get(hit.instance)).filter((id) => id !== undefined);
        return markNotified(context.store, ids, context.now);
      },
    };
    if (context.dryRun) unwritten += scheduled;
    if (rows.length < limit) break;
  }

  if (!trigger.includeCarts) return;
  let afterCart = '';
  for (;;) {
    const limit = Math.min(allowance(), context.pageSize);
    if (limit <= 0) return;
    const rows = await heldCartPage(context.store, query, restock, afterCart, limit);
    const usable = allowed(rows);
    if (!usable || usable.length === 0) return;
    afterCart = usable[usable.length - 1]!.cart_id;
    const hits: Hit[] = [];
    let noEmail = 0;
    const alreadyMessagedKeys: string[] = [];
    for (const row of usable) {
      if (!row.email) noEmail++;
      else if (row.already_messaged)
        alreadyMessagedKeys.push(customerKey({ customerId: row.customer_id, email: row.email }));
      else {
        const hit = recipientHit(context, heldCartInstance(restock.product_id, row.cart_id), triggerRef, row);
        if (hit) hits.push(hit);
      }
    }
    let scheduled = 0;
    yield {
      hits,
      noEmail,
      alreadyMessaged: alreadyMessagedKeys.length,
      alreadyMessagedKeys,
      decided(decisions) {
        scheduled = countScheduled(decisions);
      },
    };
    if (context.dryRun) unwritten += scheduled;
    if (rows.length < limit) return;
  }
}

/** Messages that use a unit of the allocation: scheduled ones, not held-out ones. */
function countScheduled(decisions: readonly Decision[]): number {
  return decisions.filter((decision) => decision.outcome === 'scheduled').length;
}

function recipientHit(
  context: SourceContext,
  instance: string,
  triggerRef: string,
  row: RecipientFacts,
): Hit | undefined {
  const { campaign, settings, now } = context;
  if (!row.email) return undefined;
  return {
    campaignId: campaign.id,
    triggerKind: 'back_in_stock',
    step: 0,
    instance,
    triggerRef,
    customerId: row.customer_id,
    email: row.email,
    suppressed: Boolean(row.suppressed),
    dueAt: now,
    ...customerPart(row, campaign, settings, { explain: context.customerId !== undefined }),
  };
}
