// Every /v1 route that takes a body wants it declared as JSON (issue 9,
// finding 7): a form, text/plain or undeclared body is a 415 before anything
// is read or stored. GET routes, the dashboard login form and the RFC 8058
// one-click unsubscribe (form-encoded by the standard) are unaffected.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCampaigns } from '../../../src/config/campaign-loader.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { isJsonContentType } from '../../../src/http/json-body.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';
import { paths, seedCustomer, seedMessage, trackingApp } from '../support/tracking-fixtures.ts';

const now = Date.parse('2026-11-01T12:00:00Z');
let temp: TempStore;
let app: ReturnType<typeof createApp>;
let key: string;

beforeEach(async () => {
  temp = await openTempStore();
  const loaded = await loadCampaigns({ dir: 'campaigns', emailsDir: 'emails' });
  if (!loaded.ok) throw new Error('the shipped campaigns must be valid');
  app = createApp({ store: temp.store, now: () => now, campaigns: loaded.set });
  key = (await createApiKey(temp.store, { name: 'all', scopes: ['admin'], now })).secret;
});
afterEach(() => temp.cleanup());

// Each handler of a route (scope check, handler) is listed; one entry per route.
const bodyRoutes = () => [
  ...new Set(
    app.routes
      .filter((r) => r.path.startsWith('/v1/') && ['POST', 'PUT', 'PATCH'].includes(r.method))
      .map((r) => `${r.method} ${r.path}`),
  ),
];

// A JSON body each route would accept, so only the declared type differs.
const bodies: Record<string, unknown> = {
  'POST /v1/customers': { id: 'c1', email: 'ada@example.com' },
  'POST /v1/orders': {
    id: 'o1',
    customer_id: 'c1',
    placed_at: '2026-10-01T09:30:00Z',
    currency: 'GBP',
    total: '1.00',
  },
  'POST /v1/carts': { id: 'k1', currency: 'GBP', last_activity_at: '2026-10-01T09:30:00Z' },
  'POST /v1/products': { id: 'p1', title: 'Mug', currency: 'GBP', price: '1.00', stock: 1 },
  'POST /v1/waitlist': { product_id: 'p1', email: 'ada@example.com' },
  'POST /v1/events': { type: 'delivered', message_id: 'm1' },
  'POST /v1/events/browse': { type: 'search', customer_id: 'c1', query: 'boots' },
  'POST /v1/sweeps': { dry_run: false },
  'POST /v1/coupons/validate': { code: 'BACK-X', subtotal: '10.00', currency: 'GBP' },
  'POST /v1/redemptions': { code: 'BACK-X', order_id: 'o9', currency: 'GBP', order_total: '10.00' },
};

function send(route: string, contentType: string | null, body: string) {
  const [method, path] = route.split(' ') as [string, string];
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (contentType !== null) headers['content-type'] = contentType;
  // Bytes, not a string: a string body would make fetch declare text/plain itself.
  return app.request(path, { method, headers, body: new TextEncoder().encode(body) });
}

describe('/v1 bodies must be declared application/json', () => {
  it('knows a body for every /v1 route that takes one', () => {
    expect(bodyRoutes().sort()).toEqual(Object.keys(bodies).sort());
  });

  it.each([
    null,
    'text/plain',
    'text/plain;charset=UTF-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'text/json',
    'application/jsonp',
    'application/json-patch+json',
    '',
  ])(
    'answers 415 unsupported_media_type for Content-Type %j on every body route, storing nothing',
    async (type) => {
      const before = await snapshot(temp.store);
      for (const route of bodyRoutes()) {
        const response = await send(route, type, JSON.stringify(bodies[route]));
        expect(response.status, route).toBe(415);
        const json = (await response.json()) as { error: { code: string; details: { field: string }[] } };
        expect(json.error.code).toBe('unsupported_media_type');
        expect(json.error.details[0]?.field).toBe('Content-Type');
      }
      expect(await snapshot(temp.store)).toEqual(before);
    },
  );

  it('accepts application/json with parameters and in any case', async () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON ; charset=UTF-8',
    ]) {
      for (const route of bodyRoutes()) {
        const response = await send(route, type, JSON.stringify(bodies[route]));
        expect(response.status, `${type} ${route}`).not.toBe(415);
        expect(response.status, `${type} ${route}`).toBeLessThan(500);
      }
    }
    expect(isJsonContentType('application/json;charset=utf-8')).toBe(true);
    expect(isJsonContentType(undefined)).toBe(false);
  });

  it('leaves GET and DELETE routes, the dashboard login form and one-click unsubscribe alone', async () => {
    const get = await app.request('/v1/reports/campaigns', {
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/plain' },
    });
    expect(get.status).toBe(200);
    const erase = await app.request('/v1/customers/nobody', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(erase.status).not.toBe(415);
    const login = await app.request('/dashboard/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `key=${encodeURIComponent(key)}`,
    });
    expect(login.status).toBe(303);

    const tracking = await trackingApp(temp.store, now);
    await seedCustomer(temp.store, 'c1', now);
    await seedMessage(temp.store, { id: 'm1', customerId: 'c1', email: 'c1@example.com', at: now });
    const { unsubscribe } = await paths(tracking.signer, 'm1');
    const oneClick = await tracking.app.request(unsubscribe, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
  });
});
