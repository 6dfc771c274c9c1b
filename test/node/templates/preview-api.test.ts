// GET /v1/campaigns/:id/preview on a real libSQL file: HTML, text and JSON,
// a customer's own view, scopes, and clear 4xx/503 answers.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMjmlRenderer } from '../../../src/adapters/templates/mjml-renderer.ts';
import { loadCampaigns } from '../../../src/config/campaign-loader.ts';
import type { CampaignSet } from '../../../src/core/campaigns/types.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import * as schema from '../../../src/db/schema/index.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const now = Date.parse('2026-11-01T12:00:00Z');
let set: CampaignSet;
let temp: TempStore;
let keys: Record<'reports' | 'admin' | 'ingest', string>;
const renderer = createMjmlRenderer({ emailsDir: 'emails' });

beforeAll(async () => {
  const loaded = await loadCampaigns({ dir: 'campaigns', emailsDir: 'emails' });
  if (!loaded.ok) throw new Error('campaigns');
  set = loaded.set;
});
beforeEach(async () => {
  temp = await openTempStore();
  const make = async (scope: 'reports' | 'admin' | 'ingest') =>
    (await createApiKey(temp.store, { name: scope, scopes: [scope], now })).secret;
  keys = { reports: await make('reports'), admin: await make('admin'), ingest: await make('ingest') };
});
afterEach(() => temp.cleanup());

function get(path: string, key: string | null = keys.reports, deps: { renderer?: boolean } = {}) {
  const app = createApp({
    store: temp.store,
    now: () => now,
    campaigns: () => set,
    renderer: deps.renderer === false ? undefined : renderer,
  });
  return app.request(path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
}

describe('GET /v1/campaigns/:id/preview', () => {
  it('answers the sample email as HTML by default, with the subject in a header', async () => {
    const response = await get('/v1/campaigns/winback/preview');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(decodeURIComponent(response.headers.get('x-email-subject') ?? '')).toBe(
      'Alex, 15% off to welcome you back',
    );
    const html = await response.text();
    expect(html).toContain('BACK-SAMPLE');
    expect(html).toContain('Valid until 15 November 2026');
  });

  it('answers text and JSON for a step, and an admin key may preview too', async () => {
    const text = await get('/v1/campaigns/abandoned-cart/preview?step=1&format=text', keys.admin);
    expect(text.status).toBe(200);
    expect(await text.text()).toMatch(/^Subject: 10% off the things in your cart\n\n/);
    const json = await get('/v1/campaigns/abandoned-cart/preview?step=2&format=json');
    expect(await json.json()).toMatchObject({
      campaign: 'abandoned-cart',
      step: 2,
      customer_id: null,
      template: 'cart-3.mjml',
      subject: 'Last call: free shipping on your cart',
      text: expect.stringContaining('Free shipping with code'),
    });
  });

  it("shows a customer's own name and product, escaped", async () => {
    await temp.store.db.insert(schema.customers).values({
      id: 'c1',
      email: 'x@example.com',
      firstName: '<script>alert(1)</script>',
      createdAt: now,
      updatedAt: now,
    });
    const response = await get('/v1/campaigns/back-in-stock/preview?customer_id=c1&format=json');
    const body = (await response.json()) as { customer_id: string; html: string };
    expect(body.customer_id).toBe('c1');
    expect(body.html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body.html).not.toContain('<script>');
  });

  it('needs the reports scope', async () => {
    expect((await get('/v1/campaigns/winback/preview', null)).status).toBe(401);
    expect((await get('/v1/campaigns/winback/preview', keys.ingest)).status).toBe(403);
  });

  it('names what is wrong: campaign, step, customer, format, missing renderer', async () => {
    const unknown = await get('/v1/campaigns/nope/preview');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      error: { code: 'not_found', message: "no campaign 'nope'" },
    });
    const step = await get('/v1/campaigns/winback/preview?step=3');
    expect(step.status).toBe(400);
    expect(await step.json()).toMatchObject({
      error: { details: [{ field: 'step', message: 'must be 0-0' }] },
    });
    expect((await get('/v1/campaigns/winback/preview?customer_id=ghost')).status).toBe(404);
    const format = await get('/v1/campaigns/winback/preview?format=pdf');
    expect(format.status).toBe(400);
    expect(await format.json()).toMatchObject({ error: { code: 'invalid_input' } });
    const off = await get('/v1/campaigns/winback/preview', keys.reports, { renderer: false });
    expect(off.status).toBe(503);
    expect(await off.json()).toMatchObject({ error: { code: 'preview_unavailable' } });
  });
});
