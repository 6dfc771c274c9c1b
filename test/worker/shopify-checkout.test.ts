// Coupons at the Shopify checkout inside workerd, on D1: the Worker's
// delivery wiring makes the message's code in Shopify (the discount created,
// the state recorded in D1) before the mail is posted to the provider, all
// over the Worker's fetch port. workerd's tests cannot reach a loopback
// server, so that fetch is a stub which hands Shopify's calls to the same
// stand-in the node tests serve over HTTP (test/node/platforms/stand-ins/
// shopify-admin.ts, a plain fetch handler) and records the provider's post.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createPrecompiledRenderer } from '../../src/adapters/templates/precompiled-renderer.ts';
import { coupons, customers, messages } from '../../src/db/schema/index.ts';
import { createWorkerDelivery } from '../../src/entry/worker-delivery.ts';
import { emailTemplates } from '../../src/generated/email-templates.ts';
import { drainOutbox } from '../../src/services/delivery/drain-outbox.ts';
import { createShopifyStandIn } from '../node/platforms/stand-ins/shopify-admin.ts';
import { dormantCampaign, shopSettings, winbackOffer } from '../node/support/campaign-fixtures.ts';
import { testStore, uniquePrefix } from './support/worker-client.ts';

// Before any other test file's due messages, so this drain claims only its own row.
const now = Date.parse('2000-06-01T10:00:00Z');

describe('coupons at the Shopify checkout in workerd', () => {
  it('makes the code in Shopify, records it in D1, then posts the mail that carries it', async () => {
    const store = testStore();
    const prefix = uniquePrefix();
    const code = `BACK-${prefix
      .slice(1, 5)
      .toUpperCase()
      .replace(/[^A-Z2-9]/g, 'X')}-M2XF-H4TP`;
    await store.db.insert(customers).values({
      id: `${prefix}c1`,
      email: `${prefix}c1@example.com`,
      firstName: 'Ada',
      marketingConsent: true,
      createdAt: now,
      updatedAt: now,
    });
    await store.db.insert(messages).values({
      id: `${prefix}m1`,
      dedupeKey: `winback:0:${prefix}c1:lp1`,
      campaignId: 'winback',
      customerId: `${prefix}c1`,
      email: `${prefix}c1@example.com`,
      triggerKind: 'dormant',
      triggerRef: 'lp1',
      status: 'scheduled',
      couponCode: code,
      dueAt: now - 1000,
      createdAt: now - 1000,
      updatedAt: now - 1000,
    });
    await store.db.insert(coupons).values({
      code,
      campaignId: 'winback',
      messageId: `${prefix}m1`,
      customerId: `${prefix}c1`,
      kind: 'percent_off',
      value: 15,
      currency: 'GBP',
      minSubtotalMinor: 4000,
      expiresAt: now + 14 * 86_400_000,
      createdAt: now - 1000,
    });

    const shopify = createShopifyStandIn();
    const posted: string[] = [];
    const options = createWorkerDelivery({
      config: {
        MAIL_HTTP_URL: 'https://provider.test/v1/send',
        MAIL_HTTP_TOKEN: 'tok',
        MAIL_HTTP_FORMAT: 'mime',
        SIGNING_SECRET: 'worker-delivery-secret-0123',
        PUBLIC_BASE_URL: 'https://mail.shop.example',
        UNSUBSCRIBE_MAILTO: undefined,
        SHOPIFY_SHOP_DOMAIN: 'rekindle-test.myshopify.com',
        SHOPIFY_ADMIN_TOKEN: 'shpat_standin',
        SHOPIFY_API_VERSION: '2025-10',
      },
      store,
      campaigns: {
        settings: shopSettings(),
        campaigns: [
          dormantCampaign({
            steps: [
              {
                index: 0,
                delayHours: 0,
                email: { template: 'winback.mjml', subject: 'Hi' },
                offer: winbackOffer,
              },
            ],
          }),
        ],
      },
      renderer: createPrecompiledRenderer(emailTemplates),
      now: () => now,
      queries: { left: () => 1000 },
      fetch: async (url, init) => {
        if (new URL(String(url)).host === 'rekindle-test.myshopify.com') {
          return shopify.handle(new Request(String(url), init));
        }
        posted.push(String(init?.body));
        return Response.json({ id: 'provider-7' }, { status: 202 });
      },
    });
    const counts = await drainOutbox({ ...options!, limit: 10 });
    expect(counts).toMatchObject({ claimed: 1, sent: 1, failed: 0, awaitingCodes: 0 });

    // The code was made before the mail went: one discount, created with it, for this customer only.
    expect(shopify.answered('discountCodeBasicCreate')).toHaveLength(1);
    const [discount] = [...shopify.discounts.values()];
    expect(discount!.codes).toEqual([code]);
    expect(discount!.input).toMatchObject({ usageLimit: 1, customerGets: { value: { percentage: 0.15 } } });
    // Not a Shopify customer id: the code is for anyone (single use), Rekindle's rule still binds it.
    expect(discount!.customers).toBeNull();
    expect(posted).toHaveLength(1);
    expect(posted[0]).toContain(code);
    const states = await store.db.all<{ state: string }>(
      sql`select state from checkout_codes where code = ${code} and platform = 'shopify'`,
    );
    expect(states).toEqual([{ state: 'created' }]);
    const [row] = await store.db
      .select()
      .from(messages)
      .where(eq(messages.id, `${prefix}m1`));
    expect(row).toMatchObject({ status: 'sent', providerMessageId: 'provider-7' });
  });
});
