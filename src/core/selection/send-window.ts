// When a message may go out: inside the campaign's send window and outside
// the shop's quiet hours, both on the recipient's wall clock (their time zone,
// else the shop's). A message outside is delayed to the next allowed minute,
// never dropped.
import type { Weekday } from '../campaigns/types.ts';
import { localParts, minuteOfDay, zonedInstant } from './local-time.ts';

const weekdayNames: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Local minutes after midnight; an end before the start spans midnight. */
export interface LocalSpan {
  startMinute: number;
  endMinute: number;
}

export interface SendRules {
  window?: (LocalSpan & { days?: readonly Weekday[] | undefined }) | null | undefined;
  quietHours?: LocalSpan | null | undefined;
}

export function isAllowedAt(instant: number, zone: string, rules: SendRules): boolean {
  const parts = localParts(instant, zone);
  const minute = minuteOfDay(parts);
  if (rules.window) {
    const day = weekdayNames[parts.weekday] ?? 'mon';
    if (rules.window.days && rules.window.days.length > 0 && !rules.window.days.includes(day)) return false;
    if (!inSpan(minute, rules.window)) return false;
  }
  return !(rules.quietHours && inSpan(minute, rules.quietHours));
}

/** The first instant at or after `earliest` when sending is allowed. */
export function nextAllowedTime(earliest: number, zone: string, rules: SendRules): number {
  if (isAllowedAt(earliest, zone, rules)) return earliest;
  // The answer is always a window start or the end of quiet hours on one of the
  // next eight local days; try those in order.
  const boundaries = [rules.window?.startMinute, rules.quietHours?.endMinute].filter(
    (minute): minute is number => minute !== undefined,
  );
  const start = localParts(earliest, zone);
  const candidates: number[] = [];
  for (let offset = 0; offset <= 8; offset++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + offset));
    for (const minute of boundaries) {
      candidates.push(
        zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), minute, zone),
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

function inSpan(minute: number, span: LocalSpan): boolean {
  const { startMinute: start, endMinute: end } = span;
  if (start === end) return true;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}
