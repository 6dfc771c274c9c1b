// Hits for a dormant campaign: keyset pages of customers whose last real
// purchase is old enough, with the facts the selection rules need.
import { audienceNeeds } from '../../core/selection/audience.ts';
import type { Hit } from '../../core/selection/types.ts';
import { dormantRef } from '../../core/triggers/trigger-ref.ts';
import { dormantPage } from '../../db/sweeps/dormant-hits.ts';
import { customerPart } from './customer-part.ts';
import { capSince, type HitSource, matchedPage, offerHistoryNeeds } from './source.ts';

export const dormantSource: HitSource = async function* (context) {
  const { campaign, settings, now } = context;
  if (campaign.trigger.type !== 'dormant') return;
  const explain = context.customerId !== undefined;
  const needs = audienceNeeds(campaign, { explain });
  const offerHistory = offerHistoryNeeds(campaign, settings, now);
  let after = '';
  for (;;) {
    const rows = await dormantPage(
      context.store,
      {
        campaignId: campaign.id,
        trigger: campaign.trigger,
        audience: needs,
        shopCurrency: settings.currency,
        now,
        capSince: capSince(settings, now),
        offerHistory,
        customerIds:
          context.customerIds ?? (context.customerId === undefined ? undefined : [context.customerId]),
      },
      after,
      context.pageSize,
    );
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.customer_id;
    yield matchedPage(rows, (row, email): Hit => {
      const instance = dormantRef(row.last_at);
      const part = customerPart(row, campaign, settings, { explain });
      if (part.facts)
        part.facts = { ...part.facts, firstPurchaseAt: row.first_at, lastPurchaseAt: row.last_at };
      return {
        campaignId: campaign.id,
        triggerKind: 'dormant',
        step: 0,
        instance,
        triggerRef: instance,
        customerId: row.customer_id,
        email,
        suppressed: row.suppressed_at !== null,
        dueAt: now,
        ...part,
      };
    });
    if (rows.length < context.pageSize) return;
  }
};
