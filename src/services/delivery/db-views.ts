// The delivery port's view builder over the templates' database view builder
// (src/services/render/build-view.ts). It adds the one rule delivery needs:
// a cart reminder whose cart is gone or empty, or a back-in-stock,
// browse-abandonment, price-drop or replenishment email whose product is gone
// (for a price drop, also when the drop no longer holds), or a new-arrivals email
// none of whose products is still in stock, has nothing to show and is
// cancelled, not sent half-empty.
import type { CampaignSet } from '../../core/campaigns/types.ts';
import type { RecoveryLinkOptions } from '../../core/rendering/recovery-url.ts';
import { triggersProviding } from '../../core/rendering/view-schema.ts';
import type { Store } from '../../db/store.ts';
import { createViewBuilder } from '../render/build-view.ts';
import type { DeliveryViews } from './ports.ts';

const productTriggers: readonly string[] = triggersProviding('product');

export function databaseViews(
  store: Store,
  campaigns: CampaignSet,
  links: RecoveryLinkOptions = {},
): DeliveryViews {
  const builder = createViewBuilder({ store, campaigns, links });
  return {
    async build({ message, unsubscribeUrl }) {
      const view = await builder.forMessage(message, { unsubscribe: unsubscribeUrl });
      if (message.triggerKind === 'abandoned_cart' && !view.cart?.items.length) return null;
      if (productTriggers.includes(message.triggerKind) && !view.product) return null;
      if (message.triggerKind === 'new_arrivals' && !view.arrivals?.length) return null;
      return view;
    },
  };
}
