// Clicks per link: a click stores the index of the link in the message's
// stored links, so the report names each URL with its clicks and the people
// who clicked. A link only one person clicked (here a cart's recovery link
// with a code in it) is summed, never named, in the JSON, the CLI and the
// dashboard.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignReport } from '../../../src/core/reports/types.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { buildCampaignReports } from '../../../src/services/reports/build-campaign-report.ts';
import { runRekindle } from '../support/cli.ts';
import { tableRows } from '../support/cli-table.ts';
import { day, seedCustomers, seedEvent, seedMessage } from '../support/report-seed.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const t = Date.parse('2026-05-04T10:00:00Z');
const now = t + 10 * day;
const shop = 'https://shop.example/new?utm_source=rekindle';
const privacy = 'https://shop.example/privacy';
const recovery = (id: string) => `https://shop.example/cart/c/TOKEN-${id}?discount=CART-${id}`;

let temp: TempStore;

beforeAll(async () => {
  temp = await openTempStore();
  await seedCustomers(temp.store, ['a1', 'a2', 'a3', 'a4'], t - 400 * day);
  for (const id of ['a1', 'a2', 'a3']) {
    await seedMessage(temp.store, {
      id: `m-${id}`,
      campaignId: 'winback',
      customerId: id,
      status: 'sent',
      dueAt: t,
      links: [shop, privacy, recovery(id)],
    });
  }
  const click = (id: string, link: number, minutes: number) =>
    seedEvent(temp.store, `m-${id}`, 'click', t + minutes * 60_000, false, link);
  await click('a1', 0, 1);
  await click('a1', 0, 2);
  await click('a2', 0, 3);
  await click('a3', 0, 4);
  await click('a1', 1, 5);
  await click('a2', 1, 6);
  await click('a1', 2, 7);
  // A click past the stored links, and a message whose links are not JSON: counted nowhere, no error.
  await click('a2', 9, 8);
  await seedMessage(temp.store, {
    id: 'm-a4',
    campaignId: 'winback',
    customerId: 'a4',
    status: 'sent',
    dueAt: t,
  });
  await temp.store.db.run(sql`update messages set links = 'not json' where id = 'm-a4'`);
  await seedEvent(temp.store, 'm-a4', 'click', t + 60_000, false, 0);
});
afterAll(() => temp.cleanup());

const expected = {
  links: [
    { url: shop, people: 3, clicks: 4 },
    { url: privacy, people: 2, clicks: 2 },
  ],
  fewPeople: { links: 1, clicks: 1 },
};

describe('clicks per link', () => {
  it('names each link clicked by two people or more, with people and clicks; sums the rest', async () => {
    const [report] = await buildCampaignReports({ store: temp.store }, { campaignId: 'winback', now });
    expect(report!.links).toEqual(expected);
    // Clicked counts messages with a click; the links count every click.
    expect(report!.totals.clicked).toBe(4);
  });

  it('the API and the dashboard show the same, and never the recovery link', async () => {
    const app = createApp({ store: temp.store, now: () => now });
    const key = (await createApiKey(temp.store, { name: 'm', scopes: ['reports'], now })).secret;
    const get = (path: string) => app.request(path, { headers: { authorization: `Bearer ${key}` } });
    const api = await (await get('/v1/reports/campaigns/winback')).text();
    expect((JSON.parse(api) as { campaign: CampaignReport }).campaign.links).toEqual(expected);
    expect(api).not.toContain('TOKEN-');

    const body = await (await get('/dashboard/campaigns/winback')).text();
    const rows = [
      ...body.matchAll(
        /<tr data-link="([^"]+)">[\s\S]*?data-cell="people">(\d+)<[\s\S]*?data-cell="clicks">(\d+)</g,
      ),
    ];
    expect(rows.map((m) => [m[1]!.replaceAll('&amp;', '&'), Number(m[2]), Number(m[3])])).toEqual([
      [shop, 3, 4],
      [privacy, 2, 2],
    ]);
    expect(body).toContain('data-few-links="1"');
    expect(body).not.toContain('TOKEN-');
  });

  it('rekindle report prints them under the campaign', { timeout: 60_000 }, async () => {
    const run = await runRekindle(['report', '--campaign', 'winback'], {
      DATABASE_URL: temp.url,
      CAMPAIGNS_DIR: 'campaigns',
      EMAILS_DIR: 'emails',
    });
    expect(run.code, run.stderr).toBe(0);
    expect(tableRows(run.stdout, /^link\s+people\s+clicks/)).toEqual([
      { link: shop, people: '3', clicks: '4' },
      { link: privacy, people: '2', clicks: '2' },
    ]);
    expect(run.stdout).toContain('(and 1 link clicked by fewer than 2 people, not named: 1 click)');
    expect(run.stdout).not.toContain('TOKEN-');
  });
});
