// Outbox rows, customers and TEST FAKES for delivery tests: a fake view
// builder and a fake renderer that stand in for the template adapter, so a
// test says exactly what an email contains. The link tracker is the real one
// (src/core/tracking/track-links.ts).

import type { CampaignSet } from '../../../src/core/campaigns/types.ts';
import type { MailTransport } from '../../../src/core/delivery/transport.ts';
import { unsubscribeUrls } from '../../../src/core/delivery/unsubscribe-link.ts';
import type { EmailView, MessageRenderer } from '../../../src/core/rendering/contract.ts';
import { createTokenSigner } from '../../../src/core/tracking/tokens.ts';
import { trackLinks } from '../../../src/core/tracking/track-links.ts';
import { customers, messages } from '../../../src/db/schema/index.ts';
import type { Store } from '../../../src/db/store.ts';
import type { DrainOptions } from '../../../src/services/delivery/drain-outbox.ts';
import type { DeliveryViews } from '../../../src/services/delivery/ports.ts';
import { dormantCampaign, shopSettings } from './campaign-fixtures.ts';

export const t0 = Date.parse('2026-11-23T12:00:00Z');
export const baseUrl = 'https://mail.shop.example';
export const secret = 'delivery-test-secret-0123456789';

export function campaignSet(overrides: Partial<CampaignSet> = {}): CampaignSet {
  return { settings: shopSettings(), campaigns: [dormantCampaign()], ...overrides };
}

export async function seedCustomers(
  store: Store,
  count: number,
  fields: Partial<typeof customers.$inferInsert> = {},
): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: `c${i + 1}`,
    email: `c${i + 1}@example.com`,
    firstName: `Name${i + 1}`,
    marketingConsent: true,
    createdAt: t0 - 1000,
    updatedAt: t0 - 1000,
    ...fields,
  }));
  await store.db.insert(customers).values(rows);
  return rows.map((r) => r.id);
}

/** One scheduled winback message per customer id, due at t0. */
export async function seedMessages(
  store: Store,
  customerIds: readonly string[],
  fields: Partial<typeof messages.$inferInsert> = {},
): Promise<string[]> {
  const rows = customerIds.map((customerId, i) => ({
    id: `m${String(i + 1).padStart(5, '0')}`,
    dedupeKey: `winback:0:${customerId}:lp${t0 - 200 * 86_400_000}`,
    campaignId: 'winback',
    step: 0,
    customerId,
    email: `${customerId}@example.com`,
    triggerKind: 'dormant',
    triggerRef: `lp${t0 - 200 * 86_400_000}`,
    status: 'scheduled' as const,
    dueAt: t0,
    createdAt: t0 - 1000,
    updatedAt: t0 - 1000,
    ...fields,
  }));
  for (let i = 0; i < rows.length; i += 500) await store.db.insert(messages).values(rows.slice(i, i + 500));
  return rows.map((r) => r.id);
}

/** TEST FAKE view builder: the customer's first name and address from the message, nothing else. */
export const fakeViews: DeliveryViews = {
  async build({ message, campaign, step, settings, unsubscribeUrl }) {
    const view: EmailView = {
      customer: { id: message.customerId, first_name: 'Ada', last_name: null, email: message.email ?? '' },
      shop: {
        name: settings.brand.name,
        logo_url: null,
        color: null,
        postal_address: settings.postalAddress,
      },
      campaign: { id: campaign.id, name: campaign.name, step: step.index },
      offer: message.couponCode
        ? {
            code: message.couponCode,
            kind: 'percent_off',
            headline: '15% off',
            min_subtotal: null,
            expires_on: null,
          }
        : null,
      cart: null,
      product: null,
      back_in_stock: null,
      price_drop: null,
      arrivals: null,
      replenishment: null,
      recommended: [],
      links: { unsubscribe: unsubscribeUrl, shop: 'https://shop.example/' },
    };
    return view;
  },
};

/** TEST FAKE renderer: a fixed little email with a shop link, the coupon and the unsubscribe link. */
export const fakeRenderer: MessageRenderer = {
  async render(_template, _subject, view) {
    const coupon = view.offer ? ` Use ${view.offer.code}.` : '';
    return {
      subject: `${view.customer.first_name}, we miss you`,
      html: `<html><body><p>Hello ${view.customer.first_name}!${coupon}</p><a href="${view.links.shop}">Shop now</a> <a href="${view.links.unsubscribe}">Unsubscribe</a><p>${view.shop.postal_address}</p></body></html>`,
      text: `Hello ${view.customer.first_name}!${coupon}\nShop now: ${view.links.shop}\nUnsubscribe: ${view.links.unsubscribe}\n`,
    };
  },
};

export async function deliveryOptions(
  store: Store,
  transport: MailTransport,
  overrides: Partial<DrainOptions> = {},
): Promise<DrainOptions> {
  const signer = await createTokenSigner(secret);
  return {
    store,
    campaigns: campaignSet(),
    transport,
    renderer: fakeRenderer,
    views: fakeViews,
    trackLinks: (input) => trackLinks({ ...input, signer, baseUrl }),
    unsubscribeUrl: unsubscribeUrls(signer, baseUrl),
    now: () => t0,
    random: () => 0.5,
    settings: { batchSize: 10, concurrency: 3, leaseMs: 60_000 },
    ...overrides,
  };
}

export async function statuses(store: Store): Promise<Record<string, string>> {
  const rows = await store.db.select({ id: messages.id, status: messages.status }).from(messages);
  return Object.fromEntries(rows.map((r) => [r.id, r.status]));
}
