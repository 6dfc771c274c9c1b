// The shop's customer base as the models read it: one currency's paid orders
// from SQL, a keyset page of customers at a time, each page made into
// summaries by the core's summarizePurchases (the one place the summary rule
// lives), at the calibration end and, for a calibration check, at `now` as
// well. Only what the fits need is kept: customers with the same (x, tx, T)
// share one object and a count, and the spend fit's (x, m̄) likewise, so a
// million customers are a few distinct summaries and their counts, not a
// million rows. One customer's whole summary is kept when asked for.
import type { RecencyFrequency } from '../../core/prediction/bg-nbd.ts';
import type { RepeatSpend } from '../../core/prediction/gamma-gamma.ts';
import {
  type CustomerSummary,
  type Purchase,
  summarizePurchases,
  type TimeUnit,
} from '../../core/prediction/summaries.ts';
import { type PurchaseDayRow, purchaseDayPage } from '../../db/repositories/purchase-summaries.ts';
import type { Store } from '../../db/store.ts';

export interface CustomerBaseQuery {
  currency: string;
  /** The calibration end. */
  end: number;
  /** With a calibration check: the end of the holdout period (after `end`); else `end`. */
  until: number;
  unit: TimeUnit;
  /** Keep this customer's summary (and holdout purchases). */
  customerId?: string | undefined;
  /** Customers per page (default 5,000). */
  pageSize?: number;
}

export interface SummaryGroup {
  summary: RecencyFrequency;
  customers: number;
  /** Their repeat purchase days after the calibration end, up to `until`. */
  actual: number;
}

export interface CustomerBase {
  /** Customers with a purchase by the calibration end, by their (x, tx, T). */
  groups: Map<string, SummaryGroup>;
  /** The spend fit's input: (x, m̄) of the customers with a repeat purchase, with how many share each. */
  spend: Map<string, { spend: RepeatSpend; customers: number }>;
  customers: number;
  repeatCustomers: number;
  /** The asked-for customer's calibration summary and holdout purchases; null when they have none in the currency. */
  customer: { summary: CustomerSummary; holdoutPurchases: number } | null;
}

const defaultPageSize = 5000;

export async function readCustomerBase(store: Store, query: CustomerBaseQuery): Promise<CustomerBase> {
  const base: CustomerBase = {
    groups: new Map(),
    spend: new Map(),
    customers: 0,
    repeatCustomers: 0,
    customer: null,
  };
  const sqlQuery = { currency: query.currency, until: query.until, split: query.end };
  let after = '';
  for (;;) {
    const page = await purchaseDayPage(store, sqlQuery, after, query.pageSize ?? defaultPageSize);
    if (page.last === null) break;
    addPage(base, page.rows, query);
    after = page.last;
  }
  return base;
}

function addPage(base: CustomerBase, rows: readonly PurchaseDayRow[], query: CustomerBaseQuery): void {
  const purchase = (row: PurchaseDayRow): Purchase => ({
    customerId: row.customerId,
    at: row.at,
    amount: row.amountMinor,
  });
  const calibration = summarizePurchases(rows.filter((row) => row.beforeSplit).map(purchase), {
    end: query.end,
    unit: query.unit,
  });
  const later =
    query.until > query.end
      ? new Map(
          summarizePurchases(rows.map(purchase), { end: query.until, unit: query.unit }).map((s) => [
            s.customerId,
            s.x,
          ]),
        )
      : undefined;
  for (const summary of calibration) {
    // The same day's orders on both sides of the end are one purchase day: never a holdout purchase.
    const holdoutPurchases = later ? later.get(summary.customerId)! - summary.x : 0;
    add(base, summary, holdoutPurchases);
    if (summary.customerId === query.customerId) base.customer = { summary, holdoutPurchases };
  }
}

function add(base: CustomerBase, summary: CustomerSummary, holdoutPurchases: number): void {
  const { x, tx, T, repeatMeanAmount } = summary;
  base.customers += 1;
  const key = `${x} ${tx} ${T}`;
  const group = base.groups.get(key);
  if (group) {
    group.customers += 1;
    group.actual += holdoutPurchases;
  } else {
    base.groups.set(key, { summary: { x, tx, T }, customers: 1, actual: holdoutPurchases });
  }
  if (x === 0 || repeatMeanAmount === null) return;
  base.repeatCustomers += 1;
  const spendKey = `${x} ${repeatMeanAmount}`;
  const spend = base.spend.get(spendKey);
  if (spend) spend.customers += 1;
  else base.spend.set(spendKey, { spend: { x, meanAmount: repeatMeanAmount }, customers: 1 });
}

/** Each group's shared item repeated once per customer: the fits' input (references, not copies). */
export function expand<G extends { customers: number }, T>(groups: Iterable<G>, pick: (group: G) => T): T[] {
  const out: T[] = [];
  for (const group of groups) {
    const item = pick(group);
    for (let i = 0; i < group.customers; i++) out.push(item);
  }
  return out;
}
