// Builds campaign reports from the aggregates the database returns: sums steps'
// message counts into campaign totals, counts converted messages (per step) and
// trigger instances (per campaign) per group, the rates per message sent,
// money per currency, the lift and the incremental revenue, the days in the
// shop's time zone and the clicks per link. The one place a report's figures
// are worked out: the CLI, the API and the dashboard only show them. Pure: the
// same facts always give the same report.

import { dailyReport } from './daily.ts';
import { linkClicks } from './links.ts';
import { type GroupSizes, revenuePerRecipient, sumMoney } from './revenue.ts';
import { computeLift } from './stats.ts';
import type {
  AttributedFact,
  CampaignInfo,
  CampaignReport,
  Conversion,
  ConversionUnit,
  Outcomes,
  Rate,
  Rates,
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

/** One report per campaign, in the order of `campaigns`; days in `timeZone`. */
export function buildReports(
  facts: ReportFacts,
  campaigns: readonly CampaignInfo[],
  timeZone: string,
): CampaignReport[] {
  return campaigns.map((campaign) => buildReport(facts, campaign, timeZone));
}

function buildReport(facts: ReportFacts, campaign: CampaignInfo, timeZone: string): CampaignReport {
  const mine = <T extends { campaignId: string }>(rows: readonly T[]) =>
    rows.filter((row) => row.campaignId === campaign.id);
  const stepRows = mine(facts.steps).sort((a, b) => a.step - b.step);
  const attributed = mine(facts.attributed);
  const instances = mine(facts.instances)[0] ?? { mailed: 0, heldOutDue: 0 };

  const totalsCounts = emptyStepCounts();
  for (const row of stepRows) for (const key of countKeys) totalsCounts[key] += row[key];

  // A step's members are its messages; the campaign's are trigger instances,
  // so a customer a cart series mailed three times counts once.
  const steps = stepRows.map((row) => {
    const counts = pickCounts(row);
    const own = attributed.filter((a) => a.step === row.step);
    return {
      step: row.step,
      ...outcomes(counts, own, 'messages', { mailed: counts.sent, heldOut: counts.heldOutDue }),
    };
  });
  const totals = outcomes(totalsCounts, attributed, 'trigger instances', {
    mailed: instances.mailed,
    heldOut: instances.heldOutDue,
  });
  return {
    id: campaign.id,
    name: campaign.name,
    attributionDays: campaign.attributionDays,
    timeZone,
    totals,
    steps,
    daily: dailyReport(mine(facts.daily), attributed, timeZone),
    links: linkClicks(mine(facts.links)),
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

function outcomes(
  counts: StepCounts,
  attributed: readonly AttributedFact[],
  unit: ConversionUnit,
  sizes: GroupSizes,
): Outcomes {
  const unitOf =
    unit === 'messages' ? (a: AttributedFact) => a.messageId : (a: AttributedFact) => a.instanceKey;
  const mailed = attributed.filter((a) => a.group === 'mailed');
  const redeemed = mailed.filter((a) => a.kind === 'redeemed');
  const conv = conversion(attributed, unitOf, sizes);
  return {
    ...counts,
    redeemed: redeemed.length,
    influenced: mailed.length - redeemed.length,
    revenue: sumMoney(mailed),
    redeemedRevenue: sumMoney(redeemed),
    heldOutRevenue: sumMoney(attributed.filter((a) => a.group === 'held_out')),
    discount: sumMoney(redeemed.map((a) => ({ currency: a.currency, totalMinor: a.discountMinor }))),
    grossRevenue: sumMoney(
      mailed.map((a) => ({ currency: a.currency, totalMinor: a.totalMinor + a.discountMinor })),
    ),
    unit,
    rates: rates(counts, conv, unit),
    revenuePerRecipient: revenuePerRecipient(attributed, unitOf, sizes),
    conversion: conv,
  };
}

/** The base of every rate but conversion. */
export const rateBase = 'messages sent';

function rates(counts: StepCounts, conv: Conversion, unit: ConversionUnit): Rates {
  const perSent = (count: number): Rate => rateOf(count, counts.sent, rateBase);
  return {
    openedPeople: perSent(counts.openedExcludingProxy),
    openedAll: perSent(counts.opened),
    clicked: perSent(counts.clicked),
    unsubscribed: perSent(counts.unsubscribed),
    bounced: perSent(counts.bounced),
    complained: perSent(counts.complained),
    conversion: rateOf(conv.mailed.converted, conv.mailed.size, `${unit} mailed`),
  };
}

function rateOf(count: number, of: number, per: string): Rate {
  return { count, of, per, rate: of > 0 ? count / of : null };
}

function conversion(
  attributed: readonly AttributedFact[],
  unit: (a: AttributedFact) => string,
  sizes: GroupSizes,
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
