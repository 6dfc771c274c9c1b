import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignSet } from '../../../src/core/campaigns/types.ts';
import { createApiKey, revokeApiKey } from '../../../src/db/repositories/api-keys.ts';
import type { AppEnv } from '../../../src/http/app-env.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { onError } from '../../../src/http/on-error.ts';
import { requireScopeOrSession } from '../../../src/http/routes/dashboard.ts';
import { dormantCampaign, shopSettings } from '../support/campaign-fixtures.ts';
import {
  day,
  scenarioStart,
  seedCustomers,
  seedMessage,
  seedReportScenario,
} from '../support/report-seed.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const now = scenarioStart + 20 * day;
const campaigns: CampaignSet = {
  settings: shopSettings(),
  campaigns: [dormantCampaign({ id: 'winback', name: 'We <3 you & "friends"', attributionDays: 7 })],
};

let temp: TempStore;
let app: ReturnType<typeof createApp>;
let reportsKey: { id: string; secret: string };
let ingestKey: string;

beforeEach(async () => {
  temp = await openTempStore();
  await seedReportScenario(temp.store);
  const deps = { store: temp.store, now: () => now, campaigns };
  app = createApp(deps);
  reportsKey = await createApiKey(temp.store, { name: 'marketer', scopes: ['reports'], now });
  ingestKey = (await createApiKey(temp.store, { name: 'shop', scopes: ['ingest'], now })).secret;
});
afterEach(() => temp.cleanup());

async function login(key: string) {
  return app.request('/dashboard/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key }).toString(),
  });
}

function sessionFrom(response: Response): string {
  const cookie = response.headers.get('set-cookie') ?? '';
  const match = /rekindle_session=([^;]+)/.exec(cookie);
  if (!match) throw new Error(`no session cookie in '${cookie}'`);
  return match[1]!;
}

const page = (path: string, cookie?: string) =>
  app.request(path, { headers: cookie ? { cookie: `rekindle_session=${cookie}` } : {} });

function figure(body: string, name: string): string | undefined {
  return new RegExp(`data-figure="${name}">([^<]*)<`).exec(body)?.[1];
}

describe('dashboard sign-in', () => {
  it('sends a browser without a session to the sign-in form', async () => {
    const response = await page('/dashboard');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/dashboard/login');
    const form = await page('/dashboard/login');
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('name="key" type="password"');
  });

  it('serves its stylesheet as written: quotes in font names are not HTML-escaped', async () => {
    const css = /<style>([\s\S]*?)<\/style>/.exec(await (await page('/dashboard/login')).text())?.[1] ?? '';
    expect(css).toContain('"Segoe UI"');
    expect(css).not.toContain('&quot;');
  });

  it('refuses unknown keys and keys without the reports scope', async () => {
    const unknown = await login('rk_nope_00000000000000000000000000000000');
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('set-cookie')).toBeNull();
    const wrongScope = await login(ingestKey);
    expect(wrongScope.status).toBe(403);
    expect(await wrongScope.text()).toContain('lacks the &#39;reports&#39; scope');
  });

  it('sets an HttpOnly session cookie that opens the pages, until the key is revoked', async () => {
    const response = await login(reportsKey.secret);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/dashboard');
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toContain(reportsKey.secret);
    const session = sessionFrom(response);
    expect((await page('/dashboard', session)).status).toBe(200);

    // A tampered signature or a stretched expiry is no session.
    const [id, expires, signature] = session.split('.');
    const flipped = `${signature!.slice(0, -1)}${signature!.endsWith('A') ? 'B' : 'A'}`;
    expect((await page('/dashboard', `${id}.${expires}.${flipped}`)).status).toBe(303);
    expect((await page('/dashboard', `${id}.${Number(expires) + 1}.${signature}`)).status).toBe(303);

    await revokeApiKey(temp.store, reportsKey.id, now);
    expect((await page('/dashboard', session)).status).toBe(303);
  });

  it('accepts the key as a bearer, and signs out', async () => {
    const bearer = await app.request('/dashboard', {
      headers: { authorization: `Bearer ${reportsKey.secret}` },
    });
    expect(bearer.status).toBe(200);
    const wrong = await app.request('/dashboard', { headers: { authorization: `Bearer ${ingestKey}` } });
    expect(wrong.status).toBe(403);
    const out = await app.request('/dashboard/logout', { method: 'POST' });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/rekindle_session=;.*Max-Age=0/);
  });
});

describe('dashboard pages', () => {
  let session: string;
  beforeEach(async () => {
    session = sessionFrom(await login(reportsKey.secret));
  });

  it('lists campaigns with their key figures, and sends no script or outside asset', async () => {
    const response = await page('/dashboard', session);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.text();
    expect(body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(body).toContain('href="/dashboard/campaigns/winback"');
    expect(body).toContain('href="/dashboard/campaigns/cart"');
    const winback = body.slice(body.indexOf('data-campaign="winback"'));
    expect(figure(winback, 'sent')).toBe('4');
    expect(figure(winback, 'opened')).toBe('1');
    expect(figure(winback, 'redeemed')).toBe('1');
    expect(figure(winback, 'revenue')).toBe('EUR 20.00, GBP 34.00');
    expect(figure(winback, 'conversion-mailed')).toBe('50.0%');
    expect(figure(winback, 'lift')).toBe('not enough data');
    expect(body).not.toMatch(/<script|src="http|href="http/);
  });

  it('shows a campaign: funnel, daily charts, mailed versus held out and step previews', async () => {
    const response = await page('/dashboard/campaigns/winback', session);
    expect(response.status).toBe(200);
    const body = await response.text();
    const funnel = [...body.matchAll(/data-funnel="(\w+)">(\d+)</g)].map((m) => [m[1], Number(m[2])]);
    expect(funnel).toEqual([
      ['scheduled', 6],
      ['sent', 4],
      ['opened', 1],
      ['clicked', 1],
      ['redeemed', 1],
    ]);
    // Sends, redemptions, and revenue as one chart per currency: EUR and GBP are never added.
    expect(body.match(/<svg class="chart"/g)).toHaveLength(4);
    expect([...body.matchAll(/data-chart="([\w-]+)"/g)].map((m) => m[1])).toEqual([
      'sends',
      'redemptions',
      'revenue-EUR',
      'revenue-GBP',
    ]);
    // One label per open count, the same in the figures, the funnel and the step table.
    expect(body).toContain('<th>Opened (people)</th><th>Opened (incl. proxies)</th>');
    expect(body).toContain('<span>Opened (people)</span>');
    expect(body).not.toMatch(/excl\. prox|>Opened</);
    expect(body).toContain('Revenue (GBP)');
    expect(body).toContain('Revenue (EUR)');
    expect(figure(body, 'mailed-size')).toBe('4');
    expect(figure(body, 'holdout-converted')).toBe('1');
    expect(body).toMatch(
      /data-figure="lift-detail">not enough data: needs at least 30 mailed and 30 held out \(has 4 and 2\)/,
    );
    expect(body).toContain('<iframe class="preview" src="/v1/campaigns/winback/preview?step=0"');
  });

  it('escapes campaign names and ids', async () => {
    await seedCustomers(temp.store, ['x1'], now - day);
    const evil = '<img src=x onerror=alert(1)>';
    await seedMessage(temp.store, {
      id: 'x',
      campaignId: evil,
      customerId: 'x1',
      status: 'sent',
      dueAt: now - day,
    });
    const list = await (await page('/dashboard', session)).text();
    expect(list).not.toContain(evil);
    expect(list).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(list).toContain('We &lt;3 you &amp; &quot;friends&quot;');
    const detail = await (await page(`/dashboard/campaigns/${encodeURIComponent(evil)}`, session)).text();
    expect(detail).not.toContain(evil);
    expect(detail).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(detail).toContain(`src="/v1/campaigns/${encodeURIComponent(evil)}/preview?step=0"`);
  });

  it('answers an unknown campaign with a page, not an error', async () => {
    const response = await page('/dashboard/campaigns/nope', session);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('No such campaign');
  });
});

describe('requireScopeOrSession, for routes the dashboard embeds', () => {
  it('takes a bearer key or a dashboard session, and answers JSON errors otherwise', async () => {
    const embedded = new Hono<AppEnv>();
    embedded.onError(onError);
    embedded.use('*', async (c, next) => {
      c.set('deps', { store: temp.store, now: () => now });
      await next();
    });
    embedded.get('/preview', requireScopeOrSession('reports'), (c) => c.text(`ok ${c.var.apiKey.id}`));
    const session = sessionFrom(await login(reportsKey.secret));
    const withCookie = await embedded.request('/preview', {
      headers: { cookie: `rekindle_session=${session}` },
    });
    expect(await withCookie.text()).toBe(`ok ${reportsKey.id}`);
    const bearer = await embedded.request('/preview', {
      headers: { authorization: `Bearer ${reportsKey.secret}` },
    });
    expect(bearer.status).toBe(200);
    const none = await embedded.request('/preview');
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const wrong = await embedded.request('/preview', { headers: { authorization: `Bearer ${ingestKey}` } });
    expect(wrong.status).toBe(403);
  });
});
