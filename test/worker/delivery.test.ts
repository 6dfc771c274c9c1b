// Delivery inside workerd on D1: the outbox drain with the precompiled
// templates and the HTTP transport, posting MIME composed without node:* to a
// stand-in provider endpoint, and the result recorded in D1.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createPrecompiledRenderer } from '../../src/adapters/templates/precompiled-renderer.ts';
import { customers, messages } from '../../src/db/schema/index.ts';
import { createWorkerDelivery } from '../../src/entry/worker-delivery.ts';
import { emailTemplates } from '../../src/generated/email-templates.ts';
import { drainOutbox } from '../../src/services/delivery/drain-outbox.ts';
import { dormantCampaign, shopSettings } from '../node/support/campaign-fixtures.ts';
import { testStore, uniquePrefix } from './support/worker-client.ts';

// Long before anything other test files schedule, so this drain claims only its own rows.
const now = Date.parse('2001-02-03T04:05:06Z');

describe('delivery in workerd', () => {
  it('renders, composes and posts MIME to the provider endpoint, then records it in D1', async () => {
    const store = testStore();
    const prefix = uniquePrefix();
    await store.db.insert(customers).values({
      id: `${prefix}c1`,
      email: `${prefix}c1@example.com`,
      firstName: '<b>Ada</b>',
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
      dueAt: now - 1000,
      createdAt: now - 1000,
      updatedAt: now - 1000,
    });
    const posted: { url: string; headers: Headers; body: string }[] = [];
    const options = createWorkerDelivery({
      config: {
        MAIL_HTTP_URL: 'https://provider.test/v1/send',
        MAIL_HTTP_TOKEN: 'tok',
        MAIL_HTTP_FORMAT: 'mime',
        SIGNING_SECRET: 'worker-delivery-secret-0123',
        PUBLIC_BASE_URL: 'https://mail.shop.example',
        UNSUBSCRIBE_MAILTO: undefined,
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
                email: { template: 'winback.mjml', subject: 'Hi {{ customer.first_name }}' },
                offer: null,
              },
            ],
          }),
        ],
      },
      renderer: createPrecompiledRenderer(emailTemplates),
      now: () => now,
      queries: { left: () => 1000 },
      fetch: async (url, init) => {
        posted.push({ url: String(url), headers: new Headers(init?.headers), body: String(init?.body) });
        return Response.json({ id: 'provider-42' }, { status: 202 });
      },
    });
    expect(options).toBeDefined();
    const counts = await drainOutbox({ ...options!, limit: 10 });
    expect(counts).toMatchObject({ claimed: 1, sent: 1, failed: 0, cancelled: 0 });

    expect(posted).toHaveLength(1);
    const [request] = posted;
    expect(request!.url).toBe('https://provider.test/v1/send');
    expect(request!.headers.get('content-type')).toBe('message/rfc822');
    expect(request!.headers.get('authorization')).toBe('Bearer tok');
    const raw = request!.body;
    expect(raw).toMatch(/^From: "Test Shop" <hello@shop\.example>\r\n/);
    expect(raw).toContain(`To: <${prefix}c1@example.com>\r\n`);
    // A subject is plain text: the name arrives as typed, never as markup in the HTML part.
    expect(raw).toContain('Subject: Hi <b>Ada</b>\r\n');
    expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
    expect(raw).toMatch(
      /List-Unsubscribe: <https:\/\/mail\.shop\.example\/u\/[^>]+>,(\r\n)? <mailto:hello@shop\.example\?subject=unsubscribe>/,
    );
    expect(raw).toMatch(/Message-ID: <rk\.[0-9a-f]{32}@shop\.example>/);
    expect(raw).toContain('Content-Type: multipart/alternative;');
    expect(raw).toContain('Content-Type: text/plain; charset=utf-8');
    expect(raw).toContain('Content-Type: text/html; charset=utf-8');
    expect(raw).not.toMatch(/[^\x20-\x7E\r\n\t]/);

    const [row] = await store.db
      .select()
      .from(messages)
      .where(eq(messages.id, `${prefix}m1`));
    expect(row).toMatchObject({ status: 'sent', providerMessageId: 'provider-42', sentAt: now, attempts: 1 });
    // Stored before the send (empty here: no shop link or products in this D1 to link to).
    expect(Array.isArray(JSON.parse(row!.links!))).toBe(true);
  });
});
