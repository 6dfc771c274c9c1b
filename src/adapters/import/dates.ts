// Times as shop exports write them, rewritten to the ISO 8601 form the API
// schema accepts: "2024-01-02 10:00:00 +0100" (Shopify) becomes
// "2024-01-02T10:00:00+01:00". A time without an offset is only read when the
// user names the time zone it was written in, and a date like "12/1/2010 8:26"
// (the UCI Online Retail set, spreadsheets) only when the user names the order
// of its month and day; neither is ever guessed.

import { dayMs, hourMs } from '../../core/time.ts';
import { CellError } from './values.ts';

const withOffset =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$/i;
/** Already the form withOffset rewrites to (as the API and Rekindle's own exports write times): kept as it is. */
const canonical = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const withoutOffset = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;
/** 12/1/2010, 1.12.2010 8:26, 12/1/2010 8:26:00 AM: day and month in an order the user names. */
const numericDate =
  /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AP])\.?M\.?)?)?$/i;

export type InstantReader = (text: string, field: string) => string;

/** Which comes first in a date like 12/1/2010: the month (mdy, US) or the day (dmy). */
export type DateOrder = 'mdy' | 'dmy';
export const dateOrders: readonly DateOrder[] = ['mdy', 'dmy'];

/** Returns text for the schema's `instant` field; unknown shapes pass through so the schema explains them. */
export function instantReader(timeZone: string | undefined, dateOrder?: DateOrder): InstantReader {
  const toUtc = timeZone === undefined ? undefined : zonedToUtc(timeZone);
  const local = (text: string, field: string, parts: WallClock): string => {
    if (!toUtc) {
      throw new CellError(
        field,
        `'${text}' has no UTC offset; pass --timezone (e.g. --timezone Europe/London) to read it as local time`,
        'unparseable',
      );
    }
    const { year, month, day, hour, minute, second, millis } = parts;
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (
      probe.getUTCMonth() !== month - 1 ||
      probe.getUTCDate() !== day ||
      hour > 23 ||
      minute > 59 ||
      second > 59
    ) {
      throw new CellError(field, `'${text}' is not a real date and time`, 'unparseable');
    }
    return new Date(toUtc(Date.UTC(year, month - 1, day, hour, minute, second, millis))).toISOString();
  };
  return (text, field) => {
    if (canonical.test(text)) return text;
    const offset = withOffset.exec(text);
    if (offset) return `${offset[1]}T${offset[2]}${normalizeOffset(offset[3]!)}`;
    const iso = withoutOffset.exec(text);
    if (iso) {
      const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = ''] = iso;
      return local(text, field, {
        ...wallClock(year!, month!, day!, hour, minute, second),
        millis: Number(fraction.padEnd(3, '0').slice(0, 3)),
      });
    }
    const numeric = numericDate.exec(text);
    if (!numeric) return text;
    if (!dateOrder) {
      throw new CellError(
        field,
        `'${text}' could be month/day or day/month; pass --date-order mdy (12/31/2010) or dmy (31/12/2010)`,
        'unparseable',
      );
    }
    const [, first, second, year, hour = '0', minute = '0', seconds = '0', half] = numeric;
    const [month, day] = dateOrder === 'mdy' ? [first!, second!] : [second!, first!];
    const parts = wallClock(year!, month, day, hour, minute, seconds);
    if (half) {
      // 12:30 AM is half past midnight, 12:30 PM half past noon.
      if (parts.hour < 1 || parts.hour > 12) {
        throw new CellError(field, `'${text}' is not a real date and time`, 'unparseable');
      }
      parts.hour = (parts.hour % 12) + (half.toUpperCase() === 'P' ? 12 : 0);
    }
    return local(text, field, parts);
  };
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
}

function wallClock(
  year: string,
  month: string,
  day: string,
  hour: string,
  minute: string,
  second: string,
): WallClock {
  return {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
    millis: 0,
  };
}

function normalizeOffset(zone: string): string {
  const upper = zone.toUpperCase();
  if (upper === 'Z' || upper === 'UTC' || upper === 'GMT') return 'Z';
  const digits = zone.slice(1).replace(':', '');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
}

/**
 * Maps a wall-clock time (written as if it were UTC) in `timeZone` to the real
 * instant. Like Temporal's "compatible": an ambiguous time (clocks going back)
 * is the earlier instant; a skipped time (clocks going forward) is read with
 * the offset in force before the change.
 */
function zonedToUtc(timeZone: string): (wall: number) => number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  // Offsets change a few times a year and formatToParts is slow: remember them by hour.
  const cache = new Map<number, number>();
  const offsetAt = (utc: number): number => {
    const hour = Math.floor(utc / hourMs);
    const known = cache.get(hour);
    if (known !== undefined) return known;
    const at = hour * hourMs;
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(at)) parts[part.type] = Number(part.value);
    const offset =
      Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - at;
    if (cache.size > 100_000) cache.clear();
    cache.set(hour, offset);
    return offset;
  };
  return (wall) => {
    const before = wall - offsetAt(wall - dayMs);
    const after = wall - offsetAt(wall + dayMs);
    const beforeFits = offsetAt(before) === wall - before;
    const afterFits = offsetAt(after) === wall - after;
    if (beforeFits && afterFits) return Math.min(before, after);
    if (afterFits) return after;
    return before;
  };
}
