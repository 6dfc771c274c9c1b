// rekindle predict: the customer-base models fitted on the shop's paid orders
// (services/prediction/fit-customer-base.ts): their parameters with the time
// unit, each guard rail's verdict, the calibration check's table when asked
// for, and one customer's predictions. Exit code 1 when the purchase model is
// refused (too little history: nothing it says may be used), 0 otherwise,
// even when only the spend model is refused (its values are then absent).
import { currencyExponent, fromMinorUnits } from '../core/money.ts';
import { formatInstant } from '../core/time.ts';
import {
  type CustomerBaseFit,
  type FitCustomerBaseResult,
  fitCustomerBase,
  forecastHorizons,
  predictionUnit,
  purchaseHorizonDays,
} from '../services/prediction/fit-customer-base.ts';
import { parseCommandLine, parseNowOption } from './args.ts';
import { type CliIO, type Command, printJson, printTable, UsageError } from './io.ts';

const usage =
  'usage: rekindle predict [--now ISO] [--json] [--customer ID] [--holdout-days N] [--currency CODE]';

export const predictCommand: Command = async (argv, io) => {
  const { values } = parseCommandLine(argv, {
    usage,
    options: {
      now: { type: 'string' },
      json: { type: 'boolean' },
      customer: { type: 'string' },
      'holdout-days': { type: 'string' },
      currency: { type: 'string' },
    },
  });
  const now = parseNowOption(values.now, io);
  const holdoutDays = parseHoldoutDays(values['holdout-days']);
  if (values.currency !== undefined && !/^[A-Za-z]{3}$/.test(values.currency)) {
    throw new UsageError(`--currency must be a three-letter currency code, got '${values.currency}'`);
  }
  if (values.customer !== undefined && values.customer.trim() === '') {
    throw new UsageError('--customer needs a customer id');
  }
  const store = await io.openStore();
  let result: FitCustomerBaseResult;
  try {
    result = await fitCustomerBase(
      { store },
      { now, holdoutDays, currency: values.currency, customerId: values.customer },
    );
  } finally {
    await store.close();
  }
  if (!result.ok) throw new UsageError(`--${result.field}: ${result.reason}`);
  if (values.json) printJson(io, predictionJson(result));
  else printPrediction(io, result);
  const verdict = result.purchases.verdict;
  if (verdict.usable) return 0;
  io.stderr.write(`rekindle: ${verdict.reason}\n`);
  return 1;
};

function parseHoldoutDays(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const days = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(days) || days < 1) {
    throw new UsageError(`--holdout-days must be a whole number of days, 1 or more, got '${text}'`);
  }
  return days;
}

/** Everything the text shows, with full-precision numbers; money in the currency's minor units. */
export function predictionJson(fit: CustomerBaseFit) {
  const { purchases, spend, currency } = fit;
  return {
    now: formatInstant(fit.now),
    calibrationEnd: formatInstant(fit.calibrationEnd),
    currency,
    otherCurrencies: fit.otherCurrencies,
    customers: fit.customers,
    repeatCustomers: fit.repeatCustomers,
    purchases: {
      model: 'BG/NBD',
      timeUnit: predictionUnit,
      params: purchases.fit?.params ?? null,
      logLikelihood: purchases.fit?.logLikelihood ?? null,
      converged: purchases.fit?.converged ?? null,
      iterations: purchases.fit?.iterations ?? null,
      ...purchases.verdict,
    },
    spend: {
      model: 'Gamma-Gamma',
      // γ is a money amount: in the currency's minor units, like every amount here.
      moneyUnit: currency === null ? null : `${currency} minor units`,
      params: spend.fit?.params ?? null,
      logLikelihood: spend.fit?.logLikelihood ?? null,
      converged: spend.fit?.converged ?? null,
      iterations: spend.fit?.iterations ?? null,
      customers: spend.fit?.customers ?? 0,
      ...spend.verdict,
    },
    calibration:
      fit.calibration === null
        ? null
        : {
            from: formatInstant(fit.calibrationEnd),
            until: formatInstant(fit.now),
            ...fit.calibration,
          },
    ...(fit.customer === null ? {} : { customer: customerJson(fit) }),
  };
}

function customerJson(fit: CustomerBaseFit) {
  const { customerId, summary, holdoutPurchases, forecast } = fit.customer!;
  const currency = fit.currency!;
  const value = forecast?.expectedValue ?? null;
  return {
    id: customerId,
    asOf: formatInstant(fit.calibrationEnd),
    x: summary.x,
    tx: summary.tx,
    T: summary.T,
    firstAmountMinor: summary.firstAmount,
    repeatMeanAmountMinor: summary.repeatMeanAmount,
    holdoutPurchases,
    probabilityAlive: forecast?.probabilityAlive ?? null,
    expectedPurchases90Days: forecast?.expectedPurchases ?? null,
    nextOrderDate: forecast?.nextOrderDate ?? null,
    nextOrderInWeeks: forecast?.nextOrderIn ?? null,
    expectedValue12Months:
      value === null
        ? null
        : { currency, minor: Math.round(value), amount: fromMinorUnits(Math.round(value), currency) },
  };
}

function printPrediction(io: CliIO, fit: CustomerBaseFit): void {
  const write = (text: string) => io.stdout.write(`${text}\n`);
  const { purchases, spend, currency } = fit;
  write(
    `${currency ?? 'no currency'}: ${fit.customers} customers with a paid order by ${formatInstant(fit.calibrationEnd)}, ${fit.repeatCustomers} of them with a repeat purchase`,
  );
  if (fit.otherCurrencies.length > 0) {
    const others = fit.otherCurrencies.map((c) => `${c.currency} ${c.paidOrders}`).join(', ');
    write(`not fitted (money is never added across currencies; --currency fits one): paid orders ${others}`);
  }
  const p = purchases.fit?.params;
  write(
    `\npurchases (BG/NBD, time in ${predictionUnit}): ${p ? `r ${n(p.r)}  alpha ${n(p.alpha)}  a ${n(p.a)}  b ${n(p.b)}  log-likelihood ${purchases.fit!.logLikelihood.toFixed(2)}` : '-'}`,
  );
  write(`  ${verdictText(purchases.verdict)}`);
  const s = spend.fit?.params;
  const gamma = s && currency ? `${n(s.gamma / 10 ** currencyExponent(currency))} ${currency}` : '';
  write(
    `spend (Gamma-Gamma, on ${spend.fit?.customers ?? 0} customers with a repeat purchase): ${s ? `p ${n(s.p)}  q ${n(s.q)}  gamma ${gamma}  log-likelihood ${spend.fit!.logLikelihood.toFixed(2)}` : '-'}`,
  );
  write(`  ${verdictText(spend.verdict)}`);
  if (fit.calibration) {
    const { days, rows, total } = fit.calibration;
    write(
      `\ncalibration check: fitted to ${formatInstant(fit.calibrationEnd)}, repeat purchases in the next ${days} days (to ${formatInstant(fit.now)})`,
    );
    printTable(
      io,
      [...rows, { frequency: 'all', ...total }].map((row) => ({
        'repeat purchases before': row.frequency,
        customers: row.customers,
        actual: row.actual,
        predicted: row.predicted.toFixed(1),
      })),
    );
  }
  if (fit.customer) printCustomer(io, fit);
}

function printCustomer(io: CliIO, fit: CustomerBaseFit): void {
  const { customerId, summary, forecast } = fit.customer!;
  const json = customerJson(fit);
  io.stdout.write(
    `\ncustomer ${customerId} as of ${json.asOf}: ${summary.x} repeat purchase${summary.x === 1 ? '' : 's'} (purchase days after the first); first ${n(summary.T)} weeks before, the last ${n(summary.tx)} weeks after the first\n`,
  );
  if (!forecast) {
    io.stdout.write('  no predictions: the purchase model is not used\n');
    return;
  }
  const value = json.expectedValue12Months;
  printTable(io, [
    { figure: 'P(alive)', value: n(forecast.probabilityAlive) },
    { figure: `expected purchases, next ${purchaseHorizonDays} days`, value: n(forecast.expectedPurchases) },
    {
      figure: 'next order (even odds of one by then)',
      value: forecast.nextOrderDate ?? 'none in two years, or more likely gone than not',
    },
    {
      figure: `expected value, next ${forecastHorizons.value} weeks`,
      value: value ? `${value.amount} ${value.currency}` : 'none: the spend model is not used',
    },
  ]);
}

function verdictText(verdict: CustomerBaseFit['purchases']['verdict']): string {
  return verdict.usable ? 'usable' : `not used: ${verdict.reason}`;
}

function n(value: number): string {
  return value.toPrecision(4);
}
