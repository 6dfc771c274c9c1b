import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignSet } from '../../../src/core/campaigns/types.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { buildCampaignReports } from '../../../src/services/reports/build-campaign-report.ts';
import { dormantCampaign, shopSettings } from '../support/campaign-fixtures.ts';
import { runRekindle } from '../support/cli.ts';
import {
  day,
  ingestOrders,
  order,
  scenarioStart,
  seedCustomers,
  seedMessage,
  seedReportScenario,
} from '../support/report-seed.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const now = scenarioStart + 20 * day;
const campaigns: CampaignSet = {
  settings: shopSettings(),
  campaigns: [dormantCampaign({ id: 'winback', name: 'We miss you', attributionDays: 7 })],
};

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await seedReportScenario(temp.store);
});
afterEach(() => temp.cleanup());

describe('campaign report figures', () => {
  it('counts statuses, events, redemptions, revenue and conversion as worked out by hand', async () => {
    const reports = await buildCampaignReports({ store: temp.store }, { campaigns, now });
    expect(reports.map((r) => [r.id, r.name])).toEqual([
      ['cart', null],
      ['winback', 'We miss you'],
    ]);
    const winback = reports[1]!;
    expect(winback.totals).toMatchObject({
      scheduled: 6,
      heldOut: 2,
      heldOutDue: 2,
      pending: 1,
      sent: 4,
      failed: 1,
      cancelled: 0,
      delivered: 1,
      opened: 2,
      openedExcludingProxy: 1,
      clicked: 1,
      unsubscribed: 1,
      complained: 1,
      redeemed: 1,
      influenced: 1,
      revenue: [
        { currency: 'EUR', minor: 2000, amount: '20.00' },
        { currency: 'GBP', minor: 3400, amount: '34.00' },
      ],
      redeemedRevenue: [{ currency: 'GBP', minor: 3400, amount: '34.00' }],
      heldOutRevenue: [{ currency: 'GBP', minor: 1000, amount: '10.00' }],
    });
    expect(winback.totals.conversion).toMatchObject({
      mailed: { size: 4, converted: 2, rate: 0.5 },
      heldOut: { size: 2, converted: 1, rate: 0.5 },
      lift: { enough: false, reason: expect.stringMatching(/^not enough data/) },
    });
    // The daily series adds up to the totals.
    expect(winback.daily).toEqual([
      {
        day: '2026-05-04',
        sends: 2,
        opens: 1,
        clicks: 0,
        redemptions: 0,
        revenue: [],
      },
      { day: '2026-05-05', sends: 2, opens: 1, clicks: 1, redemptions: 0, revenue: [] },
      {
        day: '2026-05-06',
        sends: 0,
        opens: 0,
        clicks: 0,
        redemptions: 1,
        revenue: [{ currency: 'GBP', minor: 3400, amount: '34.00' }],
      },
      {
        day: '2026-05-10',
        sends: 0,
        opens: 0,
        clicks: 0,
        redemptions: 0,
        revenue: [{ currency: 'EUR', minor: 2000, amount: '20.00' }],
      },
    ]);
  });

  it('reports a series per step and counts a customer once per trigger instance in the totals', async () => {
    const [cart] = await buildCampaignReports({ store: temp.store }, { campaignId: 'cart', now });
    expect(cart!.attributionDays).toBe(7);
    expect(cart!.steps.map((s) => [s.step, s.sent, s.conversion.mailed.converted, s.influenced])).toEqual([
      [0, 2, 0, 0],
      [1, 1, 1, 1],
    ]);
    expect(cart!.totals.conversion.mailed).toEqual({ size: 2, converted: 1, rate: 0.5 });
    expect(cart!.totals.sent).toBe(3);
  });

  it('--since keeps messages sent from then on and what followed them', async () => {
    const reports = await buildCampaignReports(
      { store: temp.store },
      { campaigns, now, since: scenarioStart + day },
    );
    const winback = reports.find((r) => r.id === 'winback')!;
    expect(winback.totals).toMatchObject({
      sent: 2,
      heldOut: 0,
      unsubscribed: 1,
      redeemed: 0,
      influenced: 0,
    });
    expect(reports.find((r) => r.id === 'cart')!.totals.sent).toBe(1);
  });

  it('computes the lift once both groups are large enough', async () => {
    const t = scenarioStart + 30 * day;
    const ids = Array.from({ length: 70 }, (_, i) => `big-${i}`);
    await seedCustomers(temp.store, ids, t - 400 * day);
    for (const [i, id] of ids.entries()) {
      const heldOut = i >= 40;
      await seedMessage(temp.store, {
        id: `m-${id}`,
        campaignId: 'lift',
        customerId: id,
        status: heldOut ? 'held_out' : 'sent',
        dueAt: t,
      });
    }
    // 10 of 40 mailed buy, 2 of 30 held out buy.
    const buyers = [...ids.slice(0, 10), ...ids.slice(40, 42)];
    await ingestOrders(
      temp.store,
      buyers.map((id) => order(`o-${id}`, id, t + day, 1500)),
      t + day,
    );
    const [lift] = await buildCampaignReports(
      { store: temp.store },
      { campaignId: 'lift', now: t + 10 * day },
    );
    const result = lift!.totals.conversion.lift;
    expect(result.enough).toBe(true);
    if (!result.enough) return;
    expect(result.absolute).toBeCloseTo(10 / 40 - 2 / 30, 12);
    expect(result.ci95.low).toBeLessThan(result.absolute);
    expect(result.ci95.high).toBeGreaterThan(result.absolute);
  });
});

describe('GET /v1/reports/campaigns', () => {
  it('needs the reports scope and answers totals, steps and the daily series', async () => {
    const deps = { store: temp.store, now: () => now, campaigns };
    const app = createApp(deps);
    const reports = (await createApiKey(temp.store, { name: 'analyst', scopes: ['reports'], now })).secret;
    const ingest = (await createApiKey(temp.store, { name: 'shop', scopes: ['ingest'], now })).secret;
    const get = (path: string, key?: string) =>
      app.request(path, { headers: key ? { authorization: `Bearer ${key}` } : {} });

    expect((await get('/v1/reports/campaigns')).status).toBe(401);
    expect((await get('/v1/reports/campaigns', ingest)).status).toBe(403);

    const list = await get('/v1/reports/campaigns', reports);
    expect(list.status).toBe(200);
    const listBody = (await list.json()) as { generatedAt: string; since: null; campaigns: { id: string }[] };
    expect(listBody.generatedAt).toBe(new Date(now).toISOString());
    expect(listBody.campaigns.map((c) => c.id)).toEqual(['cart', 'winback']);
    expect(listBody.campaigns[0]).not.toHaveProperty('daily');

    const one = await get('/v1/reports/campaigns/winback?since=2026-05-01T00:00:00Z', reports);
    expect(one.status).toBe(200);
    const oneBody = (await one.json()) as { since: string; campaign: Record<string, unknown> };
    expect(oneBody.since).toBe('2026-05-01T00:00:00.000Z');
    const direct = await buildCampaignReports(
      { store: temp.store },
      { campaigns, campaignId: 'winback', now },
    );
    expect(oneBody.campaign).toEqual(JSON.parse(JSON.stringify(direct[0])));

    const missing = await get('/v1/reports/campaigns/nope', reports);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const bad = await get('/v1/reports/campaigns?since=yesterday', reports);
    expect(bad.status).toBe(400);
  });
});

describe('rekindle report', { timeout: 60_000 }, () => {
  const rekindle = (...args: string[]) =>
    runRekindle(['report', ...args], {
      DATABASE_URL: temp.url,
      CAMPAIGNS_DIR: 'campaigns',
      EMAILS_DIR: 'emails',
    });

  it('--json gives the same figures as the API, with names from the campaign files', async () => {
    const run = await rekindle('--json', '--daily', '--campaign', 'winback');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as {
      campaigns: { id: string; name: string; totals: object; daily: unknown[] }[];
    };
    expect(body.campaigns).toHaveLength(1);
    const winback = body.campaigns[0]!;
    expect(winback).toMatchObject({ id: 'winback', name: 'We miss you' });
    expect(winback.totals).toMatchObject({ sent: 4, redeemed: 1, influenced: 1, openedExcludingProxy: 1 });
    expect(winback.daily).toHaveLength(4);
  });

  it('prints a table per campaign and step, and refuses a bad --since', async () => {
    const run = await rekindle();
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^campaign\s+step\s+scheduled\s+held_out\s+sent/);
    // The two open counts, labelled as on the dashboard.
    expect(lines[0]).toMatch(/\s+opened \(people\)\s+opened \(incl\. proxies\)\s+/);
    expect(lines.some((l) => /^winback\s+all\s+6\s+2\s+4\s+1\s/.test(l))).toBe(true);
    expect(lines.some((l) => /^cart\s+2\s/.test(l))).toBe(true);
    expect(run.stdout).toMatch(/winback \(We miss you\): lift - not enough data: needs at least 30 mailed/);
    const bad = await rekindle('--since', 'last week');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since/);
  });
});
