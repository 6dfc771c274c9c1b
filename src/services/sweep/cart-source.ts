// Hits for an abandoned-cart campaign: keyset pages of open, idle carts, each
// judged by matchAbandonedCart (the one definition of the series) and turned
// into a hit for the latest due step. Never writes; the runner does.
import { audienceNeeds } from '../../core/selection/audience.ts';
import { customerKey } from '../../core/selection/dedupe-key.ts';
import type { Hit } from '../../core/selection/types.ts';
import { matchAbandonedCart } from '../../core/triggers/abandoned-cart.ts';
import { type CartCursor, type CartRow, cartPage, firstCartCursor } from '../../db/sweeps/cart-hits.ts';
import { customerPart } from './customer-part.ts';
import { capSince, type HitSource, offerHistoryNeeds, type SourceContext } from './source.ts';

export const cartSource: HitSource = async function* (context) {
  const { campaign, settings, now } = context;
  const trigger = campaign.trigger;
  if (trigger.type !== 'abandoned_cart') return;
  const query = {
    campaignId: campaign.id,
    delaysHours: campaign.steps.map((step) => step.delayHours),
    audience: audienceNeeds(campaign, { explain: context.customerId !== undefined }),
    shopCurrency: settings.currency,
    now,
    capSince: capSince(settings, now),
    offerHistory: offerHistoryNeeds(campaign, settings, now),
    customerId: context.customerId,
  };
  let after: CartCursor = firstCartCursor;
  for (;;) {
    const rows = await cartPage(context.store, query, after, context.pageSize);
    if (rows.length === 0) return;
    const last = rows[rows.length - 1]!;
    after = { lastActivityAt: last.last_activity_at, cartId: last.cart_id };
    const hits: Hit[] = [];
    let noEmail = 0;
    const alreadyMessagedKeys: string[] = [];
    for (const row of rows) {
      if (!row.email) {
        noEmail++;
        continue;
      }
      const outcome = matchAbandonedCart(
        campaign.steps,
        row.cart_id,
        {
          status: 'open',
          lastActivityAt: row.last_activity_at,
          itemCount: row.item_count,
          hasEmail: true,
          valueMinor: row.value_minor,
          currency: row.cart_currency,
          orderedSince: Boolean(row.ordered_since),
        },
        now,
        trigger.minCartValue,
      );
      // Converted by an order, below the minimum value: the trigger does not fire.
      if (!outcome.match) continue;
      if (outcome.step !== row.step) {
        // The dedupe lookup used the SQL's step; a different one would let a step go out twice.
        throw new Error(
          `cart ${row.cart_id}: SQL picked step ${row.step}, matchAbandonedCart step ${outcome.step}`,
        );
      }
      if (row.already_messaged) {
        alreadyMessagedKeys.push(customerKey({ customerId: row.customer_id, email: row.email }));
        continue;
      }
      hits.push(toHit(context, row, row.email, outcome));
    }
    yield { hits, noEmail, alreadyMessaged: alreadyMessagedKeys.length, alreadyMessagedKeys };
    if (rows.length < context.pageSize) return;
  }
};

function toHit(
  context: SourceContext,
  row: CartRow,
  email: string,
  outcome: { step: number; dueAt: number; instance: string },
): Hit {
  const { campaign, settings } = context;
  return {
    campaignId: campaign.id,
    triggerKind: 'abandoned_cart',
    step: outcome.step,
    instance: outcome.instance,
    triggerRef: outcome.instance,
    customerId: row.customer_id,
    email,
    suppressed: Boolean(row.suppressed),
    dueAt: outcome.dueAt,
    ...customerPart(row, campaign, settings, {
      step: outcome.step,
      currency: row.cart_currency,
      explain: context.customerId !== undefined,
    }),
  };
}
