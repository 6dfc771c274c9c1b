// The public browse door on a real libSQL file: a shopper token the shop
// signed stores its customer's events (posted as sendBeacon posts them,
// text/plain), at the server's time, through the verb POST /v1/events/browse
// uses; a forged token, a tracking token, a token moved to another customer,
// an event naming a customer, a batch or body too large, a disallowed origin
// and a form post are refused with nothing stored; preflights are answered
// for the allowed origins only; the shopper's rate limit; the 503 while the
// door has no secret; and the script, served as JavaScript that parses.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeHmacSha256 } from '../../../src/adapters/crypto/node-signer.ts';
import { browseDoorConfig, ConfigError, parseNodeEnv } from '../../../src/config/env.ts';
import {
  browsePaths,
  maxShopperBodyBytes,
  maxShopperEvents,
} from '../../../src/core/tracking/browse-door.ts';
import { shopperTokensWith } from '../../../src/core/tracking/shopper-token.ts';
import { createTokenSigner } from '../../../src/core/tracking/tokens.ts';
import { nodeBrowseDoor } from '../../../src/entry/node-server.ts';
import type { BrowseDoorDeps } from '../../../src/http/app-env.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';
import { seedCustomer, shopperSecret, shopperTokens } from '../support/tracking-fixtures.ts';

const now = Date.parse('2026-12-01T12:00:00Z');
const secret = shopperSecret;
const tokens = shopperTokens;
const shop = 'https://shop.example';

let temp: TempStore;
let app: ReturnType<typeof createApp>;

function openApp(door: Partial<BrowseDoorDeps> | null = {}) {
  app = createApp({
    store: temp.store,
    now: () => now,
    browse: door === null ? undefined : { tokens, ...door },
  });
}

beforeEach(async () => {
  temp = await openTempStore();
  await seedCustomer(temp.store, 'ada', now - 86_400_000);
  await seedCustomer(temp.store, 'bob', now - 86_400_000);
  openApp();
});
afterEach(() => temp.cleanup());

function post(body: unknown, headers: Record<string, string> = {}) {
  return app.request(browsePaths.events, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: shop, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const stored = () =>
  temp.store.db.all<{ customer_id: string; kind: string; ref: string; at: number }>(
    sql`SELECT customer_id, kind, ref, at FROM browse_events ORDER BY customer_id, kind, ref`,
  );

const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string; details: unknown[] } }).error;

const views = [
  { type: 'product_viewed', product_id: '44012345678901' },
  { type: 'category_viewed', category: 'Shoes' },
  { type: 'search', query: '  Red   Trainers ' },
];

describe('POST /b/events', () => {
  it("stores a valid shopper's events as theirs, at the server's time, and answers 204 with CORS", async () => {
    const res = await post({ shopper: await tokens.sign('ada'), events: views });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await stored()).toEqual([
      { customer_id: 'ada', kind: 'category', ref: 'Shoes', at: now },
      { customer_id: 'ada', kind: 'product', ref: '44012345678901', at: now },
      { customer_id: 'ada', kind: 'search', ref: 'red trainers', at: now },
    ]);
    // The same batch again is the same rows; JSON declared as such is taken too.
    const again = await post(
      { shopper: await tokens.sign('ada'), events: views },
      { 'content-type': 'application/json' },
    );
    expect(again.status).toBe(204);
    expect(await stored()).toHaveLength(3);
  });

  it('refuses forged, tracking and moved tokens with 401 and changes nothing', async () => {
    const good = await tokens.sign('ada');
    const mac = good.slice('ada.'.length);
    const tracking = await createTokenSigner(secret);
    const before = await snapshot(temp.store);
    for (const shopper of [
      `ada.${'0'.repeat(64)}`,
      `bob.${mac}`,
      await shopperTokensWith(nodeHmacSha256('another-secret-0123456789')).sign('ada'),
      await tracking.sign({ purpose: 'open', messageId: 'ada' }),
      await tracking.sign({
        purpose: 'click',
        messageId: 'ada',
        linkIndex: 0,
        target: 'https://shop.example',
      }),
      'ada',
    ]) {
      const res = await post({ shopper, events: views });
      expect({ shopper, status: res.status }).toEqual({ shopper, status: 401 });
      expect((await errorOf(res)).code).toBe('invalid_shopper_token');
      // A browser on the shop's page can read why.
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    }
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('refuses events that name a customer or a time, bad events, and too many or too large, storing none', async () => {
    const shopper = await tokens.sign('ada');
    const cases: [unknown, number][] = [
      [
        { shopper, events: [...views, { type: 'product_viewed', product_id: 'p1', customer_id: 'bob' }] },
        400,
      ],
      [{ shopper, events: [{ type: 'product_viewed', product_id: 'p1', email: 'bob@example.com' }] }, 400],
      [{ shopper, events: [{ type: 'product_viewed', product_id: 'p1', at: '2026-01-01T00:00:00Z' }] }, 400],
      [{ shopper, events: [{ type: 'product_viewed', product_id: 123 }] }, 400],
      [{ shopper, events: [{ type: 'search' }] }, 400],
      [{ shopper, events: [] }, 400],
      [{ shopper }, 400],
      [{ shopper, events: views, extra: true }, 400],
      [
        {
          shopper,
          events: Array.from({ length: maxShopperEvents + 1 }, (_, i) => ({
            type: 'product_viewed',
            product_id: `p${i}`,
          })),
        },
        413,
      ],
      ['{"shopper":', 400],
    ];
    for (const [body, status] of cases) {
      const res = await post(body);
      expect({ body, status: res.status }).toEqual({ body, status });
    }
    const named = await post({
      shopper,
      events: [views[0], { type: 'product_viewed', product_id: 'p1', customer_id: 'bob' }],
    });
    expect((await errorOf(named)).details).toEqual([
      { row: 1, field: 'customer_id', message: 'unknown field' },
    ]);
    // A body past the bound is refused by its declared length, before it is read.
    const huge = JSON.stringify({
      shopper,
      events: [{ type: 'search', query: 'x'.repeat(maxShopperBodyBytes) }],
    });
    expect((await post(huge)).status).toBe(413);
    expect(await stored()).toEqual([]);
  });

  it('takes JSON as text/plain or application/json only', async () => {
    const body = JSON.stringify({ shopper: await tokens.sign('ada'), events: views });
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      expect((await post(body, { 'content-type': type })).status).toBe(415);
    }
    expect(await stored()).toEqual([]);
  });

  it('stores nothing, and says so by nothing, for a signed shopper who is not a customer yet', async () => {
    const res = await post({ shopper: await tokens.sign('new-signup'), events: views });
    expect(res.status).toBe(204);
    expect(await stored()).toEqual([]);
  });

  it("keeps to the shop's origins when they are configured, the sandbox's null among them", async () => {
    openApp({ origins: [shop, 'null'] });
    const body = { shopper: await tokens.sign('ada'), events: [views[0]] };

    const elsewhere = await post(body, { origin: 'https://evil.example' });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    expect(await stored()).toEqual([]);

    const fromShop = await post(body);
    expect(fromShop.status).toBe(204);
    expect(fromShop.headers.get('access-control-allow-origin')).toBe(shop);
    expect(fromShop.headers.get('vary')).toMatch(/origin/i);
    const fromPixel = await post({ ...body, events: [views[1]] }, { origin: 'null' });
    expect(fromPixel.status).toBe(204);
    expect(await stored()).toHaveLength(2);
  });

  it('answers preflights for the allowed origins, and only for them', async () => {
    const preflight = (origin: string) =>
      app.request(browsePaths.events, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const open = await preflight('https://any.example');
    expect(open.status).toBe(204);
    expect(open.headers.get('access-control-allow-origin')).toBe('*');
    expect(open.headers.get('access-control-allow-methods')).toBe('POST');
    expect(open.headers.get('access-control-allow-headers')?.toLowerCase()).toBe('content-type');
    expect(open.headers.get('access-control-max-age')).toBe('86400');

    openApp({ origins: [shop] });
    expect((await preflight(shop)).headers.get('access-control-allow-origin')).toBe(shop);
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits each shopper, not the others, with Retry-After', async () => {
    openApp({ rateLimit: { capacity: 2, refillPerSecond: 0.001 } });
    const ada = { shopper: await tokens.sign('ada'), events: [views[0]] };
    expect((await post(ada)).status).toBe(204);
    expect((await post(ada)).status).toBe(204);
    const limited = await post({ ...ada, events: [views[1]] });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await post({ shopper: await tokens.sign('bob'), events: [views[1]] })).status).toBe(204);
    expect((await stored()).map((row) => `${row.customer_id} ${row.kind}`)).toEqual([
      'ada product',
      'bob category',
    ]);
  });

  it('answers 503 naming the secret while the door is not configured', async () => {
    openApp(null);
    const res = await post({ shopper: await tokens.sign('ada'), events: views });
    expect(res.status).toBe(503);
    expect((await errorOf(res)).message).toMatch(/SHOPPER_TOKEN_SECRET/);
    expect(await stored()).toEqual([]);
  });
});

describe('GET /b/browse.js', () => {
  it('serves the script as cacheable JavaScript that parses, with no dependencies', async () => {
    const res = await app.request(browsePaths.script);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await res.text();
    expect(() => new Function(script)).not.toThrow();
    expect(script).not.toMatch(/\bimport\b|\brequire\(/);
    expect(new TextEncoder().encode(script).length).toBeLessThan(4096);
  });
});

describe("the door's environment", () => {
  it('wires the secret and the origins, and refuses bad origins and the signing secret', async () => {
    const config = parseNodeEnv({
      SHOPPER_TOKEN_SECRET: secret,
      BROWSE_ORIGINS: ` ${shop}, null,http://localhost:3000 `,
    });
    expect(config.BROWSE_ORIGINS).toEqual([shop, 'null', 'http://localhost:3000']);
    const door = nodeBrowseDoor(config);
    expect(door?.origins).toEqual(config.BROWSE_ORIGINS);
    expect(await door?.tokens.verify(await tokens.sign('ada'))).toBe('ada');
    expect(nodeBrowseDoor(parseNodeEnv({}))).toBeUndefined();
    expect(parseNodeEnv({ SHOPPER_TOKEN_SECRET: secret }).BROWSE_ORIGINS).toBeUndefined();
    for (const origins of [`${shop}/`, `${shop}/path`, 'shop.example', 'ftp://shop.example', '*']) {
      expect(() => parseNodeEnv({ BROWSE_ORIGINS: origins }), origins).toThrow(/BROWSE_ORIGINS/);
    }
    expect(() => parseNodeEnv({ SHOPPER_TOKEN_SECRET: 'short' })).toThrow(/SHOPPER_TOKEN_SECRET/);
    expect(() => browseDoorConfig({ SHOPPER_TOKEN_SECRET: secret, SIGNING_SECRET: secret })).toThrow(
      ConfigError,
    );
  });
});
