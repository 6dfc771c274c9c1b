// Predict benchmark (issue 15): fitting the customer-base models (BG/NBD and
// Gamma-Gamma, core/prediction) on the demo shop's 1,000,000 customers and
// 5,000,000 orders (the sweep bench's cached shop), beside reading the same
// per-customer summaries from SQL in the same run (paid orders per customer
// and UTC day, in the currency most orders are in, paged by customer:
// services/prediction/read-customer-base.ts). ratio = fit ms / read ms;
// baseline = the read. Goal: the fit takes seconds. BENCH_PREDICT_CUSTOMERS
// sets the shop's size.

import { fitBgNbd } from '../src/core/prediction/bg-nbd.ts';
import { checkBgNbdFit } from '../src/core/prediction/fit-check.ts';
import { fitGammaGamma } from '../src/core/prediction/gamma-gamma.ts';
import { openLibsqlStore } from '../src/db/libsql.ts';
import { paidOrderCurrencies } from '../src/db/repositories/purchase-summaries.ts';
import { predictionUnit } from '../src/services/prediction/fit-customer-base.ts';
import { expand, readCustomerBase } from '../src/services/prediction/read-customer-base.ts';
import { cachedDemoDb } from './support/demo-db.ts';
import { log } from './support/log.ts';
import type { BenchResult } from './support/result.ts';

const now = Date.parse('2026-11-20T12:00:00Z');
const customers = Number(process.env.BENCH_PREDICT_CUSTOMERS ?? 1_000_000);
const goalFitMs = 10_000;

export async function run(): Promise<BenchResult> {
  const path = await cachedDemoDb({ customers, seed: 'bench', now });
  const store = await openLibsqlStore({ url: `file:${path}` });
  try {
    const [currency] = await paidOrderCurrencies(store, now);
    if (!currency) throw new Error('the bench shop has no paid orders');
    const readStarted = performance.now();
    const base = await readCustomerBase(store, {
      currency: currency.currency,
      end: now,
      until: now,
      unit: predictionUnit,
    });
    const readMs = performance.now() - readStarted;
    log(
      `read: ${base.customers.toLocaleString('en')} customers in ${currency.currency} (${base.repeatCustomers.toLocaleString('en')} with a repeat purchase), ${base.groups.size.toLocaleString('en')} distinct (x, tx, T), in ${readMs.toFixed(0)} ms`,
    );
    const fitStarted = performance.now();
    const purchases = fitBgNbd(expand(base.groups.values(), (g) => g.summary));
    const bgNbdMs = performance.now() - fitStarted;
    const spend = fitGammaGamma(expand(base.spend.values(), (g) => g.spend).filter((s) => s.meanAmount > 0));
    const fitMs = performance.now() - fitStarted;
    const p = purchases.params;
    log(
      `fit: BG/NBD r ${p.r.toFixed(3)} alpha ${p.alpha.toFixed(3)} a ${p.a.toFixed(3)} b ${p.b.toFixed(3)} (weeks) in ${bgNbdMs.toFixed(0)} ms; Gamma-Gamma p ${spend.params.p.toFixed(2)} q ${spend.params.q.toFixed(2)} gamma ${spend.params.gamma.toFixed(0)} (minor units); both in ${fitMs.toFixed(0)} ms`,
    );
    log(
      `BG/NBD: ${purchases.iterations} iterations, converged ${purchases.converged}; guard rail: ${JSON.stringify(checkBgNbdFit(purchases))}`,
    );
    log(`goal: fit within ${goalFitMs} ms ${fitMs <= goalFitMs ? 'met' : 'MISSED'}; baseline = the read`);
    return {
      name: 'predict',
      ratio: fitMs / readMs,
      figures: {
        fit_ms: Math.round(fitMs),
        bg_nbd_ms: Math.round(bgNbdMs),
        iterations: purchases.iterations,
        converged: String(purchases.converged),
        read_ms: Math.round(readMs),
        customers: base.customers,
        distinct_summaries: base.groups.size,
      },
      baseline: Math.round(readMs),
    };
  } finally {
    await store.close();
  }
}
