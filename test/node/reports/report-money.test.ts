// Rates, money per currency, discounts and incremental revenue per recipient,
// worked out by hand for a history written row by row: 40 customers mailed,
// 30 held out, orders in GBP and EUR. Checked in the report, the API's JSON,
// `rekindle report` and the dashboard; no view ever adds GBP to EUR.
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

const t = Date.parse('2026-05-04T10:00:00Z');
const now = t + 20 * day;
const campaigns: CampaignSet = {
  settings: shopSettings(),
  campaigns: [dormantCampaign({ id: 'spring', name: 'Spring', attributionDays: 7 })],
};
const mailed = Array.from({ length: 40 }, (_, i) => `m${i}`);
const heldOut = Array.from({ length: 30 }, (_, i) => `h${i}`);
// Codes use the code alphabet (no 0 or 1): m0 -> SPRG-AAAA-2222-3333.
const code = (id: string) => `SPRG-${'ABCD'[Number(id.slice(1))]!.repeat(4)}-2222-3333`;

let temp: TempStore;
let report: CampaignReport;

beforeAll(async () => {
  temp = await openTempStore();
  await seedCustomers(temp.store, [...mailed, ...heldOut, 'n1', 'n2'], t - 400 * day);
  for (const [i, id] of mailed.entries()) {
    await seedMessage(temp.store, {
      id: `msg-${id}`,
      campaignId: 'spring',
      customerId: id,
      status: 'sent',
      dueAt: t,
      ...(i < 4 ? { couponCode: code(id) } : {}),
    });
  }
  for (const id of heldOut) {
    await seedMessage(temp.store, {
      id: `msg-${id}`,
      campaignId: 'spring',
      customerId: id,
      status: 'held_out',
      dueAt: t,
    });
  }
  // Opens by 20 people, 5 more by privacy proxies only; 8 clicks; 2 unsubscribes; 1 bounce.
  for (const id of mailed.slice(0, 20)) await seedEvent(temp.store, `msg-${id}`, 'open', t + 3_600_000);
  for (const id of mailed.slice(20, 25)) await seedEvent(temp.store, `msg-${id}`, 'open', t + 1000, true);
  for (const id of mailed.slice(0, 8)) await seedEvent(temp.store, `msg-${id}`, 'click', t + 7_200_000);
  for (const id of ['m38', 'm37']) await seedEvent(temp.store, `msg-${id}`, 'unsubscribe', t + day);
  await seedEvent(temp.store, 'msg-m39', 'bounce', t + 60_000);

  const at = t + 2 * day;
  await ingestOrders(
    temp.store,
    [
      // m0-m3 use their 15% coupon on 17.00 totals: 3.00 off each (17.00 x 15/85).
      ...mailed.slice(0, 4).map((id) => order(`o-${id}`, id, at, 1700, { discountCodes: [code(id)] })),
      ...mailed.slice(4, 10).map((id) => order(`o-${id}`, id, at, 1500)),
      ...mailed.slice(10, 15).map((id) => order(`o-${id}`, id, at, 2000, { currency: 'EUR' })),
      // m10 buys twice: one member with 30.00.
      order('o-m10-again', 'm10', at + day, 1000, { currency: 'EUR' }),
      order('o-h0', 'h0', at, 1500),
      order('o-h1', 'h1', at, 1500),
      order('o-h2', 'h2', at, 2000, { currency: 'EUR' }),
    ],
    now,
  );
  // A campaign without a holdout.
  for (const id of ['n1', 'n2']) {
    await seedMessage(temp.store, {
      id: `msg-${id}`,
      campaignId: 'solo',
      customerId: id,
      status: 'sent',
      dueAt: t,
    });
  }
  await ingestOrders(temp.store, [order('o-n1', 'n1', at, 900)], now);
  [report] = (await buildCampaignReports(
    { store: temp.store },
    { campaigns, campaignId: 'spring', now },
  )) as [CampaignReport];
});
afterAll(() => temp.cleanup());

const money = (currency: string, minor: number, amount: string) => ({ currency, minor, amount });

describe('rates a marketer expects', () => {
  it('gives each rate per message sent, and conversion per trigger instance, with its base', () => {
    const r = report.totals.rates;
    const perSent = (count: number) => ({ count, of: 40, per: 'messages sent', rate: count / 40 });
    expect(r.openedPeople).toEqual(perSent(20));
    expect(r.openedAll).toEqual(perSent(25));
    expect(r.clicked).toEqual(perSent(8));
    expect(r.unsubscribed).toEqual(perSent(2));
    expect(r.bounced).toEqual(perSent(1));
    expect(r.conversion).toEqual({ count: 15, of: 40, per: 'trigger instances mailed', rate: 15 / 40 });
    // The one step counts messages: here one per instance.
    expect(report.steps[0]!.rates.conversion).toEqual({
      count: 15,
      of: 40,
      per: 'messages mailed',
      rate: 15 / 40,
    });
  });
});

describe('money per currency', () => {
  it('sums revenue, discounts and gross per currency', () => {
    const totals = report.totals;
    expect(totals.revenue).toEqual([money('EUR', 11000, '110.00'), money('GBP', 15800, '158.00')]);
    expect(totals.discount).toEqual([money('GBP', 1200, '12.00')]);
    expect(totals.grossRevenue).toEqual([money('EUR', 11000, '110.00'), money('GBP', 17000, '170.00')]);
    expect(totals.heldOutRevenue).toEqual([money('EUR', 2000, '20.00'), money('GBP', 3000, '30.00')]);
  });

  it('gives revenue per recipient and the incremental revenue with its Welch interval', () => {
    // GBP: mailed 158.00 / 40 = 3.95, held out 30.00 / 30 = 1.00, difference 2.95.
    // Welch over members (4 x 17.00, 6 x 15.00, 30 x 0; 2 x 15.00, 28 x 0):
    // se = 1.2975, df = 62.9, t = 1.9984 -> 0.35 to 5.55.
    // EUR: mailed (30.00 + 4 x 20.00) / 40 = 2.75, held out 20.00 / 30 = 0.67,
    // difference 2.0833; se = 1.2010, df = 59.5, t = 2.0006 -> -0.64 to 4.81.
    expect(report.totals.revenuePerRecipient).toEqual([
      {
        currency: 'EUR',
        mailed: money('EUR', 275, '2.75'),
        heldOut: money('EUR', 67, '0.67'),
        incremental: {
          enough: true,
          difference: money('EUR', 208, '2.08'),
          ci95: { low: money('EUR', -64, '-0.64'), high: money('EUR', 481, '4.81') },
          significant: false,
        },
      },
      {
        currency: 'GBP',
        mailed: money('GBP', 395, '3.95'),
        heldOut: money('GBP', 100, '1.00'),
        incremental: {
          enough: true,
          difference: money('GBP', 295, '2.95'),
          ci95: { low: money('GBP', 35, '0.35'), high: money('GBP', 555, '5.55') },
          significant: true,
        },
      },
    ]);
  });

  it('says "no control group" when no one was held out', async () => {
    const [solo] = await buildCampaignReports({ store: temp.store }, { campaignId: 'solo', now });
    expect(solo!.totals.revenuePerRecipient).toEqual([
      {
        currency: 'GBP',
        mailed: money('GBP', 450, '4.50'),
        heldOut: null,
        incremental: {
          enough: false,
          noControlGroup: true,
          reason: expect.stringMatching(/^no control group/),
        },
      },
    ]);
  });
});

describe('every view shows each currency apart', () => {
  it('rekindle report prints a money row per currency, and the rates', { timeout: 60_000 }, async () => {
    const env = { DATABASE_URL: temp.url, CAMPAIGNS_DIR: 'campaigns', EMAILS_DIR: 'emails' };
    const run = await runRekindle(['report'], env);
    expect(run.code, run.stderr).toBe(0);
    const rows = tableRows(run.stdout, /^campaign\s+step\s+currency/);
    expect(rows.filter((r) => r.campaign === 'spring')).toEqual([
      {
        campaign: 'spring',
        step: 'all',
        currency: 'EUR',
        'revenue (net)': '110.00',
        discount: '0.00',
        gross: '110.00',
        held_out_revenue: '20.00',
        per_recipient_mailed: '2.75',
        per_recipient_held_out: '0.67',
        'incremental per recipient': '+EUR 2.08 (95% CI -0.64 to +4.81)',
      },
      {
        campaign: 'spring',
        step: 'all',
        currency: 'GBP',
        'revenue (net)': '158.00',
        discount: '12.00',
        gross: '170.00',
        held_out_revenue: '30.00',
        per_recipient_mailed: '3.95',
        per_recipient_held_out: '1.00',
        'incremental per recipient': '+GBP 2.95 (95% CI +0.35 to +5.55)',
      },
    ]);
    expect(rows.find((r) => r.campaign === 'solo')!['incremental per recipient']).toBe('no control group');
    const rates = tableRows(run.stdout, /^campaign\s+step\s+sent\s+opened/);
    expect(rates.find((r) => r.campaign === 'spring')).toMatchObject({
      sent: '40',
      'opened (people)': '50.0%',
      'opened (incl. proxies)': '62.5%',
      clicked: '20.0%',
      unsub: '5.0%',
      bounced: '2.5%',
      conversion: '37.5%',
    });
    expect(run.stdout).toMatch(/rates are per message sent/);
    // 158.00 + 110.00: a sum across currencies appears nowhere.
    expect(run.stdout).not.toContain('268.00');
  });

  it('the API answers the same report; the dashboard draws a revenue chart and a money row per currency', async () => {
    const app = createApp({ store: temp.store, now: () => now, campaigns });
    const key = (await createApiKey(temp.store, { name: 'm', scopes: ['reports'], now })).secret;
    const get = (path: string) => app.request(path, { headers: { authorization: `Bearer ${key}` } });
    const api = (await (await get('/v1/reports/campaigns/spring')).json()) as { campaign: CampaignReport };
    expect(api.campaign.totals).toEqual(JSON.parse(JSON.stringify(report.totals)));

    const body = await (await get('/dashboard/campaigns/spring')).text();
    expect([...body.matchAll(/data-chart="(revenue-\w+)"/g)].map((m) => m[1])).toEqual([
      'revenue-EUR',
      'revenue-GBP',
    ]);
    expect(body).toContain('Revenue, EUR');
    expect(body).toContain('Revenue, GBP');
    const cell = (row: string, name: string) =>
      new RegExp(`data-money="${row}"[\\s\\S]*?data-cell="${name}">([^<]*)<`).exec(body)?.[1];
    expect(cell('all:GBP', 'revenue')).toBe('GBP 158.00');
    expect(cell('all:GBP', 'discount')).toBe('GBP 12.00');
    expect(cell('all:GBP', 'gross')).toBe('GBP 170.00');
    expect(cell('all:GBP', 'rpr-mailed')).toBe('GBP 3.95');
    expect(cell('all:GBP', 'incremental')).toBe('+GBP 2.95 (95% CI +0.35 to +5.55)');
    expect(cell('all:EUR', 'revenue')).toBe('EUR 110.00');
    expect(cell('all:EUR', 'rpr-held-out')).toBe('EUR 0.67');
    expect(body).toMatch(/data-rates="all"[\s\S]*?data-cell="opened-people">50\.0%</);
    expect(body).toMatch(/data-rates="all"[\s\S]*?data-cell="bounced">2\.5%</);
    // The chart's printed values are the day's amounts in each currency.
    expect(body).toMatch(/data-chart="revenue-GBP"[\s\S]*?<text class="value"[^>]*>158\.00</);
    expect(body).toMatch(/data-chart="revenue-EUR"[\s\S]*?<text class="value"[^>]*>100\.00</);
    expect(body).not.toContain('268.00');
  });
});
