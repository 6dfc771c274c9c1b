// The deliver benchmark's fixed inputs: a one-campaign set (its step carries
// the win-back offer, so delivery issues a coupon per message), the fixed small
// renderer (a few KB of HTML with links, the coupon and the footer) and a view
// builder that reads nothing, so the benchmark times delivery, not templates.
import type { CampaignSet } from '../../src/core/campaigns/types.ts';
import type { EmailView, MessageRenderer } from '../../src/core/rendering/contract.ts';
import type { DeliveryViews } from '../../src/services/delivery/ports.ts';
import { dormantCampaign, shopSettings, winbackOffer } from '../../test/node/support/campaign-fixtures.ts';

export const campaigns: CampaignSet = {
  settings: shopSettings({
    brand: { name: 'Bench Shop', logoUrl: null, color: null },
    sender: { fromName: 'Bench Shop', fromEmail: 'hello@shop.example', replyTo: null },
    frequencyCap: { maxMessages: 2, perDays: 7 },
  }),
  campaigns: [
    dormantCampaign({
      trigger: { type: 'dormant', days: 90, maxDays: null, minOrders: 1, cadenceFactor: null },
      // The shipped win-back offer, so each send issues its coupon as a real one does.
      steps: [
        { index: 0, delayHours: 0, email: { template: 'bench.mjml', subject: 'Hi' }, offer: winbackOffer },
      ],
    }),
  ],
};

/** The fixed small renderer: a few KB of HTML with links, the coupon and the footer. */
export const renderer: MessageRenderer = {
  async render(_template, _subject, view) {
    const name = view.customer.first_name ?? 'there';
    const products = [1, 2, 3]
      .map(
        (i) => `<tr><td><a href="https://shop.example/p/${i}">Product ${i}</a></td><td>£${i}9.00</td></tr>`,
      )
      .join('\n');
    return {
      subject: `${name}, 15% off to welcome you back`,
      html: `<!doctype html><html><body style="font-family:sans-serif">
<h1>We miss you, ${name}</h1>
<p>Use <strong>${view.offer?.code ?? 'BACK-XXXX'}</strong> for 15% off your next order.</p>
<table>${products}</table>
<p><a href="https://shop.example/">Visit the shop</a></p>
<p style="font-size:12px">${view.shop.postal_address} · <a href="${view.links.unsubscribe}">Unsubscribe</a></p>
</body></html>`,
      text: `We miss you, ${name}\nUse ${view.offer?.code ?? 'BACK-XXXX'} for 15% off.\nhttps://shop.example/\nUnsubscribe: ${view.links.unsubscribe}\n`,
    };
  },
};

export const views: DeliveryViews = {
  async build({ message, campaign, step, settings, unsubscribeUrl }): Promise<EmailView> {
    return {
      customer: { id: message.customerId, first_name: 'Ada', last_name: null, email: message.email ?? '' },
      shop: {
        name: settings.brand.name,
        logo_url: null,
        color: null,
        postal_address: settings.postalAddress,
      },
      campaign: { id: campaign.id, name: campaign.name, step: step.index },
      offer: {
        code: `BACK-${message.id.slice(-8)}`,
        kind: 'percent_off',
        headline: '15% off',
        min_subtotal: null,
        expires_on: null,
      },
      cart: null,
      product: null,
      back_in_stock: null,
      arrivals: null,
      price_drop: null,
      replenishment: null,
      recommended: [],
      links: { unsubscribe: unsubscribeUrl, shop: 'https://shop.example/' },
    };
  },
};
