// Events to the shop on the Worker: on D1 in workerd, the four facts written
// through their verbs (a send by the Worker's own delivery) become events,
// and the cron's pass (runWorkerWebhooks) POSTs them, signed with Web Crypto,
// through a fetch stub standing in for the shop; a 500 is retried with the
// same id, and the outcomes land in D1. Runs on its own database (EVENTS_DB):
// the subscriptions are one table, which cron runs in other files reset.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPrecompiledRenderer } from '../../src/adapters/templates/precompiled-renderer.ts';
import { outgoingEventTypes } from '../../src/core/webhooks/events.ts';
import { openD1Store } from '../../src/db/d1.ts';
import { writeMessages } from '../../src/db/repositories/messages.ts';
import { customers } from '../../src/db/schema/index.ts';
import { createWorkerDelivery } from '../../src/entry/worker-delivery.ts';
import { runWorkerWebhooks } from '../../src/entry/worker-webhooks.ts';
import { emailTemplates } from '../../src/generated/email-templates.ts';
import { drainOutbox } from '../../src/services/delivery/drain-outbox.ts';
import { shopSettings } from '../node/support/campaign-fixtures.ts';
import { complaintAt, couponCampaign, orderWithCode, unsubscribeAt } from '../node/support/event-facts.ts';

const t0 = Date.parse('2001-06-01T10:00:00Z');
const secret = 'worker-events-secret-0123456789';
const endpoint = 'https://shop.example/rekindle-events';
const settings = shopSettings({
  webhooks: [{ url: endpoint, events: [...outgoingEventTypes], secretEnv: 'EVENTS_SIGNING_SECRET' }],
});
const config = { webhookSecrets: { EVENTS_SIGNING_SECRET: secret } };

beforeAll(async () => {
  await applyD1Migrations(env.EVENTS_DB, env.TEST_MIGRATIONS);
});

interface Posted {
  url: string;
  headers: Headers;
  body: string;
}

function shopStub(answers: number[]) {
  const posted: Posted[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    posted.push({ url, headers: new Headers(init.headers), body: String(init.body) });
    return new Response('ok', { status: answers[posted.length - 1] ?? 200 });
  };
  return { posted, fetch };
}

/** The shop's check, done here with Web Crypto directly, apart from the signer under test. */
async function signed(post: Posted): Promise<boolean> {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(post.headers.get('rekindle-signature') ?? '');
  if (!match || match[1] !== post.headers.get('rekindle-timestamp')) return false;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${match[1]}.${post.body}`)),
  );
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join('') === match[2];
}

describe('events to the shop in workerd', () => {
  it('writes the four events on D1 and delivers them signed, retrying a 500 with the same id', async () => {
    const store = openD1Store(env.EVENTS_DB);
    const queries = { left: () => 1000 };
    // The first cron run takes the endpoint up; nothing is owed yet.
    const none = shopStub([]);
    const first = await runWorkerWebhooks({
      config,
      store,
      settings,
      now: () => t0,
      queries,
      fetch: none.fetch,
    });
    expect(first).toMatchObject({ claimed: 0 });

    await store.db.insert(customers).values({
      id: 'c1',
      email: 'c1@example.com',
      marketingConsent: true,
      createdAt: t0,
      updatedAt: t0,
    });
    const row = {
      id: 'm1',
      dedupeKey: 'winback:0:c1:lp1',
      campaignId: 'winback',
      step: 0,
      customerId: 'c1',
      email: 'c1@example.com',
      triggerKind: 'dormant',
      triggerRef: 'lp1',
      status: 'scheduled' as const,
      // As a sweep plans it: the offer noted, the coupon issued by the send below.
      offerCurrency: 'GBP',
      dueAt: t0 + 1000,
      createdAt: t0,
      updatedAt: t0,
    };
    await writeMessages(store, [row]);
    const delivery = createWorkerDelivery({
      config: {
        MAIL_HTTP_URL: 'https://provider.test/v1/send',
        MAIL_HTTP_TOKEN: 'tok',
        MAIL_HTTP_FORMAT: 'mime',
        SIGNING_SECRET: 'worker-delivery-secret-0123',
        PUBLIC_BASE_URL: 'https://mail.shop.example',
        UNSUBSCRIBE_MAILTO: undefined,
      },
      store,
      campaigns: { settings, campaigns: [couponCampaign] },
      renderer: createPrecompiledRenderer(emailTemplates),
      now: () => t0 + 1000,
      queries,
      fetch: async () => Response.json({ id: 'provider-1' }, { status: 202 }),
    });
    expect(await drainOutbox({ ...delivery!, limit: 5 })).toMatchObject({ sent: 1 });
    const [sent] = await store.db.all<{ code: string | null }>(
      sql`SELECT coupon_code AS code FROM messages WHERE id = 'm1'`,
    );
    expect(sent?.code).toMatch(/^BACK-/);
    await orderWithCode(store, 'o1', sent!.code!, t0 + 60_000);
    await unsubscribeAt(store, 'm1', t0 + 120_000);
    await unsubscribeAt(store, 'm1', t0 + 150_000);
    await complaintAt(store, 'm1', t0 + 180_000);

    const shop = shopStub([500]);
    const now = t0 + 600_000;
    const pass = await runWorkerWebhooks({
      config,
      store,
      settings,
      now: () => now,
      queries,
      fetch: shop.fetch,
    });
    expect(pass).toMatchObject({ claimed: 4, delivered: 3, retrying: 1 });
    const later = await runWorkerWebhooks({
      config,
      store,
      settings,
      now: () => now + 60_000,
      queries,
      fetch: shop.fetch,
    });
    expect(later).toMatchObject({ claimed: 1, delivered: 1 });

    expect(shop.posted).toHaveLength(5);
    for (const post of shop.posted) {
      expect(post.url).toBe(endpoint);
      expect(await signed(post)).toBe(true);
      expect(post.headers.get('rekindle-event-id')).toBe(JSON.parse(post.body).id);
    }
    const bodies = shop.posted.map(
      (p) => JSON.parse(p.body) as { id: string; type: string; data: { message_id: string } },
    );
    expect(bodies.map((b) => b.type).sort()).toEqual([...outgoingEventTypes, bodies[0]!.type].sort());
    // The retried one went out again byte for byte.
    expect(shop.posted[4]!.body).toBe(shop.posted[0]!.body);
    for (const body of bodies) expect(body.data.message_id).toBe('m1');

    const rows = await store.db.all<{ type: string; attempts: number; delivered_at: number | null }>(
      sql`SELECT type, attempts, delivered_at FROM outgoing_events ORDER BY type`,
    );
    expect(rows.map((r) => [r.type, r.delivered_at !== null])).toEqual(
      [...outgoingEventTypes].sort().map((type) => [type, true]),
    );
    expect(rows.map((r) => r.attempts).sort()).toEqual([1, 1, 1, 2]);
  });
});
