// Opens the dashboard in headless Chromium after a demo run: signs in, follows
// a campaign link and checks the figures on the page against the report API.
// Saves screenshots under test-artifacts/. Needs Debian's chromium at
// /usr/bin/chromium (apt-get install chromium); never downloads a browser.
import { access, mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMjmlRenderer } from '../../src/adapters/templates/mjml-renderer.ts';
import { loadCampaigns } from '../../src/config/campaign-loader.ts';
import type { CampaignSet } from '../../src/core/campaigns/types.ts';
import { liftText, moneyText, percent } from '../../src/core/reports/format.ts';
import type { CampaignReport } from '../../src/core/reports/types.ts';
import { createApiKey } from '../../src/db/repositories/api-keys.ts';
import { loadDemoShop } from '../../src/demo/load.ts';
import { simulateBehaviour } from '../../src/demo/simulate.ts';
import { createApp } from '../../src/http/create-app.ts';
import { runSweep } from '../../src/services/sweep/run-sweep.ts';
import { openTempStore, type TempStore } from '../node/support/temp-store.ts';

const chromiumPath = '/usr/bin/chromium';
const artifacts = 'test-artifacts';
const sweptAt = Date.parse('2026-06-01T06:00:00Z');
const until = sweptAt + 21 * 86_400_000;

let temp: TempStore;
let server: ReturnType<typeof serve>;
let base: string;
let browser: Browser;
let key: string;
let set: CampaignSet;

beforeAll(async () => {
  await access(chromiumPath).catch(() => {
    throw new Error(`${chromiumPath} is missing: install Debian's chromium (apt-get install -y chromium)`);
  });
  temp = await openTempStore();
  const loaded = await loadCampaigns({ dir: 'campaigns', emailsDir: 'emails' });
  if (!loaded.ok) throw new Error(`campaign files invalid: ${JSON.stringify(loaded.errors)}`);
  set = loaded.set;
  await loadDemoShop(temp.store, { now: sweptAt, customers: 500, seed: 'e2e' });
  await runSweep({ store: temp.store, campaigns: set, now: sweptAt, dryRun: false });
  await simulateBehaviour(temp.store, { until, campaigns: set, seed: 'e2e' });
  key = (await createApiKey(temp.store, { name: 'e2e', scopes: ['reports'], now: until })).secret;
  const renderer = createMjmlRenderer({ emailsDir: 'emails' });
  const deps = { store: temp.store, now: () => until, campaigns: set, renderer };
  const app = createApp(deps);
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(info.port),
    );
  });
  base = `http://127.0.0.1:${port}`;
  // Root in a container has no user namespace for Chromium's sandbox.
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  await mkdir(artifacts, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await temp?.cleanup();
});

async function apiReport(id: string): Promise<CampaignReport> {
  const response = await fetch(`${base}/v1/reports/campaigns/${id}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { campaign: CampaignReport }).campaign;
}

const figure = (page: Page, scope: string, name: string) =>
  page.locator(`${scope} [data-figure="${name}"]`).first().innerText();

describe('dashboard in a browser', () => {
  it('signs in, lists campaigns, follows a link and shows the figures the API reports', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    await page.fill('#key', key);
    await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('button[type=submit]')]);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'rekindle_session')?.httpOnly).toBe(true);

    const winback = await apiReport('winback');
    expect(winback.totals.sent).toBeGreaterThan(30);
    const card = '[data-campaign="winback"]';
    expect(await page.locator(`${card} h2`).innerText()).toBe('We miss you');
    expect(await figure(page, card, 'sent')).toBe(winback.totals.sent.toLocaleString('en'));
    expect(await figure(page, card, 'redeemed')).toBe(String(winback.totals.redeemed));
    expect(await figure(page, card, 'revenue')).toBe(moneyText(winback.totals.revenue));
    await page.screenshot({ path: `${artifacts}/dashboard-list.png`, fullPage: true });

    await Promise.all([page.waitForURL(`${base}/dashboard/campaigns/winback`), page.click(`${card} h2 a`)]);
    const t = winback.totals;
    const funnel = await page.locator('[data-funnel]').allInnerTexts();
    expect(funnel.map((n) => Number(n.replace(/,/g, '')))).toEqual([
      t.scheduled,
      t.sent,
      t.openedExcludingProxy,
      t.clicked,
      t.redeemed,
    ]);
    const shown = async (name: string) => figure(page, 'main', name);
    expect(await shown('opened')).toBe(t.openedExcludingProxy.toLocaleString('en'));
    expect(await shown('opened-all')).toBe(t.opened.toLocaleString('en'));
    expect(await shown('clicked')).toBe(t.clicked.toLocaleString('en'));
    expect(await shown('held-out')).toBe(t.heldOut.toLocaleString('en'));
    expect(await shown('revenue')).toBe(moneyText(t.revenue));
    expect(await shown('conversion-mailed')).toBe(percent(t.conversion.mailed.rate));
    expect(await shown('conversion-holdout')).toBe(percent(t.conversion.heldOut.rate));
    expect(await shown('mailed-size')).toBe(t.conversion.mailed.size.toLocaleString('en'));
    expect(await shown('holdout-converted')).toBe(t.conversion.heldOut.converted.toLocaleString('en'));
    expect(await shown('lift')).toBe(liftText(t.conversion.lift));
    expect(await page.locator('svg.chart').count()).toBe(3);
    expect(await page.locator('svg.chart rect').count()).toBeGreaterThan(0);
    expect(await page.locator('iframe.preview').count()).toBe(
      set.campaigns.find((c) => c.id === 'winback')!.steps.length,
    );
    // The embedded preview is the real email, opened with the dashboard session.
    const previewFrame = async () => {
      const frame = page.frames().find((f) => f.url().includes('/v1/campaigns/winback/preview'));
      return frame ? frame.content() : '';
    };
    await page.locator('iframe.preview').first().scrollIntoViewIfNeeded();
    await expect.poll(previewFrame, { timeout: 15_000 }).toContain(set.settings.postalAddress);
    await page.screenshot({ path: `${artifacts}/dashboard.png`, fullPage: true });
    await context.close();
  });

  it('is readable on a 375px wide phone: nothing wider than the screen', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await page.goto(`${base}/dashboard/login`);
    await page.fill('#key', key);
    await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('button[type=submit]')]);
    for (const path of [
      '/dashboard',
      '/dashboard/campaigns/winback',
      '/dashboard/campaigns/abandoned-cart',
    ]) {
      await page.goto(`${base}${path}`);
      const width = await page.evaluate('document.documentElement.scrollWidth');
      expect(width, path).toBeLessThanOrEqual(375);
    }
    await page.screenshot({ path: `${artifacts}/dashboard-phone.png`, fullPage: true });
    await context.close();
  });
});
