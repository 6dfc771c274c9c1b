// Days are the shop's (settings.timezone), not UTC's: a message sent, opened
// and bought from at 23:30 UTC on 4 May 2026 belongs to 5 May in
// Europe/London (BST, UTC+1), in the service's daily rows, the API's JSON
// (which names the zone), `rekindle report --daily`, the dashboard's charts,
// and the from/to range.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignSet } from '../../../src/core/campaigns/types.ts';
import type { CampaignReport } from '../../../src/core/reports/types.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { buildCampaignReports } from '../../../src/services/reports/build-campaign-report.ts';
import { dormantCampaign, shopSettings } from '../support/campaign-fixtures.ts';
import { runRekindle } from '../support/cli.ts';
import { tableRows } from '../support/cli-table.ts';
import { day, ingestOrders, order, seedCustomers, seedEvent, seedMessage } from '../support/report-seed.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const lateEvening = Date.parse('2026-05-04T23:30:00Z');
const midday = Date.parse('2026-05-04T12:00:00Z');
const now = lateEvening + 10 * day;
const campaigns: CampaignSet = {
  settings: shopSettings({ timezone: 'Europe/London' }),
  campaigns: [dormantCampaign({ id: 'winback', attributionDays: 7 })],
};

let temp: TempStore;
let app: ReturnType<typeof createApp>;
let key: string;

beforeAll(async () => {
  temp = await openTempStore();
  await seedCustomers(temp.store, ['late', 'noon'], now - 400 * day);
  await seedMessage(temp.store, {
    id: 'm-late',
    campaignId: 'winback',
    customerId: 'late',
    status: 'sent',
    dueAt: lateEvening,
  });
  await seedMessage(temp.store, {
    id: 'm-noon',
    campaignId: 'winback',
    customerId: 'noon',
    status: 'sent',
    dueAt: midday,
  });
  await seedEvent(temp.store, 'm-late', 'open', lateEvening + 10 * 60_000);
  await ingestOrders(temp.store, [order('o-late', 'late', lateEvening + 20 * 60_000, 1200)], now);
  app = createApp({ store: temp.store, now: () => now, campaigns });
  key = (await createApiKey(temp.store, { name: 'm', scopes: ['reports'], now })).secret;
});
afterAll(() => temp.cleanup());

const get = (path: string) => app.request(path, { headers: { authorization: `Bearer ${key}` } });
const gbp = (amount: string, minor: number) => [{ currency: 'GBP', minor, amount }];

describe('report days in the shop time zone', () => {
  it('puts 23:30 UTC on 4 May into 5 May in Europe/London, and into 4 May in UTC', async () => {
    const [london] = await buildCampaignReports({ store: temp.store }, { campaigns, now });
    expect(london!.timeZone).toBe('Europe/London');
    expect(london!.daily).toEqual([
      { day: '2026-05-04', sends: 1, opens: 0, clicks: 0, redemptions: 0, revenue: [] },
      { day: '2026-05-05', sends: 1, opens: 1, clicks: 0, redemptions: 0, revenue: gbp('12.00', 1200) },
    ]);
    const [utc] = await buildCampaignReports({ store: temp.store }, { campaigns, now, timeZone: 'UTC' });
    expect(utc!.daily).toEqual([
      { day: '2026-05-04', sends: 2, opens: 1, clicks: 0, redemptions: 0, revenue: gbp('12.00', 1200) },
    ]);
  });

  it('the API says which zone its daily rows are in', async () => {
    const body = (await (await get('/v1/reports/campaigns/winback')).json()) as {
      timeZone: string;
      campaign: CampaignReport;
    };
    expect(body.timeZone).toBe('Europe/London');
    expect(body.campaign.timeZone).toBe('Europe/London');
    expect(body.campaign.daily.map((d) => [d.day, d.sends])).toEqual([
      ['2026-05-04', 1],
      ['2026-05-05', 1],
    ]);
  });

  it('from and to are days in that zone', async () => {
    const sentOn = async (from: string, to: string) => {
      const body = (await (await get(`/v1/reports/campaigns/winback?from=${from}&to=${to}`)).json()) as {
        from: string;
        to: string;
        campaign: CampaignReport;
      };
      expect([body.from, body.to]).toEqual([from, to]);
      return body.campaign.totals.sent;
    };
    expect(await sentOn('2026-05-05', '2026-05-05')).toBe(1);
    expect(await sentOn('2026-05-04', '2026-05-04')).toBe(1);
    expect(await sentOn('2026-05-03', '2026-05-03')).toBe(0);
    expect(await sentOn('2026-05-04', '2026-05-05')).toBe(2);
  });

  it('the dashboard shows 5 May on its chart axis and counts the late message on 5 May', async () => {
    const body = await (await get('/dashboard/campaigns/winback?from=2026-05-05&to=2026-05-05')).text();
    expect(body).toContain('data-figure="sent">1<');
    expect(body).toContain('Day (Europe/London)');
    const ticks = [...body.matchAll(/<text class="tick x-tick"[^>]*>(\d{4}-\d{2}-\d{2})</g)].map((m) => m[1]);
    expect(new Set(ticks)).toEqual(new Set(['2026-05-05']));
    expect(body).toContain('value="2026-05-05"');
  });

  it('rekindle report --daily prints the days in the shop zone and says so', {
    timeout: 60_000,
  }, async () => {
    const env = { DATABASE_URL: temp.url, CAMPAIGNS_DIR: 'campaigns', EMAILS_DIR: 'emails' };
    const run = await runRekindle(['report', '--daily', '--campaign', 'winback'], env);
    expect(run.code, run.stderr).toBe(0);
    const days = tableRows(run.stdout, /^day\s+sends/);
    expect(days.map((d) => [d.day, d.sends, d.opens, d['revenue GBP']])).toEqual([
      ['2026-05-04', '1', '0', '0.00'],
      ['2026-05-05', '1', '1', '12.00'],
    ]);
    expect(run.stdout).toContain('Days are calendar days in Europe/London.');
    const json = await runRekindle(['report', '--json', '--daily', '--from', '2026-05-05'], env);
    const parsed = JSON.parse(json.stdout) as { timeZone: string; from: string; campaigns: CampaignReport[] };
    expect(parsed.timeZone).toBe('Europe/London');
    expect(parsed.from).toBe('2026-05-05');
    expect(parsed.campaigns.find((c) => c.id === 'winback')!.totals.sent).toBe(1);
  });
});
