// A dry run's send plan: how many scheduled messages each campaign would send
// in each hour, in the shop's time zone, after the send windows, quiet hours
// and the frequency cap have moved them. Held-out messages are not sent, so
// they are not in it. Pure; counts as decisions arrive, so a sweep of a
// million customers keeps one counter per campaign and hour.
import { localParts } from './local-time.ts';
import type { Decision } from './types.ts';

export interface SendPlanRow {
  campaign: string;
  /** Local date in the plan's zone, YYYY-MM-DD. */
  day: string;
  /** Local hour in the plan's zone, HH:00. */
  hour: string;
  messages: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const quarterMs = 15 * 60_000;

export function newSendPlan(zone: string) {
  const counts = new Map<string, SendPlanRow>();
  // Zone offsets move in quarter hours at most, so one label per quarter is exact.
  const labels = new Map<number, { day: string; hour: string }>();
  const label = (at: number) => {
    const quarter = Math.floor(at / quarterMs);
    let found = labels.get(quarter);
    if (!found) {
      const local = localParts(at, zone);
      found = { day: `${local.year}-${pad(local.month)}-${pad(local.day)}`, hour: `${pad(local.hour)}:00` };
      labels.set(quarter, found);
    }
    return found;
  };
  return {
    zone,
    add(decisions: readonly Decision[]) {
      for (const decision of decisions) {
        if (decision.outcome !== 'scheduled') continue;
        const { day, hour } = label(decision.dueAt);
        const key = `${decision.hit.campaignId}\u0000${day}\u0000${hour}`;
        const row = counts.get(key);
        if (row) row.messages++;
        else counts.set(key, { campaign: decision.hit.campaignId, day, hour, messages: 1 });
      }
    },
    /** By campaign, then time. */
    rows(): SendPlanRow[] {
      return [...counts.values()].sort(
        (a, b) =>
          (a.campaign < b.campaign ? -1 : a.campaign > b.campaign ? 1 : 0) ||
          (a.day < b.day ? -1 : a.day > b.day ? 1 : 0) ||
          (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : 0),
      );
    },
  };
}

export type SendPlan = ReturnType<typeof newSendPlan>;
