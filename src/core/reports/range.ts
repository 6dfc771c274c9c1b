// The period a report covers, one rule for the CLI, the API and the dashboard:
// `from` and `to` are calendar days in the shop's time zone, both included,
// and pick the messages sent (or, unsent, due) in them, with everything that
// followed them (opens, clicks and orders after `to` still count: a cohort).
// `since` is the older form: an instant with an offset, open-ended. The
// dashboard's default is the last 30 days. Pure.
import { addDays, formatInstant, parseDay, parseInstant, zonedDay, zonedDayStart } from '../time.ts';

/** The zone reports use for their days: the shop's, or UTC without campaign files. */
export function reportTimeZone(campaigns: { settings: { timezone: string } } | undefined): string {
  return campaigns?.settings.timezone ?? 'UTC';
}

export interface ReportRange {
  /** First day, in the time zone; null: from the beginning. */
  from: string | null;
  /** Last day, included; null: up to now. */
  to: string | null;
  /** The instant given as `since`, when it was. */
  since: number | null;
  /** Messages sent (or due) at or after this instant... */
  start: number | undefined;
  /** ...and before this one. */
  end: number | undefined;
}

export const allTime: ReportRange = { from: null, to: null, since: null, start: undefined, end: undefined };

/** How many days the dashboard shows when no range is asked for. */
export const defaultRangeDays = 30;

export type RangeResult =
  | { ok: true; range: ReportRange }
  | { ok: false; field: 'from' | 'to' | 'since'; reason: string };

/** Blank and absent are the same: no bound. */
export interface RangeInput {
  from?: string | undefined;
  to?: string | undefined;
  since?: string | undefined;
}

export function parseReportRange(input: RangeInput, timeZone: string): RangeResult {
  const given = (text: string | undefined) => (text === undefined || text.trim() === '' ? null : text);
  const [fromText, toText, sinceText] = [given(input.from), given(input.to), given(input.since)];
  if (sinceText !== null && fromText !== null) {
    return { ok: false, field: 'since', reason: 'give since or from, not both: both set the start' };
  }
  let since: number | null = null;
  if (sinceText !== null) {
    const parsed = parseInstant(sinceText);
    if (!parsed.ok) return { ok: false, field: 'since', reason: parsed.reason };
    since = parsed.value;
  }
  const days: { from: string | null; to: string | null } = { from: null, to: null };
  for (const [field, text] of [
    ['from', fromText],
    ['to', toText],
  ] as const) {
    if (text === null) continue;
    const parsed = parseDay(text);
    if (!parsed.ok) return { ok: false, field, reason: parsed.reason };
    days[field] = parsed.value;
  }
  const { from, to } = days;
  if (from !== null && to !== null && to < from) {
    return { ok: false, field: 'to', reason: `to (${to}) is before from (${from})` };
  }
  return { ok: true, range: daysRange(from, to, timeZone, since) };
}

/** The last `days` days up to today in the time zone, today included. */
export function lastDays(now: number, days: number, timeZone: string): ReportRange {
  const today = zonedDay(now, timeZone);
  return daysRange(addDays(today, -(days - 1)), today, timeZone, null);
}

function daysRange(
  from: string | null,
  to: string | null,
  timeZone: string,
  since: number | null,
): ReportRange {
  return {
    from,
    to,
    since,
    start: from !== null ? zonedDayStart(from, timeZone) : (since ?? undefined),
    end: to !== null ? zonedDayStart(addDays(to, 1), timeZone) : undefined,
  };
}

/** How the JSON answers (API and `report --json`) state the period and the zone of their days. */
export function rangeJson(range: ReportRange, timeZone: string) {
  return {
    since: range.since === null ? null : formatInstant(range.since),
    from: range.from,
    to: range.to,
    timeZone,
  };
}
