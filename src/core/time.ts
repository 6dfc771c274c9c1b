// Times are accepted as ISO 8601 with an explicit offset and kept as epoch
// milliseconds in UTC. A time without an offset is ambiguous (whose midnight?)
// and is refused rather than guessed.
import type { ParseResult } from './money.ts';

const isoWithOffset =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s?(Z|[+-]\d{2}:?\d{2})$/i;

/** The one definition of each unit, in milliseconds (UTC: a day is always 24 hours here). */
export const minuteMs = 60_000;
export const hourMs = 3_600_000;
export const dayMs = 86_400_000;

export function parseInstant(text: string): ParseResult<number> {
  const match = isoWithOffset.exec(text.trim());
  if (!match) {
    return {
      ok: false,
      reason: `expected an ISO 8601 time with offset like 2024-05-01T12:00:00Z, got '${text}'`,
    };
  }
  const [, year, month, day, hour, minute, second = '00', fraction = '', zone = 'Z'] = match;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const normalized = `${year}-${month}-${day}T${hour}:${minute}:${second}.${fraction.padEnd(3, '0').slice(0, 3)}${offset}`;
  const millis = Date.parse(normalized);
  if (Number.isNaN(millis) || !sameCalendarDate(normalized, Number(year), Number(month), Number(day))) {
    return { ok: false, reason: `'${text}' is not a real date and time` };
  }
  return { ok: true, value: millis };
}

export function formatInstant(millis: number): string {
  return new Date(millis).toISOString();
}

/** The UTC calendar day of an instant, `2026-11-20`. */
export function utcDay(millis: number): string {
  return formatInstant(millis).slice(0, 10);
}

// One formatter per zone: building one costs far more than using it.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar day of an instant in an IANA time zone, `2026-11-20`: the one
 * zoned day format (the reports' daily rows, the dashboard's days, a report's
 * from/to). 23:30 UTC on 4 May is 5 May in Europe/London (BST).
 */
export function zonedDay(millis: number, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(millis);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

/**
 * The first instant of a calendar day in a time zone: local midnight, or the
 * end of the gap when a clock change skips midnight. Every UTC offset lies
 * between -12 and +14 hours, so it is found by halving that span around the
 * day's UTC midnight (a zoned day never runs backwards).
 */
export function zonedDayStart(day: string, timeZone: string): number {
  const midnight = Date.parse(`${day}T00:00:00Z`);
  let before = midnight - 15 * hourMs;
  let after = midnight + 13 * hourMs;
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (zonedDay(middle, timeZone) < day) before = middle;
    else after = middle;
  }
  return after;
}

/** A calendar day written `YYYY-MM-DD` that exists (no 30 February). */
export function parseDay(text: string): ParseResult<string> {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return { ok: false, reason: `expected a day like 2026-05-01, got '${text}'` };
  const [, year, month, day] = match;
  const normalized = `${year}-${month}-${day}T00:00:00.000Z`;
  if (!sameCalendarDate(normalized, Number(year), Number(month), Number(day))) {
    return { ok: false, reason: `'${text}' is not a real date` };
  }
  return { ok: true, value: `${year}-${month}-${day}` };
}

/** The calendar day `days` after `day` (before it when negative). Calendar arithmetic: no zone involved. */
export function addDays(day: string, days: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + days * dayMs);
}

// Date.parse rolls 2024-02-30 over to March; a calendar check catches it.
function sameCalendarDate(normalized: string, year: number, month: number, day: number): boolean {
  const probe = new Date(Date.UTC(year, month - 1, day));
  return (
    probe.getUTCFullYear() === year &&
    probe.getUTCMonth() === month - 1 &&
    probe.getUTCDate() === day &&
    normalized.length > 0
  );
}

/** True for an IANA time zone name this runtime knows, like Europe/London. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
