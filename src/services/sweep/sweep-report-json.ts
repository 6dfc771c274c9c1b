// The sweep report as JSON, one shape for `rekindle sweep --json` and
// POST /v1/sweeps: snake_case like the rest of the API, times as ISO 8601.
// Counts only; explanations are added by the CLI, never logged.
import { exclusionRules } from '../../core/selection/types.ts';
import { formatInstant } from '../../core/time.ts';
import type { SweepResult } from './run-sweep.ts';
import type { SweepCounts } from './sweep-counts.ts';

export interface SweepCountsJson {
  campaign_id: string;
  eligible: number;
  excluded: Record<string, number>;
  held_out: number;
  scheduled: number;
  deferred: number;
  already_written: number;
  skipped: { no_email: number; already_messaged: number };
}

export interface SweepReportJson {
  now: string;
  dry_run: boolean;
  campaigns: SweepCountsJson[];
}

export function sweepCountsJson(report: SweepCounts): SweepCountsJson {
  return {
    campaign_id: report.campaignId,
    eligible: report.eligible,
    excluded: { ...report.excluded },
    held_out: report.heldOut,
    scheduled: report.scheduled,
    deferred: report.deferred,
    already_written: report.alreadyWritten,
    skipped: { no_email: report.skipped.noEmail, already_messaged: report.skipped.alreadyMessaged },
  };
}

export function sweepReportJson(result: Pick<SweepResult, 'now' | 'dryRun' | 'campaigns'>): SweepReportJson {
  return {
    now: formatInstant(result.now),
    dry_run: result.dryRun,
    campaigns: result.campaigns.map(sweepCountsJson),
  };
}

/** Totals over campaigns, for one-line summaries. */
export function sweepTotals(reports: readonly SweepCounts[]) {
  const totals = {
    campaigns: reports.length,
    eligible: 0,
    excluded: 0,
    heldOut: 0,
    scheduled: 0,
    deferred: 0,
  };
  for (const r of reports) {
    totals.eligible += r.eligible;
    totals.heldOut += r.heldOut;
    totals.scheduled += r.scheduled;
    totals.deferred += r.deferred;
    for (const n of Object.values(r.excluded)) totals.excluded += n ?? 0;
  }
  return totals;
}

/** How the sweep table's columns add up, printed under it. */
export const sweepTableFootnote = `eligible = ${exclusionRules.join(' + ')} + held_out + scheduled + concurrent; deferred is part of scheduled (sent later than due: cap or send window); no_email and already_messaged were left out before the rules, outside eligible`;

/** One table row per campaign for the CLI: every exclusion rule gets a column, in the order the rules run. */
export function sweepTableRow(report: SweepCounts): Record<string, unknown> {
  const excluded = Object.fromEntries(exclusionRules.map((rule) => [rule, report.excluded[rule] ?? 0]));
  return {
    campaign: report.campaignId,
    eligible: report.eligible,
    ...excluded,
    held_out: report.heldOut,
    scheduled: report.scheduled,
    deferred: report.deferred,
    concurrent: report.alreadyWritten,
    no_email: report.skipped.noEmail,
    already_messaged: report.skipped.alreadyMessaged,
  };
}
