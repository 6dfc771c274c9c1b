// Times as shop exports write them, rewritten to the ISO 8601 form the API
// schema accepts: "2024-01-02 10:00:00 +0100" (Shopify) becomes
// "2024-01-02T10:00:00+01:00". A time without an offset is only read when the
// user names the time zone it was written in; it is never guessed.

import { CellError } from './values.ts';

const withOffset =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$/i;
const withoutOffset = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;

export type InstantReader = (text: string, field: string) => string;

/** Returns text for the schema's `instant` field; unknown shapes pass through so the schema explains them. */
export function instantReader(timeZone: string | undefined): InstantReader {
  const toUtc = timeZone === undefined ? undefined : zonedToUtc(timeZone);
  return (text, field) => {
    const offset = withOffset.exec(text);
    if (offset) return `${offset[1]}T${offset[2]}${normalizeOffset(offset[3]!)}`;
    const local = withoutOffset.exec(text);
    if (!local) return text;
    if (!toUtc) {
      throw new CellError(
        field,
        `'${text}' has no UTC offset; pass --timezone (e.g. --timezone Europe/London) to read it as local time`,
        'unparseable',
      );
    }
    const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = ''] = local;
    const parts = [year, month, day, hour, minute, second].map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
    const probe = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
    if (probe.getUTCMonth() !== parts[1] - 1 || probe.getUTCDate() !== parts[2] || parts[3] > 23) {
      throw new CellError(field, `'${text}' is not a real date and time`, 'unparseable');
    }
    return new Date(
      toUtc(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], millis)),
    ).toISOString();
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

const hourMs = 3_600_000;
const dayMs = 86_400_000;
