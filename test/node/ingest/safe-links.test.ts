// Unsafe links never reach an email (issue 9, finding 3): the API and file
// import refuse them naming the field (and the line), and a row written by an
// older version with raw SQL is rendered, tracked and sent through the real
// delivery wiring (MJML templates, view builder, link tracker) without one.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTransport } from '../../../src/adapters/mailer/memory.ts';
import { loadCampaigns } from '../../../src/config/campaign-loader.ts';
import { parseNodeEnv } from '../../../src/config/env.ts';
import type { CampaignSet } from '../../../src/core/campaigns/types.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import * as schema from '../../../src/db/schema/index.ts';
import { createNodeDelivery } from '../../../src/entry/node-delivery.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { drainOutbox } from '../../../src/services/delivery/drain-outbox.ts';
import { importFile } from '../support/import-file.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';

const now = Date.parse('2026-11-01T12:00:00Z');
const tricks = [
  'javascript:alert(document.cookie)',
  'JAVASCRIPT:alert(1)',
  'java\tscript:alert(1)',
  '  javascript:alert(1)',
  '\u0000javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  '//evil.example/cart',
  'https:\\\\evil.example',
];

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

describe('input refuses unsafe links', () => {
  const cart = {
    id: 'k1',
    email: 'bo@example.com',
    currency: 'GBP',
    last_activity_at: '2026-10-31T22:00:00Z',
    items: [{ product_id: 'p1', quantity: 1, unit_price: '5.50' }],
  };
  const product = { id: 'p1', title: 'Mug', currency: 'GBP', price: '5.50', stock: 3 };
  const cases = tricks.flatMap((trick) => [
    ['carts', 'recovery_url', trick, { ...cart, recovery_url: trick }] as const,
    ['products', 'url', trick, { ...product, url: trick }] as const,
    ['products', 'image_url', trick, { ...product, image_url: trick }] as const,
  ]);

  it.each(cases)(
    'POST /v1/%s with %s %j answers 400 naming the field, storing nothing',
    async (route, field, _trick, body) => {
      const app = createApp({ store: temp.store, now: () => now });
      const key = (await createApiKey(temp.store, { name: 'p', scopes: ['ingest'], now })).secret;
      const before = await snapshot(temp.store);
      const response = await app.request(`/v1/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
      const json = (await response.json()) as { error: { details: { field: string; message: string }[] } };
      expect(json.error.details).toEqual([
        { field, message: expect.stringMatching(/^expected an absolute http\(s\) URL/) },
      ]);
      expect(await snapshot(temp.store)).toEqual(before);
    },
  );

  it('file import rejects the row with its line and the field', async () => {
    const file = join(temp.dir, 'carts.csv');
    await writeFile(
      file,
      [
        'id,email,currency,recovery_url,last_activity_at,product_id,quantity,unit_price',
        'k1,a@example.com,GBP,https://shop.example/cart/k1,2026-10-01T10:00:00Z,p1,1,5.00',
        'k2,b@example.com,GBP,javascript:alert(document.cookie),2026-10-01T10:00:00Z,p1,1,5.00',
        'k3,c@example.com,GBP,"java\tscript:alert(1)",2026-10-01T10:00:00Z,p1,1,5.00',
        'k4,d@example.com,GBP,"data:text/html,<script>alert(1)</script>",2026-10-01T10:00:00Z,p1,1,5.00',
      ].join('\n'),
    );
    const summary = await importFile(temp.store, 'carts', file, {}, now);
    expect(summary).toMatchObject({ rows: 4, rejected: 3, stored: { carts: 1 } });
    expect(summary.rejections.map((r) => [r.line, r.reason.split(':')[0]])).toEqual([
      [3, 'recovery_url'],
      [4, 'recovery_url'],
      [5, 'recovery_url'],
    ]);
    const stored = await temp.store.db.select({ url: schema.carts.recoveryUrl }).from(schema.carts);
    expect(stored).toEqual([{ url: 'https://shop.example/cart/k1' }]);
  });
});

describe('a stored unsafe link (from an older version) never reaches the email', () => {
  let set: CampaignSet;
  beforeAll(async () => {
    const loaded = await loadCampaigns({ dir: 'campaigns', emailsDir: 'emails' });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    set = loaded.set;
  });

  it('renders the abandoned-cart email with no unsafe link in HTML, text or the stored click targets', async () => {
    const { db } = temp.store;
    const activity = now - 2 * 3_600_000;
    await db.insert(schema.customers).values({
      id: 'c1',
      email: 'ada@example.com',
      firstName: 'Ada',
      marketingConsent: true,
      createdAt: now - 86_400_000,
      updatedAt: now - 86_400_000,
    });
    await db.insert(schema.products).values(
      ['p1', 'p2', 'p3', 'p4'].map((id) => ({
        id,
        title: `Product ${id}`,
        currency: 'GBP',
        priceMinor: 1000,
        inStock: true,
        stockQuantity: 5,
        updatedAt: now,
      })),
    );
    await db.insert(schema.carts).values({
      id: 'k1',
      customerId: 'c1',
      email: 'ada@example.com',
      status: 'open',
      currency: 'GBP',
      valueMinor: 2000,
      lastActivityAt: activity,
      createdAt: activity,
      updatedAt: activity,
    });
    await db.insert(schema.cartItems).values([
      { cartId: 'k1', lineNo: 0, productId: 'p1', quantity: 1, unitPriceMinor: 1000 },
      { cartId: 'k1', lineNo: 1, productId: 'p2', quantity: 1, unitPriceMinor: 1000 },
    ]);
    // What an older version, without today's schema, may have stored.
    await db.run(sql`update carts set recovery_url = ${tricks[0]} where id = 'k1'`);
    await db.run(sql`update products set url = ${tricks[2]}, image_url = ${tricks[5]} where id = 'p1'`);
    await db.run(sql`update products set url = ${tricks[6]}, image_url = ${tricks[7]} where id = 'p2'`);
    await db.run(sql`update products set url = ${tricks[3]}, image_url = ${tricks[1]} where id = 'p3'`);
    await db.run(sql`update products set url = ${tricks[8]}, image_url = ${tricks[4]} where id = 'p4'`);
    await db.insert(schema.messages).values({
      id: 'm1',
      dedupeKey: `abandoned-cart:0:c1:k1@${activity}`,
      campaignId: 'abandoned-cart',
      step: 0,
      customerId: 'c1',
      email: 'ada@example.com',
      triggerKind: 'abandoned_cart',
      triggerRef: `cartk1@${activity}`,
      status: 'scheduled',
      dueAt: now,
      createdAt: now,
      updatedAt: now,
    });

    const transport = createMemoryTransport();
    const config = parseNodeEnv({
      SIGNING_SECRET: 'safe-links-test-secret-0123456789',
      PUBLIC_BASE_URL: 'https://mail.shop.example',
      EMAILS_DIR: 'emails',
    });
    const delivery = await createNodeDelivery({
      config,
      store: temp.store,
      campaigns: set,
      now: () => now,
      transport,
    });
    const counts = await drainOutbox(delivery.options);
    expect(counts).toMatchObject({ sent: 1 });
    const mail = await simpleParser(transport.sent[0]!.raw);
    const html = String(mail.html);
    const text = mail.text ?? '';
    for (const body of [html, text]) {
      expect(body).not.toMatch(/javascript|vbscript|data:|evil\.example|\\\\/i);
    }
    // Every link left is tracked, the unsubscribe link, or a fragment.
    const hrefs = [...html.matchAll(/<a\s[^>]*?href="([^"]*)"/gi)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) {
      expect(href).toMatch(/^(https:\/\/mail\.shop\.example\/(t\/c|u)\/|#)/);
    }
    const srcs = [...html.matchAll(/\ssrc="([^"]*)"/gi)].map((m) => m[1]!);
    for (const src of srcs) expect(src).toMatch(/^https:\/\//);
    const [row] = await db.all<{ links: string }>(sql`select links from messages where id = 'm1'`);
    for (const link of JSON.parse(row!.links) as string[]) expect(link).toMatch(/^https:\/\//);
  });
});
