// Whether one step of a campaign may only go to customers with marketing
// consent. The shop's settings say what its law allows without consent; a
// campaign uses that allowance only when it says `consent: shop_policy`.
// Suppressed addresses are never mailed, whatever this says.
import type { Campaign, ShopSettings } from './types.ts';

export function needsMarketingConsent(
  campaign: Campaign,
  settings: ShopSettings,
  stepIndex: number,
): boolean {
  if (campaign.consent === 'required') return true;
  const allowed = settings.consent.nonSubscribersMayReceive;
  switch (campaign.trigger.type) {
    case 'back_in_stock':
      return !allowed.includes('back_in_stock');
    case 'abandoned_cart':
      return !(stepIndex === 0 && allowed.includes('abandoned_cart_first_step'));
    default:
      return true;
  }
}
