// The paper's CDNOW reproduction through the whole path a shop takes: the
// sample written as an orders CSV (one order per line, at midday UTC of its
// date, the amount as the total, USD), `rekindle import orders` into a real
// libSQL file, then `rekindle predict --json` through the CLI entry. The
// parameters must be the published ones (as test/unit/bg-nbd-cdnow.test.ts
// finds them from the file directly): the import's times give the core's
// summaries, since T runs in whole days to the calibration end's day, so the
// hour of an order does not matter. The calibration check over the paper's
// forecast period, and one customer's predictions against the core's
// conditional expectations for their summary. The sample is read from
// ../shared and never copied into the repository; without it the tests fail
// naming the path.
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedPurchases, probabilityAlive } from '../../../src/core/prediction/bg-nbd.ts';
import { lastFrequencyGroup } from '../../../src/core/prediction/calibration-table.ts';
import { probabilityPurchaseWithin } from '../../../src/core/prediction/customer-forecast.ts';
import { expectedAverageSpend } from '../../../src/core/prediction/gamma-gamma.ts';
import { type Purchase, summarizePurchases } from '../../../src/core/prediction/summaries.ts';
import { dayMs } from '../../../src/core/time.ts';
import { runCliInProcess } from '../support/cli.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const samplePath = fileURLToPath(new URL('../../../../shared/data/cdnow/CDNOW_sample.txt', import.meta.url));
const calibrationEnd = '1997-09-30T23:59:59Z';
const forecastEnd = '1998-06-30T23:59:59Z';

interface SampleLine {
  customerId: string;
  day: string;
  dollars: string;
}

/** Master id, sample id (1..2357), YYYYMMDD, CDs, dollars: one purchase a line. */
function sample(): SampleLine[] {
  if (!existsSync(samplePath)) {
    throw new Error(
      `the CDNOW sample is missing: expected it at ${samplePath} (see ../shared/data/cdnow/README.md)`,
    );
  }
  return readFileSync(samplePath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [, sampleId, date, , dollars] = line.trim().split(/\s+/);
      return {
        customerId: String(Number(sampleId)),
        day: `${date!.slice(0, 4)}-${date!.slice(4, 6)}-${date!.slice(6, 8)}`,
        dollars: dollars!,
      };
    });
}

/** The core's summaries straight from the file, amounts in cents as the import stores them. */
function coreSummaries(end: string) {
  const purchases: Purchase[] = sample().map((line) => ({
    customerId: line.customerId,
    at: Date.parse(`${line.day}T12:00:00Z`),
    amount: Math.round(Number(line.dollars) * 100),
  }));
  return summarizePurchases(purchases, { end: Date.parse(end), unit: 'weeks' });
}

let temp: TempStore;
let env: Record<string, string>;

beforeAll(async () => {
  temp = await openTempStore();
  env = { DATABASE_URL: temp.url, OUTBOX_DIR: join(temp.dir, 'outbox') };
  const lines = sample().map(
    (line, i) => `L${i + 1},${line.customerId},${line.day}T12:00:00Z,USD,${line.dollars}`,
  );
  const file = join(temp.dir, 'cdnow-orders.csv');
  await writeFile(file, `id,customer_id,placed_at,currency,total\n${lines.join('\n')}\n`);
  const imported = await runCliInProcess(['import', 'orders', file, '--json'], env);
  expect(imported.code, imported.stderr).toBe(0);
  const summary = JSON.parse(imported.stdout) as { rejected: number; stored: { orders: number } };
  expect(summary).toMatchObject({ rejected: 0, stored: { orders: 6919 } });
}, 120_000);

afterAll(async () => {
  await temp?.cleanup();
});

async function predict(args: string[]) {
  const run = await runCliInProcess(['predict', ...args, '--json'], env);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

/** r, α (per week), a, b as published: 0.243, 4.414, 0.793, 2.426. */
function expectPublishedPurchaseParams(params: { r: number; alpha: number; a: number; b: number }): void {
  const { r, alpha, a, b } = params;
  expect([r.toPrecision(3), alpha.toPrecision(4), a.toPrecision(3), b.toPrecision(4)]).toEqual([
    '0.243',
    '4.414',
    '0.793',
    '2.426',
  ]);
}

describe('rekindle predict on CDNOW imported with rekindle import', { timeout: 120_000 }, () => {
  it('fits the published BG/NBD and Gamma-Gamma parameters in weeks and USD', async () => {
    const out = await predict(['--now', calibrationEnd]);
    expect(out).toMatchObject({
      calibrationEnd: '1997-09-30T23:59:59.000Z',
      currency: 'USD',
      otherCurrencies: [],
      customers: 2357,
      repeatCustomers: 946,
      purchases: { timeUnit: 'weeks', usable: true, converged: true },
      spend: { moneyUnit: 'USD minor units', usable: true, converged: true, customers: 946 },
      calibration: null,
    });
    expectPublishedPurchaseParams(out.purchases.params);
    expect(out.purchases.logLikelihood.toFixed(1)).toBe('-9582.4');
    const { p, q, gamma } = out.spend.params;
    // γ is in cents, the currency's minor unit; the paper's 15.44 is in dollars.
    expect([p.toPrecision(3), q.toPrecision(3), (gamma / 100).toFixed(2)]).toEqual(['6.25', '3.74', '15.44']);
  });

  it('checks the calibration against weeks 40-78 as the paper does: in all and by frequency', async () => {
    const out = await predict(['--now', forecastEnd, '--holdout-days', '273']);
    expect(out.calibrationEnd).toBe('1997-09-30T23:59:59.000Z');
    expectPublishedPurchaseParams(out.purchases.params);
    const { rows, total, days } = out.calibration;
    expect(days).toBe(273);
    expect(rows.map((row: { frequency: string }) => row.frequency)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7+',
    ]);
    // The customers' repeat purchase days in weeks 40-78, as the core counts them from the file.
    const before = coreSummaries(calibrationEnd);
    const after = new Map(coreSummaries(forecastEnd).map((s) => [s.customerId, s.x]));
    const actual = new Array<number>(lastFrequencyGroup + 1).fill(0);
    const customers = new Array<number>(lastFrequencyGroup + 1).fill(0);
    for (const s of before) {
      const group = Math.min(s.x, lastFrequencyGroup);
      actual[group]! += after.get(s.customerId)! - s.x;
      customers[group]! += 1;
    }
    expect(rows.map((row: { actual: number }) => row.actual)).toEqual(actual);
    expect(rows.map((row: { customers: number }) => row.customers)).toEqual(customers);
    expect(total.actual).toBe(1882);
    expect(total.customers).toBe(2357);
    const sum = (key: 'actual' | 'predicted' | 'customers') =>
      rows.reduce((s: number, row: Record<string, number>) => s + row[key]!, 0);
    expect(sum('actual')).toBe(total.actual);
    expect(sum('customers')).toBe(total.customers);
    expect(sum('predicted')).toBeCloseTo(total.predicted, 9);
    // The conditional forecast the unit test finds (1,653.4), 12% below what the customers did.
    expect(total.predicted.toFixed(1)).toBe('1653.4');
    expect(Math.abs(total.predicted - total.actual) / total.actual).toBeLessThan(0.15);
    // By group as in the paper's Figure 4: predictions rise with the calibration frequency, as the actuals do.
    const perCustomer = rows.map(
      (row: { predicted: number; customers: number }) => row.predicted / row.customers,
    );
    for (let i = 1; i < perCustomer.length; i++) expect(perCustomer[i]).toBeGreaterThan(perCustomer[i - 1]);
  });

  it("gives one customer's P(alive), 90-day purchases, next order and 12-month value from the core", async () => {
    const out = await predict(['--now', calibrationEnd, '--customer', '1']);
    const summary = coreSummaries(calibrationEnd).find((s) => s.customerId === '1')!;
    const c = out.customer;
    expect(c).toMatchObject({
      id: '1',
      asOf: '1997-09-30T23:59:59.000Z',
      x: summary.x,
      tx: summary.tx,
      T: summary.T,
      firstAmountMinor: summary.firstAmount,
      repeatMeanAmountMinor: summary.repeatMeanAmount,
      holdoutPurchases: 0,
    });
    const purchases = out.purchases.params;
    const spend = out.spend.params;
    expect(c.probabilityAlive).toBe(probabilityAlive(purchases, summary));
    expect(c.expectedPurchases90Days).toBe(expectedPurchases(purchases, summary, 90 / 7));
    const value =
      expectedPurchases(purchases, summary, 52) *
      expectedAverageSpend(spend, { x: summary.x, meanAmount: summary.repeatMeanAmount });
    expect(c.expectedValue12Months).toEqual({
      currency: 'USD',
      minor: Math.round(value),
      amount: (Math.round(value) / 100).toFixed(2),
    });
    // The next order: even odds of one by then.
    expect(c.probabilityAlive).toBeGreaterThan(0.5);
    expect(probabilityPurchaseWithin(purchases, summary, c.nextOrderInWeeks)).toBeCloseTo(0.5, 12);
    const day = Date.parse('1997-09-30T00:00:00Z') + Math.round(c.nextOrderInWeeks * 7) * dayMs;
    expect(c.nextOrderDate).toBe(new Date(day).toISOString().slice(0, 10));
  });

  it('names the option when the currency or the customer has no paid order', async () => {
    const euro = await runCliInProcess(['predict', '--now', calibrationEnd, '--currency', 'EUR'], env);
    expect(euro.code).toBe(2);
    const paid = sample().filter((line) => line.day <= '1997-09-30').length;
    expect(euro.stderr).toBe(
      `rekindle: --currency: no paid order in EUR by 1997-09-30T23:59:59.000Z; paid orders by currency: USD (${paid})\n`,
    );
    const nobody = await runCliInProcess(['predict', '--now', calibrationEnd, '--customer', 'nobody'], env);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain("rekindle: --customer: customer 'nobody' has no paid order in USD");
  });

  it('prints the parameters, the verdicts and the table as text', async () => {
    const run = await runCliInProcess(
      ['predict', '--now', forecastEnd, '--holdout-days', '273', '--customer', '1'],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'purchases (BG/NBD, time in weeks): r 0.2426  alpha 4.414  a 0.7929  b 2.426',
    );
    expect(run.stdout).toContain('p 6.250  q 3.744  gamma 15.44 USD');
    expect(run.stdout).toMatch(/^all +2357 +1882 +1653\.4$/m);
    expect(run.stdout).toContain('customer 1 as of 1997-09-30T23:59:59.000Z: 2 repeat purchases');
  });
});
