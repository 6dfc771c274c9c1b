// rekindle report: what each campaign brought back, per campaign and step:
// message counts, rates per message sent, money per currency (revenue,
// discounts, revenue per recipient and the incremental revenue), the
// mailed-versus-holdout lift, clicks per link, and optionally per day (days in
// the shop's time zone). Every figure comes worked out in the report
// (core/reports/build.ts); this only lays it out. Names and attribution
// windows come from the campaign files; if they do not load, the report still
// runs on ids and says so.
import { revenueSeries } from '../core/reports/daily.ts';
import {
  daysNote,
  fractionText,
  incrementalText,
  liftText,
  openedLabels,
  rateText,
  rejectedText,
  reportNotes,
  reportRows,
} from '../core/reports/format.ts';
import { linkMinimumPeople } from '../core/reports/links.ts';
import { parseReportRange, rangeJson, reportTimeZone } from '../core/reports/range.ts';
import { byCurrency } from '../core/reports/revenue.ts';
import type { CampaignReport, Outcomes } from '../core/reports/types.ts';
import { formatInstant } from '../core/time.ts';
import { buildCampaignReports } from '../services/reports/build-campaign-report.ts';
import { parseCommandLine } from './args.ts';
import { loadCampaignSetFor } from './campaign-set.ts';
import { type CliIO, type Command, printJson, printTable, UsageError } from './io.ts';

const usage =
  'usage: rekindle report [--campaign ID] [--from DAY] [--to DAY] [--since ISO] [--daily] [--json]';

export const reportCommand: Command = async (argv, io) => {
  const { values } = parseCommandLine(argv, {
    usage,
    options: {
      campaign: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      since: { type: 'string' },
      daily: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const campaigns =
    (await loadCampaignSetFor(io, 'reporting by campaign id with a 7-day attribution window')) ?? undefined;
  const timeZone = reportTimeZone(campaigns);
  const parsed = parseReportRange({ from: values.from, to: values.to, since: values.since }, timeZone);
  if (!parsed.ok) throw new UsageError(`--${parsed.field}: ${parsed.reason}`);
  const { range } = parsed;
  const now = io.now();
  const store = await io.openStore();
  let reports: CampaignReport[];
  try {
    reports = await buildCampaignReports(
      { store },
      { campaigns, campaignId: values.campaign, since: range.start, until: range.end, timeZone, now },
    );
  } finally {
    await store.close();
  }
  if (values.campaign !== undefined && reports.length === 0) {
    throw new UsageError(`no campaign '${values.campaign}' in the campaign files or the outbox`);
  }
  if (values.json) {
    printJson(io, {
      generatedAt: formatInstant(now),
      ...rangeJson(range, timeZone),
      campaigns: values.daily ? reports : reports.map(({ daily: _daily, ...rest }) => rest),
    });
    return 0;
  }
  printReports(io, reports, Boolean(values.daily));
  return 0;
};

export function printReports(io: CliIO, reports: readonly CampaignReport[], daily: boolean): void {
  const write = (text: string) => io.stdout.write(text);
  printTable(
    io,
    reports.flatMap((r) => reportRows(r).map((row) => countsRow(r.id, row.label, row.outcomes))),
  );
  write('\nrates per message sent (conversion: per unit mailed, as above)\n');
  printTable(
    io,
    reports.flatMap((r) => reportRows(r).map((row) => ratesRow(r.id, row.label, row.outcomes))),
  );
  write('\nmoney per currency\n');
  printTable(
    io,
    reports.flatMap((r) => reportRows(r).flatMap((row) => moneyRows(r.id, row.label, row.outcomes))),
  );
  write('\n');
  for (const note of Object.values(reportNotes)) write(`${note}\n`);
  const zone = reports[0]?.timeZone;
  if (zone) write(`${daysNote(zone)}\n`);

  for (const r of reports) {
    const { conversion } = r.totals;
    const lift = conversion.lift;
    write(
      `\n${r.id}${r.name ? ` (${r.name})` : ''}: lift ${lift.enough ? liftText(lift) : `- ${lift.reason}`}\n`,
    );
    write(
      `  converted, ${r.totals.unit}: mailed ${fractionText(conversion.mailed)}, held out ${fractionText(conversion.heldOut)}\n`,
    );
    if (r.rejectedCodes.total > 0) {
      write(
        `  coupon codes used by orders but invalid (not counted as redemptions): ${rejectedText(r.rejectedCodes)}\n`,
      );
    }
    printLinks(io, r);
    if (!daily) continue;
    write('  per day:\n');
    const series = revenueSeries(r.daily);
    printTable(
      io,
      r.daily.map((d, i) => ({
        day: d.day,
        sends: d.sends,
        opens: d.opens,
        clicks: d.clicks,
        redemptions: d.redemptions,
        ...Object.fromEntries(series.map((s) => [`revenue ${s.currency}`, s.points[i]!.money.amount])),
      })),
    );
  }
}

function countsRow(campaign: string, step: string, o: Outcomes) {
  return {
    campaign,
    step,
    scheduled: o.scheduled,
    held_out: o.heldOut,
    sent: o.sent,
    failed: o.failed,
    // Resent after an ambiguous or interrupted send: possibly delivered twice.
    resent: o.resent,
    delivered: o.delivered,
    bounced: o.bounced,
    [openedLabels.people.toLowerCase()]: o.openedExcludingProxy,
    [openedLabels.all.toLowerCase()]: o.opened,
    clicked: o.clicked,
    unsub: o.unsubscribed,
    complaints: o.complained,
    redeemed: o.redeemed,
    influenced: o.influenced,
    unit: o.unit,
    conv_mailed: fractionText(o.conversion.mailed),
    conv_holdout: fractionText(o.conversion.heldOut),
  };
}

function ratesRow(campaign: string, step: string, o: Outcomes) {
  const r = o.rates;
  return {
    campaign,
    step,
    sent: o.sent,
    [openedLabels.people.toLowerCase()]: rateText(r.openedPeople),
    [openedLabels.all.toLowerCase()]: rateText(r.openedAll),
    clicked: rateText(r.clicked),
    unsub: rateText(r.unsubscribed),
    bounced: rateText(r.bounced),
    complaints: rateText(r.complained),
    conversion: rateText(r.conversion),
  };
}

/** A row per currency the campaign (or step) has any money in. */
function moneyRows(campaign: string, step: string, o: Outcomes) {
  return byCurrency(o).map((m) => ({
    campaign,
    step,
    currency: m.currency,
    'revenue (net)': m.revenue.amount,
    discount: m.discount.amount,
    gross: m.grossRevenue.amount,
    held_out_revenue: m.heldOutRevenue.amount,
    per_recipient_mailed: m.perRecipient?.mailed?.amount ?? '-',
    per_recipient_held_out: m.perRecipient?.heldOut?.amount ?? '-',
    'incremental per recipient': m.perRecipient ? incrementalText(m.perRecipient.incremental) : '-',
  }));
}

function printLinks(io: CliIO, r: CampaignReport): void {
  const { links, fewPeople } = r.links;
  if (links.length === 0 && fewPeople.links === 0) return;
  const few =
    fewPeople.links > 0
      ? ` (and ${fewPeople.links} link${fewPeople.links === 1 ? '' : 's'} clicked by fewer than ${linkMinimumPeople} people, not named: ${fewPeople.clicks} click${fewPeople.clicks === 1 ? '' : 's'})`
      : '';
  io.stdout.write(`  clicks per link${few}:\n`);
  if (links.length > 0)
    printTable(
      io,
      links.map((l) => ({ link: l.url, people: l.people, clicks: l.clicks })),
    );
}
