// Fits the shop's customer base at a calibration end: BG/NBD for repeat
// purchases and dropout, Gamma-Gamma for spend, both in weeks, on one
// currency's paid orders (money is never added across currencies; without a
// currency asked for, the one most paid orders are in, the others named so
// each can be fitted in turn). The guard rails (core/prediction/fit-check.ts)
// decide whether each model is used. With a calibration check the fit ends
// holdoutDays before `now` and its predictions for the customers of that
// time are set against what they did until `now`; per customer predictions
// are as of the calibration end either way. Reads only.
import { type BgNbdFit, fitBgNbd } from '../../core/prediction/bg-nbd.ts';
import { type CalibrationTable, calibrationTable } from '../../core/prediction/calibration-table.ts';
import { type CustomerForecast, forecastCustomer } from '../../core/prediction/customer-forecast.ts';
import {
  checkBgNbdFit,
  checkGammaGammaFit,
  type FitVerdict,
  refuse,
} from '../../core/prediction/fit-check.ts';
import { fitGammaGamma, type GammaGammaFit } from '../../core/prediction/gamma-gamma.ts';
import { type CustomerSummary, unitDays, utcDayNumber } from '../../core/prediction/summaries.ts';
import { dayMs, formatInstant, utcDay } from '../../core/time.ts';
import { type CurrencyOrders, paidOrderCurrencies } from '../../db/repositories/purchase-summaries.ts';
import type { Store } from '../../db/store.ts';
import { expand, readCustomerBase } from './read-customer-base.ts';

/** The models' time unit, the papers' own. */
export const predictionUnit = 'weeks' as const;
const perUnit = unitDays[predictionUnit];

/** The expected purchases' horizon, in days. */
export const purchaseHorizonDays = 90;

/** In the unit: expected purchases over 90 days, a year's value over 52 weeks, a next order within two years. */
export const forecastHorizons = {
  purchases: purchaseHorizonDays / perUnit,
  value: 52,
  nextOrderWithin: 104,
} as const;

export interface FitCustomerBaseInput {
  now: number;
  /** Fit up to now − holdoutDays and check the predictions against the days after. */
  holdoutDays?: number | undefined;
  /** The currency to fit (ISO code); the most used one when absent. */
  currency?: string | undefined;
  customerId?: string | undefined;
}

export interface CustomerPrediction {
  customerId: string;
  summary: CustomerSummary;
  /** Their repeat purchase days in the holdout period (0 without a calibration check). */
  holdoutPurchases: number;
  /** Null when the purchase model is not used. */
  forecast: (CustomerForecast & { nextOrderDate: string | null }) | null;
}

export interface CustomerBaseFit {
  ok: true;
  now: number;
  calibrationEnd: number;
  /** Null when the shop has no paid order at all by `now`. */
  currency: string | null;
  /** Paid orders in the currencies not fitted. */
  otherCurrencies: CurrencyOrders[];
  customers: number;
  repeatCustomers: number;
  purchases: { fit: BgNbdFit | null; verdict: FitVerdict };
  spend: { fit: GammaGammaFit | null; verdict: FitVerdict };
  calibration: (CalibrationTable & { days: number }) | null;
  customer: CustomerPrediction | null;
}

export type FitCustomerBaseResult =
  | CustomerBaseFit
  | { ok: false; field: 'currency' | 'customer'; reason: string };

export async function fitCustomerBase(
  ports: { store: Store },
  input: FitCustomerBaseInput,
): Promise<FitCustomerBaseResult> {
  const { now } = input;
  const calibrationEnd = now - (input.holdoutDays ?? 0) * dayMs;
  const currencies = await paidOrderCurrencies(ports.store, now);
  const wanted = input.currency?.toUpperCase();
  const currency = wanted ?? currencies[0]?.currency ?? null;
  if (wanted !== undefined && !currencies.some((c) => c.currency === wanted)) {
    const known = currencies.map((c) => `${c.currency} (${c.paidOrders})`).join(', ') || 'none';
    return {
      ok: false,
      field: 'currency',
      reason: `no paid order in ${wanted} by ${formatInstant(now)}; paid orders by currency: ${known}`,
    };
  }
  const fit: CustomerBaseFit = {
    ok: true,
    now,
    calibrationEnd,
    currency,
    otherCurrencies: currencies.filter((c) => c.currency !== currency),
    customers: 0,
    repeatCustomers: 0,
    purchases: { fit: null, verdict: refuse(`no paid order by ${formatInstant(calibrationEnd)}`) },
    spend: { fit: null, verdict: refuse('no customer with a repeat purchase') },
    calibration: null,
    customer: null,
  };
  if (currency === null) return fit;
  const base = await readCustomerBase(ports.store, {
    currency,
    end: calibrationEnd,
    until: now,
    unit: predictionUnit,
    customerId: input.customerId,
  });
  fit.customers = base.customers;
  fit.repeatCustomers = base.repeatCustomers;
  if (base.customers === 0) {
    fit.purchases.verdict = refuse(`no paid order in ${currency} by ${formatInstant(calibrationEnd)}`);
    return customerResult(fit, input, null);
  }
  const purchases = fitBgNbd(expand(base.groups.values(), (g) => g.summary));
  fit.purchases = { fit: purchases, verdict: checkBgNbdFit(purchases) };
  const spendInput = expand(base.spend.values(), (g) => g.spend).filter((s) => s.meanAmount > 0);
  if (spendInput.length > 0) {
    const spend = fitGammaGamma(spendInput);
    fit.spend = { fit: spend, verdict: checkGammaGammaFit(spend) };
  }
  if (fit.purchases.verdict.usable && input.holdoutDays !== undefined) {
    fit.calibration = {
      days: input.holdoutDays,
      ...calibrationTable(purchases.params, base.groups.values(), input.holdoutDays / perUnit),
    };
  }
  return customerResult(fit, input, base.customer);
}

function customerResult(
  fit: CustomerBaseFit,
  input: FitCustomerBaseInput,
  found: { summary: CustomerSummary; holdoutPurchases: number } | null,
): FitCustomerBaseResult {
  if (input.customerId === undefined) return fit;
  if (found === null) {
    return {
      ok: false,
      field: 'customer',
      reason: `customer '${input.customerId}' has no paid order in ${fit.currency ?? 'any currency'} by ${formatInstant(fit.calibrationEnd)}`,
    };
  }
  const purchases = fit.purchases.verdict.usable ? fit.purchases.fit : null;
  const spend = fit.spend.verdict.usable ? fit.spend.fit : null;
  let forecast: CustomerPrediction['forecast'] = null;
  if (purchases) {
    const values = forecastCustomer(purchases.params, spend?.params ?? null, found.summary, forecastHorizons);
    // The model's present is the end's day (summaries.ts measures T to it).
    const today = utcDayNumber(fit.calibrationEnd) * dayMs;
    forecast = {
      ...values,
      nextOrderDate:
        values.nextOrderIn === null ? null : utcDay(today + Math.round(values.nextOrderIn * perUnit) * dayMs),
    };
  }
  fit.customer = { customerId: input.customerId, ...found, forecast };
  return fit;
}
