// The snippets `rekindle browse snippet` prints, run where they can be: the
// Shopify theme part rendered by a Liquid engine (with Shopify's
// hmac_sha256 filter as documented: hex) makes a token the door verifies;
// the Shopify pixel, run against stand-ins of the Web Pixels API, posts
// product (as the variant), collection and search views that land in a real
// libSQL store; the HTML snippet's Node recipe makes valid tokens; the
// WooCommerce plugin (no PHP here) signs the same text. The command prints
// them for the configured base URL and refuses an unknown platform.
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Liquid } from 'liquidjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { htmlBrowseSnippet } from '../../../src/adapters/platforms/shared/browse-snippet.ts';
import {
  shopifyBrowseSnippet,
  shopifyPixelSnippet,
  shopifyThemeSnippet,
  shopperCookie,
} from '../../../src/adapters/platforms/shopify/browse-snippet.ts';
import { wooCommerceBrowseSnippet } from '../../../src/adapters/platforms/woocommerce/browse-snippet.ts';
import { shopperTokenPurpose } from '../../../src/core/tracking/shopper-token.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { runCliInProcess } from '../support/cli.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';
import { seedCustomer, shopperSecret, shopperTokens } from '../support/tracking-fixtures.ts';

const now = Date.parse('2026-12-01T12:00:00Z');
const secret = shopperSecret;
const tokens = shopperTokens;
const base = 'https://rekindle.example';

let temp: TempStore;
beforeAll(async () => {
  temp = await openTempStore();
  await seedCustomer(temp.store, '7390234411', now - 86_400_000);
});
afterAll(() => temp.cleanup());

const withSecret = (snippet: string) => snippet.replaceAll('REPLACE_WITH_SHOPPER_TOKEN_SECRET', secret);

describe('Shopify', () => {
  const liquid = new Liquid();
  // As https://shopify.dev/docs/api/liquid/filters/hmac_sha256 documents it.
  liquid.registerFilter('hmac_sha256', (text: string, key: string) =>
    createHmac('sha256', key).update(String(text)).digest('hex'),
  );

  it('the theme part writes a verifiable token for a signed-in customer and clears it for anyone else', async () => {
    const theme = withSecret(shopifyThemeSnippet());
    const signedIn = await liquid.parseAndRender(theme, { customer: { id: 7390234411 } });
    const cookie = new RegExp(`document\\.cookie = '${shopperCookie}=([^;]*);`).exec(signedIn)?.[1];
    expect(cookie).toBe(await tokens.sign('7390234411'));
    expect(await tokens.verify(cookie!)).toBe('7390234411');
    const guest = await liquid.parseAndRender(theme, {});
    expect(guest).toContain(`document.cookie = '${shopperCookie}=; path=/; max-age=0`);
    expect(guest).not.toMatch(/[0-9a-f]{64}/);
  });

  it('the pixel posts Shopify browse events with the cookie token, product views by variant id', async () => {
    const app = createApp({ store: temp.store, now: () => now, browse: { tokens, origins: ['null'] } });
    const cookie = await tokens.sign('7390234411');
    const handlers = new Map<string, (event: unknown) => void>();
    const posts: Promise<unknown>[] = [];
    const analytics = {
      subscribe: (name: string, handler: (event: unknown) => void) => handlers.set(name, handler),
    };
    const browser = { cookie: { get: async (name: string) => (name === shopperCookie ? cookie : '') } };
    // The pixel's fetch, as the sandbox sends it (Origin: null), into the app.
    const fetch = (url: string, init: RequestInit) => {
      const sent = app.request(new URL(url).pathname, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), origin: 'null' },
      });
      posts.push(Promise.resolve(sent));
      return sent;
    };
    new Function('analytics', 'browser', 'fetch', shopifyPixelSnippet(base))(analytics, browser, fetch);
    expect([...handlers.keys()].sort()).toEqual(['collection_viewed', 'product_viewed', 'search_submitted']);

    handlers.get('product_viewed')!({
      data: { productVariant: { id: '44012345678901', product: { id: '8012345678901', title: 'Trainer' } } },
    });
    handlers.get('product_viewed')!({
      data: { productVariant: { id: 'gid://shopify/ProductVariant/44012345678902' } },
    });
    handlers.get('collection_viewed')!({ data: { collection: { id: '123', title: 'Running' } } });
    handlers.get('search_submitted')!({ data: { searchResult: { query: 'Trail Shoes' } } });
    await vi.waitFor(() => expect(posts).toHaveLength(4));
    const answers = (await Promise.all(posts)) as Response[];
    expect(answers.map((res) => res.status)).toEqual([204, 204, 204, 204]);
    const rows = await temp.store.db.all<{ kind: string; ref: string }>(
      sql`SELECT kind, ref FROM browse_events WHERE customer_id = '7390234411' ORDER BY kind, ref`,
    );
    expect(rows).toEqual([
      { kind: 'category', ref: 'Running' },
      { kind: 'product', ref: '44012345678901' },
      { kind: 'product', ref: '44012345678902' },
      { kind: 'search', ref: 'trail shoes' },
    ]);
  });
});

describe('the other snippets', () => {
  it("the HTML snippet's Node recipe makes tokens the door verifies", async () => {
    const recipe = /Node: (.+)$/m.exec(htmlBrowseSnippet(base))?.[1];
    const make = new Function('crypto', 'id', 'secret', `return ${recipe};`);
    const token = make({ createHmac }, 'ada', secret);
    expect(await tokens.verify(token)).toBe('ada');
    expect(htmlBrowseSnippet(base)).toContain(
      `<script src="${base}/b/browse.js" data-shopper="SHOPPER_TOKEN" async>`,
    );
  });

  it('the WooCommerce plugin signs the same text with hash_hmac and prints the tag', () => {
    const php = wooCommerceBrowseSnippet(base);
    expect(php).toContain(
      `hash_hmac('sha256', '${shopperTokenPurpose}' . $id, REKINDLE_SHOPPER_TOKEN_SECRET)`,
    );
    expect(php).toContain(`esc_url('${base}/b/browse.js')`);
    for (const attribute of ['data-shopper', 'data-product', 'data-category', 'data-search'])
      expect(php).toContain(`'${attribute}'`);
  });

  it('rekindle browse snippet prints them for the base URL and refuses an unknown platform', async () => {
    const env = { PUBLIC_BASE_URL: base, DATABASE_URL: `file:${temp.dir}/never.db` };
    const shopify = await runCliInProcess(['browse', 'snippet', '--platform', 'shopify'], env);
    expect(shopify).toMatchObject({ code: 0, stdout: shopifyBrowseSnippet(base) });
    expect(shopify.stderr).toMatch(/SHOPPER_TOKEN_SECRET is not set/);
    const woo = await runCliInProcess(
      ['browse', 'snippet', '--platform', 'woocommerce', '--url', 'https://r.example'],
      { ...env, SHOPPER_TOKEN_SECRET: secret },
    );
    expect(woo).toEqual({ code: 0, stdout: wooCommerceBrowseSnippet('https://r.example'), stderr: '' });
    const unknown = await runCliInProcess(['browse', 'snippet', '--platform', 'magento'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown platform 'magento' \(known: shopify, woocommerce, html\)/);
    expect((await runCliInProcess(['browse', 'snippet'], env)).code).toBe(2);
  });
});
