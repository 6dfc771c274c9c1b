// A report's date range, the same in the API, the dashboard and the CLI: from
// and to are days in the shop's time zone; the dashboard shows the last 30
// days unless asked otherwise, has a small form for the range, labels its
// chart axes and prints each bar's value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignSet } from '../../../src/core/campaigns/types.ts';
import type { CampaignReport } from '../../../src/core/reports/types.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { dormantCampaign, shopSettings } from '../support/campaign-fixtures.ts';
import { runRekindle } from '../support/cli.ts';
import { tableRows } from '../support/cli-table.ts';
import { day, seedCustomers, seedMessage } from '../support/report-seed.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

// Noon in London on 30 June 2026; messages 40, 10 and 2 days before.
const now = Date.parse('2026-06-30T11:00:00Z');
const sentDaysAgo = [40, 10, 10, 2];
const campaigns: CampaignSet = {
  settings: shopSettings({ timezone: 'Europe/London' }),
  campaigns: [dormantCampaign({ id: 'winback', name: 'We miss you', attributionDays: 7 })],
};

let temp: TempStore;
let get: (path: string) => Response | Promise<Response>;

beforeAll(async () => {
  temp = await openTempStore();
  const ids = sentDaysAgo.map((_, i) => `c${i}`);
  await seedCustomers(temp.store, ids, now - 400 * day);
  for (const [i, ago] of sentDaysAgo.entries()) {
    await seedMessage(temp.store, {
      id: `m${i}`,
      campaignId: 'winback',
      customerId: `c${i}`,
      status: 'sent',
      dueAt: now - ago * day,
    });
  }
  const app = createApp({ store: temp.store, now: () => now, campaigns });
  const key = (await createApiKey(temp.store, { name: 'm', scopes: ['reports'], now })).secret;
  get = (path) => app.request(path, { headers: { authorization: `Bearer ${key}` } });
});
afterAll(() => temp.cleanup());

const sentIn = async (query: string) => {
  const response = await get(`/v1/reports/campaigns/winback${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { campaign: CampaignReport }).campaign.totals.sent;
};

describe('the report API takes from and to', () => {
  it('counts the messages sent in the range, all of them without one', async () => {
    expect(await sentIn('')).toBe(4);
    expect(await sentIn('?from=2026-06-20&to=2026-06-20')).toBe(2);
    expect(await sentIn('?from=2026-06-21')).toBe(1);
    expect(await sentIn('?to=2026-05-21')).toBe(1);
    expect(await sentIn('?from=&to=')).toBe(4);
  });

  it.each([
    ['?from=2026-02-30', 'from', /not a real date/],
    ['?from=20-06-2026', 'from', /expected a day like 2026-05-01/],
    ['?from=2026-06-20&to=2026-06-19', 'to', /before from/],
    ['?since=2026-06-01T00:00:00Z&from=2026-06-01', 'since', /not both/],
  ])('refuses %s naming %s', async (query, field, reason) => {
    const response = await get(`/v1/reports/campaigns${query}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: string; details: { field: string; message: string }[] };
    };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.details[0]!.field).toBe(field);
    expect(body.error.details[0]!.message).toMatch(reason);
  });
});

describe('the dashboard date range', () => {
  it('shows the last 30 days by default, in a form that can change it', async () => {
    const body = await (await get('/dashboard/campaigns/winback')).text();
    expect(body).toContain('data-figure="sent">3<');
    expect(body).toContain('name="from" value="2026-06-01"');
    expect(body).toContain('name="to" value="2026-06-30"');
    expect(body).toContain('<form class="range" method="get" action="/dashboard/campaigns/winback"');
    const all = await (await get('/dashboard/campaigns/winback?from=&to=')).text();
    expect(all).toContain('data-figure="sent">4<');
    const one = await (await get('/dashboard/campaigns/winback?from=2026-06-28&to=2026-06-30')).text();
    expect(one).toContain('data-figure="sent">1<');
    // The list keeps the range on its links.
    const list = await (await get('/dashboard?from=2026-06-28&to=2026-06-30')).text();
    expect(list).toContain('href="/dashboard/campaigns/winback?from=2026-06-28&amp;to=2026-06-30"');
    expect(list).toMatch(/data-campaign="winback"[\s\S]*?data-figure="sent">1</);
  });

  it('answers a bad range with a page saying what is wrong', async () => {
    const response = await get('/dashboard/campaigns/winback?from=2026-06-31');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('from: &#39;2026-06-31&#39; is not a real date');
  });

  it('labels the chart axes and prints each bar value', async () => {
    const body = await (await get('/dashboard/campaigns/winback')).text();
    const sends = body.slice(body.indexOf('data-chart="sends"'), body.indexOf('data-chart="redemptions"'));
    expect(sends).toContain('class="axis-title x-axis"');
    expect(sends).toContain('>Day (Europe/London)</text>');
    expect(sends).toMatch(/class="axis-title y-axis"[^>]*>Messages sent</);
    // One printed value per day with sends: 2 on 20 June, 1 on 28 June; 30 days on the axis.
    const values = [...sends.matchAll(/<text class="value"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(values).toEqual(['2', '1']);
    expect(sends.match(/<rect /g)).toHaveLength(30);
    const ticks = [...sends.matchAll(/<text class="tick x-tick"[^>]*>(\d{4}-\d{2}-\d{2})</g)].map(
      (m) => m[1],
    );
    expect(ticks).toEqual(['2026-06-01', '2026-06-30']);
  });
});

describe('rekindle report --from --to', { timeout: 60_000 }, () => {
  const rekindle = (...args: string[]) =>
    runRekindle(['report', ...args], {
      DATABASE_URL: temp.url,
      CAMPAIGNS_DIR: 'campaigns',
      EMAILS_DIR: 'emails',
    });

  it('counts the messages sent in the range, and refuses a bad day naming the option', async () => {
    const run = await rekindle('--from', '2026-06-20', '--to', '2026-06-20');
    expect(run.code, run.stderr).toBe(0);
    const all = tableRows(run.stdout, /^campaign\s+step\s+scheduled/).find((r) => r.campaign === 'winback');
    expect(all!.sent).toBe('2');
    const bad = await rekindle('--to', 'tomorrow');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--to: expected a day like 2026-05-01, got 'tomorrow'/);
  });

  it('describes --from and --to in its help', async () => {
    const help = await rekindle('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--from DAY\s+only messages sent from this day on/);
    expect(help.stdout).toMatch(/--to DAY\s+only messages sent up to this day, included/);
  });
});
