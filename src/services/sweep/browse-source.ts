// Hits for a browse-abandonment campaign: keyset pages of customers whose
// latest product view is in the trigger's range, each judged by
// matchBrowseAbandonment (the one definition of the trigger). Never writes;
// the runner does.
import { audienceNeeds } from '../../core/selection/audience.ts';
import type { Hit } from '../../core/selection/types.ts';
import { matchBrowseAbandonment } from '../../core/triggers/browse-abandonment.ts';
import { type BrowseQuery, browsePage } from '../../db/sweeps/browse-hits.ts';
import { customerPart } from './customer-part.ts';
import { capSince, type HitSource, matchedPage, offerHistoryNeeds } from './source.ts';

export const browseSource: HitSource = async function* (context) {
  const { campaign, settings, now } = context;
  const trigger = campaign.trigger;
  if (trigger.type !== 'browse_abandonment') return;
  const explain = context.customerId !== undefined;
  const query: BrowseQuery = {
    campaignId: campaign.id,
    hours: trigger.hours,
    maxHours: trigger.maxHours,
    now,
    audience: audienceNeeds(campaign, { explain }),
    shopCurrency: settings.currency,
    capSince: capSince(settings, now),
    offerHistory: offerHistoryNeeds(campaign, settings, now),
    customerId: context.customerId,
  };
  let after = '';
  for (;;) {
    const rows = await browsePage(context.store, query, after, context.pageSize);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.customer_id;
    // The rule first: a row it does not match is no hit, with or without an address.
    const matched = rows.flatMap((row) => {
      const outcome = matchBrowseAbandonment(
        trigger,
        {
          lastView: { productId: row.product_id, at: row.viewed_at },
          productInStock: row.in_stock === null ? null : Boolean(row.in_stock),
          cartedSince: Boolean(row.carted_since),
          orderedSince: Boolean(row.ordered_since),
        },
        now,
      );
      return outcome.match ? [{ ...row, outcome }] : [];
    });
    yield matchedPage(
      matched,
      (row, email): Hit => ({
        campaignId: campaign.id,
        triggerKind: 'browse_abandonment',
        step: 0,
        instance: row.outcome.instance,
        triggerRef: row.outcome.instance,
        customerId: row.customer_id,
        email,
        suppressed: Boolean(row.suppressed),
        dueAt: row.outcome.dueAt,
        ...customerPart(row, campaign, settings, { explain }),
      }),
    );
    if (rows.length < context.pageSize) return;
  }
};
