// When a message may go out: inside the campaign's send window and outside
// the shop's quiet hours, both on the recipient's wall clock (their time zone,
// else the shop's). A message outside is delayed to the next allowed minute,
// never dropped.
import { localParts, minuteOfDay, parseClock, zonedInstant } from './local-time.ts';

export interface SendWindow {
  /** "HH:MM", local */
  start: string;
  /** "HH:MM", local; may be earlier than start for a window across midnight */
  end: string;
  /** Allowed weekdays, 0 = Monday; all when absent. */
  days?: readonly number[] | undefined;
}

export interface SendRules {
  window?: SendWindow | undefined;
  quietHours?: { start: string; end: string } | undefined;
}

export function isAllowedAt(instant: number, zone: string, rules: SendRules): boolean {
  const parts = localParts(instant, zone);
  const minute = minuteOfDay(parts);
  if (rules.window) {
    if (rules.window.days && !rules.window.days.includes(parts.weekday)) return false;
    if (!inRange(minute, parseClock(rules.window.start), parseClock(rules.window.end))) return false;
  }
  if (
    rules.quietHours &&
    inRange(minute, parseClock(rules.quietHours.start), parseClock(rules.quietHours.end))
  ) {
    return false;
  }
  return true;
}

/** The first instant at or after `earliest` when sending is allowed. */
export function nextAllowedTime(earliest: number, zone: string, rules: SendRules): number {
  if (isAllowedAt(earliest, zone, rules)) return earliest;
  // The answer is always a window start or the end of quiet hours on one of the
  // next eight local days; try those in order.
  const boundaries = [rules.window?.start, rules.quietHours?.end].filter((t): t is string => t !== undefined);
  const start = localParts(earliest, zone);
  const candidates: number[] = [];
  for (let offset = 0; offset <= 8; offset++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + offset));
    for (const clock of boundaries) {
      candidates.push(
        zonedInstant(
          date.getUTCFullYear(),
          date.getUTCMonth() + 1,
          date.getUTCDate(),
          parseClock(clock),
          zone,
        ),
      );
    }
  }
  candidates.sort((a, b) => a - b);
  for (const candidate of candidates) {
    if (candidate >= earliest && isAllowedAt(candidate, zone, rules)) return candidate;
  }
  // Only a contradictory configuration (a window entirely inside quiet hours)
  // gets here; validation refuses those, so fail loudly rather than guess.
  throw new Error(`no allowed send time within 8 days in ${zone}`);
}

function inRange(minute: number, start: number, end: number): boolean {
  if (start === end) return true;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}
