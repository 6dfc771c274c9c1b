// The tracking, webhook and privacy writes on D1 in workerd: each is one
// atomic batch there, and drizzle's D1 batch binds parameters only for
// builder queries, which these tests would catch.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { hashEmail } from '../../src/core/email-hash.ts';
import { ingestSchemas } from '../../src/core/ingest/records.ts';
import { lazyTokenSigner } from '../../src/core/tracking/lazy-signer.ts';
import { trackingPaths } from '../../src/core/tracking/tokens.ts';
import { messages } from '../../src/db/schema/index.ts';
import { createApp } from '../../src/http/create-app.ts';
import { ingestRecords } from '../../src/services/ingest/ingest-records.ts';
import { createKey, testStore, uniquePrefix } from './support/worker-client.ts';

const now = Date.parse('2026-11-01T12:00:00Z');
const signer = lazyTokenSigner('worker-test-secret-0123456789');

async function setUp() {
  const p = uniquePrefix();
  const store = testStore();
  const app = createApp({ store, now: () => now, tracking: { signer, baseUrl: 'https://rekindle.test' } });
  const email = `${p}@example.com`;
  await ingestRecords(
    { store },
    {
      kind: 'customers',
      records: [
        ingestSchemas.customers.parse({ id: `${p}-c`, email, first_name: 'Ada', marketing_consent: true }),
      ],
      now,
    },
  );
  const row = (id: string, status: 'sent' | 'scheduled') => ({
    id: `${p}-${id}`,
    dedupeKey: `${p}:${id}`,
    campaignId: 'winback',
    customerId: `${p}-c`,
    email,
    triggerKind: 'dormant',
    triggerRef: id,
    status,
    dueAt: now,
    links: JSON.stringify(['https://shop.example/a']),
    providerMessageId: `${p}-provider-${id}`,
    sentAt: status === 'sent' ? now - 3_600_000 : null,
    createdAt: now,
    updatedAt: now,
  });
  await store.db.insert(messages).values([row('sent', 'sent'), row('next', 'scheduled')]);
  return { p, app, email };
}

const one = async <T>(query: string, ...params: unknown[]) =>
  env.DB.prepare(query)
    .bind(...params)
    .first<T>();

describe('tracking on D1', () => {
  it('unsubscribes in one batch, once', async () => {
    const { p, app, email } = await setUp();
    const path = trackingPaths.unsubscribe(
      await signer.sign({ purpose: 'unsubscribe', messageId: `${p}-sent` }),
    );
    for (let i = 0; i < 2; i++) expect((await app.request(path, { method: 'POST' })).status).toBe(200);
    expect(await one(`select count(*) as n from tracking_events where message_id = ?`, `${p}-sent`)).toEqual({
      n: 1,
    });
    expect(await one(`select status, cancel_reason from messages where id = ?`, `${p}-next`)).toEqual({
      status: 'cancelled',
      cancel_reason: 'unsubscribed',
    });
    expect(
      await one(`select suppression_reason, marketing_consent from customers where id = ?`, `${p}-c`),
    ).toEqual({
      suppression_reason: 'unsubscribed',
      marketing_consent: 0,
    });
    expect(await one(`select reason from suppressions where email_hash = ?`, await hashEmail(email))).toEqual(
      {
        reason: 'unsubscribed',
      },
    );
  });

  it('redirects clicks and records opens', async () => {
    const { p, app } = await setUp();
    const click = trackingPaths.click(
      await signer.sign({ purpose: 'click', messageId: `${p}-sent`, linkIndex: 0 }),
    );
    const res = await app.request(click);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://shop.example/a');
    // The Worker writes each click before answering, with the per-link cap.
    for (let i = 0; i < 21; i++) expect((await app.request(click)).status).toBe(302);
    expect(
      await one(
        `select count(*) as n from tracking_events where message_id = ? and kind = 'click' and link_index = 0`,
        `${p}-sent`,
      ),
    ).toEqual({ n: 20 });
    const open = trackingPaths.open(await signer.sign({ purpose: 'open', messageId: `${p}-sent` }));
    expect((await app.request(open, { headers: { 'cf-connecting-ip': '17.1.2.3' } })).status).toBe(200);
    expect(
      await one(
        `select ip, is_proxy from tracking_events where message_id = ? and kind = 'open'`,
        `${p}-sent`,
      ),
    ).toEqual({ ip: '17.1.2.3', is_proxy: 1 });
  });

  it('stores webhook events and suppresses on a hard bounce', async () => {
    const { p, app } = await setUp();
    const key = await createKey(['ingest']);
    const res = await app.request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify([
        { type: 'delivered', message_id: `${p}-provider-sent` },
        { type: 'bounce', bounce_type: 'hard', message_id: `${p}-provider-sent` },
        { type: 'delivered', message_id: `${p}-unknown` },
      ]),
    });
    expect(await res.json()).toMatchObject({ recorded: 2, suppressed: 1, unknown: [{ row: 2 }] });
    expect(await one(`select suppression_reason from customers where id = ?`, `${p}-c`)).toEqual({
      suppression_reason: 'bounced',
    });
  });

  it('stores browse events once each, and erases them with the customer', async () => {
    const { p, app, email } = await setUp();
    const ingest = await createKey(['ingest']);
    const post = (body: unknown) =>
      app.request('/v1/events/browse', {
        method: 'POST',
        headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const events = [
      { type: 'product_viewed', customer_id: `${p}-c`, product_id: 'p-1', at: '2026-11-01T10:00:00Z' },
      { type: 'search', email, query: 'Red  Boots', at: '2026-11-01T11:00:00Z' },
      { type: 'category_viewed', email: `${p}-nobody@example.com`, category: 'Hats' },
    ];
    expect(await (await post(events)).json()).toEqual({
      received: 3,
      stored: 2,
      duplicates: 0,
      past_retention: 0,
      unknown: [{ row: 2 }],
    });
    expect(await (await post(events)).json()).toMatchObject({ stored: 0, duplicates: 2 });
    const stored = await env.DB.prepare(
      'select kind, ref from browse_events where customer_id = ? order by at',
    )
      .bind(`${p}-c`)
      .all();
    expect(stored.results).toEqual([
      { kind: 'product', ref: 'p-1' },
      { kind: 'search', ref: 'red boots' },
    ]);
    const privacy = await createKey(['privacy']);
    const erased = await app.request(`/v1/customers/${p}-c`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${privacy}` },
    });
    expect(erased.status).toBe(200);
    expect(await one('select count(*) as n from browse_events where customer_id = ?', `${p}-c`)).toEqual({
      n: 0,
    });
  });

  it('erases a customer in one batch', async () => {
    const { p, app, email } = await setUp();
    const key = await createKey(['privacy']);
    const headers = { authorization: `Bearer ${key}` };
    expect((await app.request(`/v1/customers/${p}-c/export`, { headers })).status).toBe(200);
    expect((await app.request(`/v1/customers/${p}-c`, { method: 'DELETE', headers })).status).toBe(200);
    expect(await one(`select email, first_name, erased_at from customers where id = ?`, `${p}-c`)).toEqual({
      email: null,
      first_name: null,
      erased_at: now,
    });
    expect(await one(`select count(*) as n from messages where email = ?`, email)).toEqual({ n: 0 });
    expect(await one(`select reason from suppressions where email_hash = ?`, await hashEmail(email))).toEqual(
      {
        reason: 'erased',
      },
    );
  });
});
