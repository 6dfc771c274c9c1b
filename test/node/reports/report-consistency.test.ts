// The report's "all" row, its footnote and the lift line count the same
// things: the row's message columns add up the steps' messages, its
// conversion columns are the lift's trigger instances, and the footnote says
// which is which. Checked on `rekindle report` run as a process and on the
// dashboard page, against the report's JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignSet } from '../../../src/core/campaigns/types.ts';
import { fractionText, reportNotes } from '../../../src/core/reports/format.ts';
import type { CampaignReport } from '../../../src/core/reports/types.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { dormantCampaign, shopSettings } from '../support/campaign-fixtures.ts';
import { runRekindle } from '../support/cli.ts';
import { tableRows } from '../support/cli-table.ts';
import { day, scenarioStart, seedMessage, seedReportScenario } from '../support/report-seed.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
let table: string;
let json: { campaigns: CampaignReport[] };

beforeAll(async () => {
  temp = await openTempStore();
  await seedReportScenario(temp.store);
  // A held-out cart series: two held-out messages, one trigger instance.
  for (const step of [0, 1]) {
    await seedMessage(temp.store, {
      id: `kh${step}`,
      campaignId: 'cart',
      customerId: 'h1',
      status: 'held_out',
      dueAt: scenarioStart + step * day,
      step,
      triggerRef: 'cart-h1',
    });
  }
  const env = { DATABASE_URL: temp.url, CAMPAIGNS_DIR: 'campaigns', EMAILS_DIR: 'emails' };
  const [printed, asJson] = await Promise.all([
    runRekindle(['report'], env),
    runRekindle(['report', '--json'], env),
  ]);
  expect(printed.code, printed.stderr).toBe(0);
  expect(asJson.code, asJson.stderr).toBe(0);
  table = printed.stdout;
  json = JSON.parse(asJson.stdout);
}, 60_000);
afterAll(() => temp.cleanup());

/** As hono's html template writes text. */
const escaped = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll("'", '&#39;').replaceAll('<', '&lt;');

const messageColumns = ['scheduled', 'held_out', 'sent', 'failed', 'delivered', 'clicked', 'unsub'];

describe('rekindle report: what the "all" row counts', () => {
  it('adds up the steps in its message columns', () => {
    const rows = tableRows(table, /^campaign\s+step\s+scheduled/);
    const cart = rows.filter((r) => r.campaign === 'cart');
    expect(cart.map((r) => r.step)).toEqual(['all', '1', '2']);
    const [all, ...steps] = cart;
    for (const column of messageColumns) {
      const sum = steps.reduce((total, r) => total + Number(r[column]), 0);
      expect(Number(all![column]), column).toBe(sum);
    }
    // Held out counts messages here: two, for one held-out trigger instance.
    expect(all!.held_out).toBe('2');
    const report = json.campaigns.find((c) => c.id === 'cart')!;
    expect(Number(all!.sent)).toBe(report.totals.sent);
  });

  it('counts trigger instances in its conversion columns, the same ones the lift line shows', () => {
    const rows = tableRows(table, /^campaign\s+step\s+scheduled/);
    for (const report of json.campaigns) {
      const all = rows.find((r) => r.campaign === report.id && r.step === 'all')!;
      const { mailed, heldOut } = report.totals.conversion;
      expect(all.unit).toBe('trigger instances');
      expect(all.conv_mailed).toBe(fractionText(mailed));
      expect(all.conv_holdout).toBe(fractionText(heldOut));
      // The lift line names the same groups, in the same unit.
      expect(table).toContain(
        `  converted, trigger instances: mailed ${all.conv_mailed}, held out ${all.conv_holdout}\n`,
      );
      for (const step of rows.filter((r) => r.campaign === report.id && r.step !== 'all')) {
        expect(step.unit).toBe('messages');
      }
    }
    // cart: three messages sent to two trigger instances; two held-out messages, one instance.
    const cart = json.campaigns.find((c) => c.id === 'cart')!;
    expect([cart.totals.sent, cart.totals.conversion.mailed.size]).toEqual([3, 2]);
    expect([cart.totals.heldOut, cart.totals.conversion.heldOut.size]).toEqual([2, 1]);
    expect(rows.find((r) => r.campaign === 'cart' && r.step === 'all')!.conv_mailed).toBe('1/2 (50.0%)');
  });

  it('says so in its footnote, in the words the dashboard uses', () => {
    for (const note of Object.values(reportNotes)) expect(table).toContain(`${note}\n`);
    expect(table).not.toContain('"all" counts trigger instances');
  });
});

describe('the dashboard says the same', () => {
  it('shows the lift groups in trigger instances and the step counts in messages, with the notes', async () => {
    const now = scenarioStart + 20 * day;
    const campaigns: CampaignSet = {
      settings: shopSettings(),
      campaigns: [dormantCampaign({ id: 'winback', attributionDays: 7 })],
    };
    const app = createApp({ store: temp.store, now: () => now, campaigns });
    const key = (await createApiKey(temp.store, { name: 'm', scopes: ['reports'], now })).secret;
    const body = await (
      await app.request('/dashboard/campaigns/cart?from=&to=', {
        headers: { authorization: `Bearer ${key}` },
      })
    ).text();
    const report = json.campaigns.find((c) => c.id === 'cart')!;
    expect(body).toContain('<th>Trigger instances</th>');
    expect(body).toMatch(new RegExp(`data-figure="mailed-size">${report.totals.conversion.mailed.size}<`));
    expect(body).toMatch(new RegExp(`data-figure="holdout-size">${report.totals.conversion.heldOut.size}<`));
    expect(body).toContain(`of ${report.totals.conversion.mailed.size} trigger instances`);
    expect(body).toContain(escaped(reportNotes.messages));
    expect(body).toContain(escaped(reportNotes.conversion));
  });
});
