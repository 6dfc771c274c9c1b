// A sweep's counts: per campaign, how many hits the trigger found and where
// each one ended, in the order the rules ran. Not the campaign performance
// report (src/core/reports), which counts what happened after sending.
import type { Decision, ExclusionRule } from '../../core/selection/types.ts';

/** One campaign's counts in one sweep. */
export interface SweepCounts {
  campaignId: string;
  /** Trigger hits that could be mailed (have an address, not messaged for this instance yet). */
  eligible: number;
  excluded: Partial<Record<ExclusionRule, number>>;
  heldOut: number;
  scheduled: number;
  /** Scheduled later than due by the frequency cap or the send window. */
  deferred: number;
  /** Hits another sweep wrote first (concurrent sweeps); written by neither twice. */
  alreadyWritten: number;
  /** Trigger hits left out before the rules: no email address, or this instance already messaged. */
  skipped: { noEmail: number; alreadyMessaged: number };
}

export function emptySweepCounts(campaignId: string): SweepCounts {
  return {
    campaignId,
    eligible: 0,
    excluded: {},
    heldOut: 0,
    scheduled: 0,
    deferred: 0,
    alreadyWritten: 0,
    skipped: { noEmail: 0, alreadyMessaged: 0 },
  };
}

export function countDecision(report: SweepCounts, decision: Decision, now: number): void {
  report.eligible++;
  if (decision.outcome === 'excluded') {
    report.excluded[decision.rule] = (report.excluded[decision.rule] ?? 0) + 1;
  } else if (decision.outcome === 'held_out') {
    report.heldOut++;
  } else {
    report.scheduled++;
    if (decision.dueAt > Math.max(decision.hit.dueAt, now)) report.deferred++;
  }
}
