// rekindle report: what each campaign brought back, per campaign and step
// (sends, opens, clicks, redemptions, revenue, mailed-versus-holdout lift),
// optionally per day. Names and attribution windows come from the campaign
// files; if they do not load, the report still runs on ids and says so.
import { liftText, moneyText, openedLabels, percent, rejectedText } from '../core/reports/format.ts';
import type { CampaignReport, Outcomes } from '../core/reports/types.ts';
import { formatInstant, parseInstant } from '../core/time.ts';
import { buildCampaignReports } from '../services/reports/build-campaign-report.ts';
import { parseCommandLine } from './args.ts';
import { loadCampaignSetFor } from './campaign-set.ts';
import { type CliIO, type Command, printJson, printTable, UsageError } from './io.ts';

const usage = 'usage: rekindle report [--campaign ID] [--since ISO] [--daily] [--json]';

export const reportCommand: Command = async (argv, io) => {
  const args = parseCommandLine(argv, {
    usage,
    options: {
      campaign: { type: 'string' },
      since: { type: 'string' },
      daily: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const { values } = args;
  const since = parseSince(values.since);
  const campaigns =
    (await loadCampaignSetFor(io, 'reporting by campaign id with a 7-day attribution window')) ?? undefined;
  const now = io.now();
  const store = await io.openStore();
  let reports: CampaignReport[];
  try {
    reports = await buildCampaignReports({ store }, { campaigns, campaignId: values.campaign, since, now });
  } finally {
    await store.close();
  }
  if (values.campaign !== undefined && reports.length === 0) {
    throw new UsageError(`no campaign '${values.campaign}' in the campaign files or the outbox`);
  }
  if (values.json) {
    printJson(io, {
      generatedAt: formatInstant(now),
      since: since === undefined ? null : formatInstant(since),
      campaigns: values.daily ? reports : reports.map(({ daily: _daily, ...rest }) => rest),
    });
    return 0;
  }
  printReports(io, reports, Boolean(values.daily));
  return 0;
};

export function printReports(io: CliIO, reports: readonly CampaignReport[], daily: boolean): void {
  printTable(
    io,
    reports.flatMap((r) => [
      row(r, 'all', r.totals),
      ...(r.steps.length > 1 ? r.steps.map((s) => row(r, String(s.step + 1), s)) : []),
    ]),
  );
  io.stdout.write(
    '\nlift = conversion of mailed minus held out; steps count messages, "all" counts trigger instances\n',
  );
  for (const r of reports) {
    const lift = r.totals.conversion.lift;
    io.stdout.write(
      `\n${r.id}${r.name ? ` (${r.name})` : ''}: lift ${lift.enough ? liftText(lift) : `- ${lift.reason}`}\n`,
    );
    if (r.rejectedCodes.total > 0) {
      io.stdout.write(
        `  coupon codes used by orders but invalid (not counted as redemptions): ${rejectedText(r.rejectedCodes)}\n`,
      );
    }
    if (!daily) continue;
    printTable(
      io,
      r.daily.map((d) => ({
        day: d.day,
        sends: d.sends,
        opens: d.opens,
        clicks: d.clicks,
        redemptions: d.redemptions,
        revenue: moneyText(d.revenue),
      })),
    );
  }
}

function row(r: CampaignReport, step: string, o: Outcomes) {
  return {
    campaign: r.id,
    step,
    scheduled: o.scheduled,
    held_out: o.heldOut,
    sent: o.sent,
    failed: o.failed,
    // Resent after an ambiguous or interrupted send: possibly delivered twice.
    resent: o.resent,
    delivered: o.delivered,
    [openedLabels.people.toLowerCase()]: o.openedExcludingProxy,
    [openedLabels.all.toLowerCase()]: o.opened,
    clicked: o.clicked,
    unsub: o.unsubscribed,
    complaints: o.complained,
    redeemed: o.redeemed,
    influenced: o.influenced,
    revenue: moneyText(o.revenue),
    conv_mailed: percent(o.conversion.mailed.rate),
    conv_holdout: percent(o.conversion.heldOut.rate),
  };
}

function parseSince(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const parsed = parseInstant(text);
  if (!parsed.ok) throw new UsageError(`--since: ${parsed.reason}`);
  return parsed.value;
}
