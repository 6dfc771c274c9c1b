// The browse script in Debian's Chromium: a shop's page on one loopback
// origin embeds GET /b/browse.js from Rekindle on another with a shopper
// token; the page's own product view (data-product) and a category view it
// pushes land in a real libSQL store, sent when the page is left (sendBeacon,
// before the script's one-second wait is up) and across origins without a
// preflight. A sandboxed frame running the Shopify pixel snippet against
// stand-ins of the Web Pixels API posts with Origin: null, which the door
// takes when BROWSE_ORIGINS lists null. A page with a forged token stores
// nothing. Needs /usr/bin/chromium (apt-get install chromium); never
// downloads a browser.
import { access } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { nodeHmacSha256 } from '../../src/adapters/crypto/node-signer.ts';
import { shopifyPixelSnippet, shopperCookie } from '../../src/adapters/platforms/shopify/browse-snippet.ts';
import { browsePaths } from '../../src/core/tracking/browse-door.ts';
import { shopperTokensWith } from '../../src/core/tracking/shopper-token.ts';
import { createApp } from '../../src/http/create-app.ts';
import { openTempStore, type TempStore } from '../node/support/temp-store.ts';
import { seedCustomer } from '../node/support/tracking-fixtures.ts';

const chromiumPath = '/usr/bin/chromium';
const tokens = shopperTokensWith(nodeHmacSha256('e2e-shopper-secret-0123'));

let temp: TempStore;
let rekindle: ReturnType<typeof serve>;
let shop: Server;
let rekindleBase: string;
let shopBase: string;
let browser: Browser;
/** The shop's pages, by path. */
const pages = new Map<string, string>();
const posted: { origin: string | null }[] = [];

const listen = (server: { once: Server['once'] } & Pick<Server, 'address'>) =>
  new Promise<number>((resolve) =>
    server.once('listening', () => resolve((server.address() as AddressInfo).port)),
  );

beforeAll(async () => {
  await access(chromiumPath).catch(() => {
    throw new Error(`${chromiumPath} is missing: install Debian's chromium (apt-get install -y chromium)`);
  });
  temp = await openTempStore();
  for (const id of ['ada', '7390234411']) await seedCustomer(temp.store, id, Date.now() - 86_400_000);

  shop = createServer((req, res) => {
    const page = pages.get(req.url ?? '');
    res.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page ?? 'not found');
  });
  shop.listen(0, '127.0.0.1');
  shopBase = `http://127.0.0.1:${await listen(shop)}`;

  const app = createApp({
    store: temp.store,
    now: Date.now,
    browse: { tokens, origins: [shopBase, 'null'] },
  });
  // What each post's Origin was, as the server got it.
  const fetch: typeof app.fetch = (request, ...rest) => {
    if (request.method === 'POST') posted.push({ origin: request.headers.get('origin') });
    return app.fetch(request, ...rest);
  };
  rekindle = serve({ fetch, port: 0, hostname: '127.0.0.1' });
  rekindleBase = `http://127.0.0.1:${await listen(rekindle as unknown as Server)}`;

  // Root in a container has no user namespace for Chromium's sandbox.
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (rekindle ? rekindle.close(() => resolve()) : resolve()));
  await new Promise<void>((resolve) => (shop ? shop.close(() => resolve()) : resolve()));
  await temp?.cleanup();
});

const storedFor = (customerId: string) =>
  temp.store.db.all<{ kind: string; ref: string }>(
    sql`SELECT kind, ref FROM browse_events WHERE customer_id = ${customerId} ORDER BY kind, ref`,
  );

function productPage(token: string, productId: string): string {
  return `<!doctype html><title>Trainer</title><h1>Trainer</h1>
<script src="${rekindleBase}${browsePaths.script}" data-shopper="${token}" data-product="${productId}" async></script>
<script>(window.rekindle = window.rekindle || []).push({ type: 'category_viewed', category: 'Running' });</script>`;
}

describe('the browse script in a browser', () => {
  it("posts the page's product view and a pushed category view for the signed-in shopper", async () => {
    pages.set('/products/trainer', productPage(await tokens.sign('ada'), '44012345678901'));
    const page = await browser.newPage();
    const requests: string[] = [];
    posted.length = 0;
    page.on('request', (request) => requests.push(`${request.method()} ${new URL(request.url()).pathname}`));
    await page.goto(`${shopBase}/products/trainer`);
    await page.waitForFunction("typeof window.rekindle?.flush === 'function'");
    // Left before the script's wait is up: the events leave as the page goes.
    await page.goto('about:blank');
    await vi.waitFor(async () => expect(await storedFor('ada')).toHaveLength(2), { timeout: 10_000 });
    expect(await storedFor('ada')).toEqual([
      { kind: 'category', ref: 'Running' },
      { kind: 'product', ref: '44012345678901' },
    ]);
    // Both in one post, from the shop's page.
    expect(posted).toEqual([{ origin: shopBase }]);
    expect(requests).toContain(`GET ${browsePaths.script}`);
    // text/plain: no preflight went out.
    expect(requests).not.toContain(`OPTIONS ${browsePaths.events}`);
    await page.close();
  });

  it('posts from a sandboxed frame running the Shopify pixel (Origin: null)', async () => {
    const token = await tokens.sign('7390234411');
    // Stand-ins for what Shopify hands a custom pixel, then the pixel's own code.
    const pixel = `<script>
const subscribed = {};
const analytics = { subscribe: (name, handler) => { subscribed[name] = handler; } };
const browser = { cookie: { get: async (name) => name === ${JSON.stringify(shopperCookie)} ? ${JSON.stringify(token)} : '' } };
${shopifyPixelSnippet(rekindleBase)}
subscribed.product_viewed({ data: { productVariant: { id: '44012345678905', product: { id: '801' } } } });
subscribed.search_submitted({ data: { searchResult: { query: 'Trail shoes' } } });
</script>`;
    const escaped = pixel.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
    pages.set('/pixel', `<!doctype html><iframe sandbox="allow-scripts" srcdoc="${escaped}"></iframe>`);
    const page = await browser.newPage();
    posted.length = 0;
    await page.goto(`${shopBase}/pixel`);
    await vi.waitFor(async () => expect(await storedFor('7390234411')).toHaveLength(2), { timeout: 10_000 });
    expect(await storedFor('7390234411')).toEqual([
      { kind: 'product', ref: '44012345678905' },
      { kind: 'search', ref: 'trail shoes' },
    ]);
    expect(posted).toEqual([{ origin: 'null' }, { origin: 'null' }]);
    await page.close();
  });

  it('stores nothing for a page with a forged token', async () => {
    pages.set('/products/forged', productPage(`bob.${'a'.repeat(64)}`, '44012345678909'));
    const page = await browser.newPage();
    const answered = page.waitForResponse(
      (response) => new URL(response.url()).pathname === browsePaths.events,
    );
    await page.goto(`${shopBase}/products/forged`);
    expect((await answered).status()).toBe(401);
    await page.close();
    const all = await temp.store.db.all(sql`SELECT ref FROM browse_events WHERE ref = '44012345678909'`);
    expect(all).toEqual([]);
  });
});
