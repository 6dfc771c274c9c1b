import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/create-app.ts';
import { buildOpenApiDocument } from '../../../src/http/openapi/document.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

type Json = Record<string, unknown>;

let temp: TempStore;
let app: ReturnType<typeof createApp>;
let doc: Json & { paths: Record<string, Record<string, Json>>; components: Json };

beforeAll(async () => {
  temp = await openTempStore();
  app = createApp({ store: temp.store, now: () => Date.parse('2026-11-01T12:00:00Z') });
  const res = await app.request('/v1/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  doc = JSON.parse(await res.text());
});
afterAll(() => temp.cleanup());

// Follows a local $ref (#/components/...) through the served document.
function resolve(node: Json): Json {
  const target = node.$ref;
  if (typeof target !== 'string') return node;
  const found = target
    .slice(2)
    .split('/')
    .reduce<unknown>((at, key) => (at as Json | undefined)?.[key], doc);
  if (!found) throw new Error(`dangling $ref ${target}`);
  return resolve(found as Json);
}

function bodySchema(path: string, method: string): Json {
  const op = doc.paths[path]?.[method] as Json;
  const content = (op.requestBody as Json).content as Record<string, Json>;
  return resolve(content['application/json']!.schema as Json);
}

describe('GET /v1/openapi.json', () => {
  it('is public, OpenAPI 3.1 and the same document the builder makes', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
    const info = doc.info as Json;
    expect(info.title).toBeTruthy();
    // Every request schema converted: no fallback was needed.
    expect(info.description).toContain('Every request schema is generated');
  });

  it('documents every route the app registers, with its method', () => {
    const registered = app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replace(/:(\w+)/g, '{$1}') }));
    const v1 = registered.filter((r) => r.path.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(12);
    const missing = registered
      .filter((r) => !doc.paths[r.path]?.[r.method])
      .map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    // ...and nothing documented that the app does not serve.
    const served = new Set(registered.map((r) => `${r.method} ${r.path}`));
    const extra = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .map((method) => `${method} ${path}`)
        .filter((route) => !served.has(route)),
    );
    expect(extra).toEqual([]);
  });

  it('names the scope and bearer security on every keyed /v1 operation, and none on public ones', () => {
    const schemes = (doc.components.securitySchemes as Json).bearerAuth as Json;
    expect(schemes).toMatchObject({ type: 'http', scheme: 'bearer' });
    const scopes: Record<string, string> = {};
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!path.startsWith('/v1/') || path === '/v1/openapi.json') continue;
        const [scope] = op['x-scopes'] as string[];
        expect((op.security as Json[])[0]).toEqual({ bearerAuth: [scope] });
        expect(op.description).toContain(`\`${scope}\` scope`);
        scopes[`${method} ${path}`] = scope!;
      }
    }
    expect(scopes).toMatchObject({
      'post /v1/orders': 'ingest',
      'post /v1/events': 'ingest',
      'post /v1/sweeps': 'sweeps',
      'post /v1/coupons/validate': 'coupons',
      'post /v1/redemptions': 'coupons',
      'get /v1/campaigns/{id}/preview': 'reports',
      'get /v1/reports/campaigns/{id}': 'reports',
      'get /v1/customers/{id}/export': 'privacy',
      'delete /v1/customers/{id}': 'privacy',
    });
    expect(doc.paths['/v1/openapi.json']!.get!.security).toEqual([]);
    expect(doc.paths['/u/{token}']!.post!.security).toEqual([]);
  });

  it('describes request bodies from the validating schemas, with their required fields', () => {
    const orders = bodySchema('/v1/orders', 'post');
    const [single, list] = orders.oneOf as Json[];
    expect(resolve(list!.items as Json)).toBe(resolve(single!));
    expect(list).toMatchObject({ type: 'array', minItems: 1, maxItems: 1000 });
    const order = resolve(single!);
    // Without a total, an order's total is its lines' value.
    expect(order.required).toEqual(['id', 'customer_id', 'placed_at', 'currency']);
    expect(order.additionalProperties).toBe(false);
    // Input side: a default makes status optional, a decimal is text or number.
    expect(Object.keys(order.properties as Json)).toContain('status');
    expect((order.properties as Record<string, Json>).total!.anyOf).toHaveLength(2);
    expect((order.properties as Record<string, Json>).placed_at).toMatchObject({ format: 'date-time' });

    const required = (path: string) => {
      const schema = bodySchema(path, 'post');
      return resolve((schema.oneOf as Json[] | undefined)?.[0] ?? schema).required;
    };
    expect(required('/v1/customers')).toEqual(['id']);
    expect(required('/v1/carts')).toEqual(['id', 'currency', 'last_activity_at']);
    expect(required('/v1/products')).toEqual(['id', 'title', 'currency', 'price']);
    expect(required('/v1/waitlist')).toEqual(['product_id', 'email']);
    expect(required('/v1/events')).toEqual(['type', 'message_id']);
    expect(required('/v1/coupons/validate')).toEqual(['code', 'subtotal', 'currency']);
    expect(required('/v1/redemptions')).toEqual(['code', 'order_id', 'currency', 'order_total']);
    expect(Object.keys(bodySchema('/v1/sweeps', 'post').properties as Json).sort()).toEqual([
      'campaign',
      'dry_run',
      'now',
      'only',
    ]);
    // A real sweep is never a default.
    expect(bodySchema('/v1/sweeps', 'post').required).toEqual(['dry_run']);
    expect((doc.paths['/v1/sweeps']!.post!.requestBody as Json).required).toBe(true);
  });

  it('documents the 415 on every operation that takes a body', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!path.startsWith('/v1/') || !op.requestBody) continue;
        expect(Object.keys(op.responses as Json), `${method} ${path}`).toContain('415');
      }
    }
    expect(resolve((doc.paths['/v1/orders']!.post!.responses as Record<string, Json>)['415']!)).toMatchObject(
      {
        description: expect.stringMatching(/application\/json/),
      },
    );
  });

  it('takes the preview query parameters from the route schema', () => {
    const params = doc.paths['/v1/campaigns/{id}/preview']!.get!.parameters as Json[];
    expect(params.map((p) => `${p.in}:${p.name}`)).toEqual([
      'path:id',
      'query:step',
      'query:customer_id',
      'query:format',
    ]);
    expect((params[3]!.schema as Json).enum).toEqual(['html', 'text', 'json']);
  });

  it('gives every error the common body, and every $ref resolves', () => {
    const orders = doc.paths['/v1/orders']!.post!.responses as Record<string, Json>;
    expect(Object.keys(orders)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '413']));
    const redemptions = doc.paths['/v1/redemptions']!.post!.responses as Record<string, Json>;
    for (const status of ['400', '401', '403', '404', '409', '413', '429']) {
      const response = resolve(redemptions[status]!);
      const schema = resolve(((response.content as Json)['application/json'] as Json).schema as Json);
      expect((schema.properties as Record<string, Json>).error!.required).toEqual([
        'code',
        'message',
        'details',
      ]);
    }
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(20);
    for (const r of refs) expect(() => resolve(JSON.parse(`{${r}}`))).not.toThrow();
  });
});
