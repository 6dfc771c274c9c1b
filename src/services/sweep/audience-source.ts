// Hits for a scheduled audience send: when a send time is due at the sweep's
// `now` (dueSendTime), keyset pages of every customer, each judged by
// matchAudienceSend, their messages due spread at per_hour in the order
// the pages meet them, after those an earlier sweep of the same send wrote.
// Never writes; the runner does.
import { audienceNeeds } from '../../core/selection/audience.ts';
import type { Hit } from '../../core/selection/types.ts';
import { dueSendTime, matchAudienceSend, spreadDue } from '../../core/triggers/audience-send.ts';
import { audienceSendRef } from '../../core/triggers/trigger-ref.ts';
import {
  type AudienceSendQuery,
  audienceSendPage,
  audienceSendWritten,
} from '../../db/sweeps/audience-hits.ts';
import { customerPart } from './customer-part.ts';
import { capSince, type HitSource, matchedPage, offerHistoryNeeds } from './source.ts';

export const audienceSource: HitSource = async function* (context) {
  const { campaign, settings, now } = context;
  const trigger = campaign.trigger;
  if (trigger.type !== 'audience') return;
  const sendTime = dueSendTime(trigger, now);
  if (sendTime === null) return;
  const explain = context.customerId !== undefined;
  const query: AudienceSendQuery = {
    campaignId: campaign.id,
    sendTime,
    audience: audienceNeeds(campaign, { explain }),
    shopCurrency: settings.currency,
    capSince: capSince(settings, now),
    offerHistory: offerHistoryNeeds(campaign, settings, now),
    customerId: context.customerId,
  };
  const instance = audienceSendRef(sendTime);
  let rank = explain ? 0 : await audienceSendWritten(context.store, campaign.id, sendTime);
  let after = '';
  for (;;) {
    const rows = await audienceSendPage(context.store, query, after, context.pageSize);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.customer_id;
    const matched = rows.filter(
      (row) => matchAudienceSend(trigger, { lastPurchaseAt: row.last_at }, sendTime).match,
    );
    yield matchedPage(
      matched,
      (row, email): Hit => ({
        campaignId: campaign.id,
        triggerKind: 'audience',
        step: 0,
        instance,
        triggerRef: instance,
        customerId: row.customer_id,
        email,
        suppressed: Boolean(row.suppressed),
        dueAt: spreadDue(sendTime, rank++, trigger.perHour),
        ...customerPart(row, campaign, settings, { explain }),
      }),
    );
    if (rows.length < context.pageSize) return;
  }
};
