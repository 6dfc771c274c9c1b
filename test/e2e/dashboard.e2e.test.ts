// Opens the dashboard in headless Chromium after a demo run: signs in, follows
// a campaign link and checks the figures on the page against the report API;
// a campaign with orders in GBP and EUR shows each currency apart; at 375 px
// the axes and values stay visible and nothing scrolls sideways; the date
// range form changes what is shown. Saves screenshots under
// test/e2e/screenshots/ (gitignored). Needs Debian's chromium at
// /usr/bin/chromium (apt-get install chromium); never downloads a browser.
import { access, mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMjmlRenderer } from '../../src/adapters/templates/mjml-renderer.ts';
import { loadCampaigns } from '../../src/config/campaign-loader.ts';
import type { CampaignSet } from '../../src/core/campaigns/types.ts';
import { revenueSeries } from '../../src/core/reports/daily.ts';
import { liftText, moneyText, percent } from '../../src/core/reports/format.ts';
import type { CampaignReport } from '../../src/core/reports/types.ts';
import { createApiKey } from '../../src/db/repositories/api-keys.ts';
import { loadDemoShop } from '../../src/demo/load.ts';
import { simulateBehaviour } from '../../src/demo/simulate.ts';
import { createApp } from '../../src/http/create-app.ts';
import { runSweep } from '../../src/services/sweep/run-sweep.ts';
import { dormantCampaign } from '../node/support/campaign-fixtures.ts';
import { ingestOrders, order, seedCustomers, seedEvent, seedMessage } from '../node/support/report-seed.ts';
import { openTempStore, type TempStore } from '../node/support/temp-store.ts';

const chromiumPath = '/usr/bin/chromium';
const artifacts = 'test/e2e/screenshots';
const dayMs = 86_400_000;
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
  await seedSpringSale();
  // Known to the app (named, previewable) but added after the sweep, which never saw it.
  const shown: CampaignSet = {
    ...set,
    campaigns: [...set.campaigns, dormantCampaign({ id: spring, name: 'Spring sale', attributionDays: 7 })],
  };
  key = (await createApiKey(temp.store, { name: 'e2e', scopes: ['reports'], now: until })).secret;
  const renderer = createMjmlRenderer({ emailsDir: 'emails' });
  const deps = { store: temp.store, now: () => until, campaigns: shown, renderer };
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

// A campaign whose orders come in GBP and EUR: three customers mailed on
// 1 June, two on 6 June; day-one buyers pay GBP 25.00 and EUR 30.00, the
// later ones GBP 15.00 and EUR 12.50.
const spring = 'spring-sale';
const springLinks = ['https://shop.example/spring', 'https://shop.example/privacy'];
async function seedSpringSale(): Promise<void> {
  const ids = ['ss1', 'ss2', 'ss3', 'ss4', 'ss5'];
  await seedCustomers(temp.store, ids, sweptAt - 400 * dayMs);
  for (const [i, id] of ids.entries()) {
    const sentAt = sweptAt + (i < 3 ? 0 : 5 * dayMs);
    await seedMessage(temp.store, {
      id: `spring-${id}`,
      campaignId: spring,
      customerId: id,
      status: 'sent',
      dueAt: sentAt,
      triggerRef: `lp-${id}`,
      links: springLinks,
    });
  }
  for (const id of ['ss1', 'ss2', 'ss4'])
    await seedEvent(temp.store, `spring-${id}`, 'click', sweptAt + 6 * dayMs);
  const buy = (id: string, days: number, minor: number, currency: string) =>
    order(`spring-o-${id}`, id, sweptAt + days * dayMs, minor, { currency });
  await ingestOrders(
    temp.store,
    [
      buy('ss1', 1, 2500, 'GBP'),
      buy('ss2', 1, 3000, 'EUR'),
      buy('ss4', 6, 1500, 'GBP'),
      buy('ss5', 6, 1250, 'EUR'),
    ],
    until,
  );
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${base}/dashboard/login`);
  await page.fill('#key', key);
  await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('button[type=submit]')]);
}

async function apiReport(id: string, query = ''): Promise<CampaignReport> {
  const response = await fetch(`${base}/v1/reports/campaigns/${id}${query}`, {
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
    // Sends, redemptions, and revenue: a chart per currency, labelled with it.
    const currencies = revenueSeries(winback.daily).map((series) => series.currency);
    expect(currencies.length).toBeGreaterThan(1);
    expect(await page.locator('svg.chart').count()).toBe(2 + currencies.length);
    for (const currency of currencies) {
      expect(await page.locator(`[data-chart="revenue-${currency}"] figcaption`).innerText()).toBe(
        `Revenue (${currency})`,
      );
    }
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

  it('is readable on a 375px wide phone: nothing wider than the screen, axes and values in view', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await signIn(page);
    for (const path of [
      '/dashboard',
      '/dashboard/campaigns/winback',
      '/dashboard/campaigns/abandoned-cart',
      `/dashboard/campaigns/${spring}`,
    ]) {
      await page.goto(`${base}${path}`);
      const width = await page.evaluate('document.scrollingElement.scrollWidth');
      expect(width, path).toBeLessThanOrEqual(375);
    }
    // On the spring sale's page every axis title and every printed value is on screen.
    const texts = page.locator('svg.chart text.axis-title, svg.chart text.value');
    expect(await page.locator('svg.chart text.axis-title').count()).toBe(2 * 4);
    expect(await page.locator('[data-chart="revenue-GBP"] text.value').allTextContents()).toEqual([
      '25.00',
      '15.00',
    ]);
    for (const text of await texts.all()) {
      await text.scrollIntoViewIfNeeded();
      expect(await text.isVisible()).toBe(true);
      const box = await text.boundingBox();
      expect(box, (await text.textContent()) ?? '').not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(375);
      // Readable: drawn at 9 CSS pixels or more, however the chart is scaled (or the text turned).
      const pixels = await text.evaluate((el) => {
        const m = (el as unknown as { getScreenCTM(): { a: number; b: number } }).getScreenCTM();
        return Math.hypot(m.a, m.b) * Number(el.getAttribute('font-size'));
      });
      expect(pixels).toBeGreaterThanOrEqual(9);
    }
    // The 30 days of the default range fit each chart's box: no scrolling to read them.
    const overflowing = await page.$$eval(
      '.chart-box',
      (boxes) => boxes.filter((b) => b.scrollWidth > b.clientWidth).length,
    );
    expect(overflowing).toBe(0);
    await page.locator('[data-chart="sends"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${artifacts}/dashboard-phone-charts.png` });
    await page.screenshot({ path: `${artifacts}/dashboard-phone.png`, fullPage: true });
    await context.close();
  });

  it('shows a GBP and EUR campaign per currency, never summed', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page);
    const report = await apiReport(spring);
    expect(report.totals.revenue.map((m) => `${m.currency} ${m.amount}`)).toEqual(['EUR 42.50', 'GBP 40.00']);
    await page.goto(`${base}/dashboard/campaigns/${spring}`);
    expect(await figure(page, 'main', 'revenue')).toBe('EUR 42.50, GBP 40.00');
    expect(await page.locator('[data-chart^="revenue-"] figcaption').allInnerTexts()).toEqual([
      'Revenue (EUR)',
      'Revenue (GBP)',
    ]);
    expect(await page.locator('[data-chart="revenue-EUR"] text.value').allTextContents()).toEqual([
      '30.00',
      '12.50',
    ]);
    expect(await page.locator('[data-money="all:EUR"] [data-cell="revenue"]').innerText()).toBe('EUR 42.50');
    expect(await page.locator('[data-money="all:GBP"] [data-cell="revenue"]').innerText()).toBe('GBP 40.00');
    expect(await page.locator('[data-money="all:GBP"] [data-cell="rpr-mailed"]').innerText()).toBe(
      'GBP 8.00',
    );
    expect(await page.locator('[data-money="all:GBP"] [data-cell="incremental"]').innerText()).toBe(
      'no control group',
    );
    // 42.50 + 40.00 is nowhere on the page.
    expect(await page.locator('main').innerText()).not.toContain('82.50');
    expect(await page.locator(`[data-link="${springLinks[0]}"] [data-cell="clicks"]`).innerText()).toBe('3');
    await page.screenshot({ path: `${artifacts}/dashboard-currencies.png`, fullPage: true });
    await context.close();
  });

  it('changes what it shows with the date range form', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
    const page = await context.newPage();
    await signIn(page);
    await page.goto(`${base}/dashboard/campaigns/${spring}`);
    expect(await figure(page, 'main', 'sent')).toBe('5');
    // The default: the last 30 days, in the shop's zone.
    expect(await page.inputValue('input[name=from]')).toBe('2026-05-24');
    expect(await page.inputValue('input[name=to]')).toBe('2026-06-22');

    await page.fill('input[name=from]', '2026-06-01');
    await page.fill('input[name=to]', '2026-06-01');
    await Promise.all([page.waitForURL(/from=2026-06-01&to=2026-06-01/), page.click('form.range button')]);
    const firstDay = await apiReport(spring, '?from=2026-06-01&to=2026-06-01');
    expect(firstDay.totals.sent).toBe(3);
    expect(await figure(page, 'main', 'sent')).toBe('3');
    expect(await figure(page, 'main', 'revenue')).toBe(moneyText(firstDay.totals.revenue));
    expect(await figure(page, 'main', 'revenue')).toBe('EUR 30.00, GBP 25.00');
    // The axis starts on the range's day; what followed (clicks, orders) may run past it.
    expect((await page.locator('[data-chart="sends"] text.x-tick').allTextContents())[0]).toBe('2026-06-01');
    expect(await page.locator('[data-chart="sends"] text.value').allTextContents()).toEqual(['3']);
    expect(await page.evaluate('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.screenshot({ path: `${artifacts}/dashboard-range.png`, fullPage: true });

    await Promise.all([page.waitForURL(/from=&to=/), page.click('form.range a:has-text("All time")')]);
    expect(await figure(page, 'main', 'sent')).toBe('5');
    expect(await page.inputValue('input[name=from]')).toBe('');
    await context.close();
  });
});
