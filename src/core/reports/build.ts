// Builds campaign reports from the aggregates the database returns: sums steps
// into campaign totals, counts converted messages and trigger instances per
// group, sums revenue per currency and computes the lift. Pure: the same facts
// always give the same report.

import { fromMinorUnits } from '../money.ts';
import { utcDay } from '../time.ts';
import { computeLift } from './stats.ts';
import type {
  AttributedFact,
  CampaignInfo,
  CampaignReport,
  Conversion,
  DayReport,
  Money,
  Outcomes,
  RejectedCodes,
  RejectionFacts,
  ReportFacts,
  StepCounts,
} from './types.ts';

const countKeys = [
  'scheduled',
  'heldOut',
  'heldOutDue',
  'pending',
  'sent',
  'resent',
  'failed',
  'cancelled',
  'suppressed',
  'delivered',
  'bounced',
  'opened',
  'openedExcludingProxy',
  'clicked',
  'unsubscribed',
  'complained',
] as const satisfies readonly (keyof StepCounts)[];

export function emptyStepCounts(): StepCounts {
  return Object.fromEntries(countKeys.map((key) => [key, 0])) as unknown as StepCounts;
}

/** One report per campaign, in the order of `campaigns`. */
export function buildReports(facts: ReportFacts, campaigns: readonly CampaignInfo[]): CampaignReport[] {
  return campaigns.map((campaign) => buildReport(facts, campaign));
}

function buildReport(facts: ReportFacts, campaign: CampaignInfo): CampaignReport {
  const mine = <T extends { campaignId: string }>(rows: readonly T[]) =>
    rows.filter((row) => row.campaignId === campaign.id);
  const stepRows = mine(facts.steps).sort((a, b) => a.step - b.step);
  const attributed = mine(facts.attributed);
  const instances = mine(facts.instances)[0] ?? { mailed: 0, heldOutDue: 0 };

  const totalsCounts = emptyStepCounts();
  for (const row of stepRows) for (const key of countKeys) totalsCounts[key] += row[key];

  const steps = stepRows.map((row) => {
    const own = attributed.filter((a) => a.step === row.step);
    const counts = pickCounts(row);
    return {
      step: row.step,
      ...outcomes(
        counts,
        own,
        conversion(own, (a) => a.messageId, { mailed: counts.sent, heldOut: counts.heldOutDue }),
      ),
    };
  });
  const totals = outcomes(
    totalsCounts,
    attributed,
    conversion(attributed, (a) => a.instanceKey, { mailed: instances.mailed, heldOut: instances.heldOutDue }),
  );
  return {
    id: campaign.id,
    name: campaign.name,
    attributionDays: campaign.attributionDays,
    totals,
    steps,
    daily: daily(facts, campaign.id, attributed),
    rejectedCodes: rejectedCodes(mine(facts.rejections)),
  };
}

function rejectedCodes(rows: readonly RejectionFacts[]): RejectedCodes {
  const byReason: RejectedCodes['byReason'] = {};
  let total = 0;
  for (const row of rows) {
    byReason[row.reason] = (byReason[row.reason] ?? 0) + row.count;
    total += row.count;
  }
  return { total, byReason };
}

function pickCounts(row: StepCounts): StepCounts {
  const counts = emptyStepCounts();
  for (const key of countKeys) counts[key] = row[key];
  return counts;
}

function outcomes(counts: StepCounts, attributed: readonly AttributedFact[], conv: Conversion): Outcomes {
  const mailed = attributed.filter((a) => a.group === 'mailed');
  const redeemed = mailed.filter((a) => a.kind === 'redeemed');
  return {
    ...counts,
    redeemed: redeemed.length,
    influenced: mailed.length - redeemed.length,
    revenue: sumMoney(mailed),
    redeemedRevenue: sumMoney(redeemed),
    heldOutRevenue: sumMoney(attributed.filter((a) => a.group === 'held_out')),
    conversion: conv,
  };
}

function conversion(
  attributed: readonly AttributedFact[],
  unit: (a: AttributedFact) => string,
  sizes: { mailed: number; heldOut: number },
): Conversion {
  const converted = (group: AttributedFact['group']) =>
    new Set(attributed.filter((a) => a.group === group).map(unit)).size;
  const mailed = { size: sizes.mailed, converted: converted('mailed') };
  const heldOut = { size: sizes.heldOut, converted: converted('held_out') };
  const lift = computeLift(mailed, heldOut);
  return {
    mailed: { ...mailed, rate: lift.mailedRate },
    heldOut: { ...heldOut, rate: lift.holdoutRate },
    lift,
  };
}

/**
 * Totals per currency. Added as BigInt: each stored amount is bounded
 * (money-bounds.ts), but a number sum of more than 9,007 orders at the bound
 * would round. `amount` is always exact; `minor` is exact up to 2^53.
 */
export function sumMoney(rows: readonly { currency: string; totalMinor: number }[]): Money[] {
  const sums = new Map<string, bigint>();
  for (const row of rows) {
    sums.set(row.currency, (sums.get(row.currency) ?? 0n) + BigInt(row.totalMinor));
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, minor]) => ({
      currency,
      minor: Number(minor),
      amount: fromMinorUnits(minor, currency),
    }));
}

function daily(facts: ReportFacts, campaignId: string, attributed: readonly AttributedFact[]): DayReport[] {
  const days = new Map<string, DayReport & { orders: AttributedFact[] }>();
  const day = (key: string) => {
    let entry = days.get(key);
    if (!entry) {
      entry = { day: key, sends: 0, opens: 0, clicks: 0, redemptions: 0, revenue: [], orders: [] };
      days.set(key, entry);
    }
    return entry;
  };
  for (const row of facts.daily) {
    if (row.campaignId !== campaignId) continue;
    const entry = day(row.day);
    entry.sends += row.sends;
    entry.opens += row.opens;
    entry.clicks += row.clicks;
  }
  for (const order of attributed) {
    if (order.group !== 'mailed') continue;
    const entry = day(utcDay(order.placedAt));
    if (order.kind === 'redeemed') entry.redemptions++;
    entry.orders.push(order);
  }
  return [...days.values()]
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
    .map(({ orders, ...entry }) => ({ ...entry, revenue: sumMoney(orders) }));
}
