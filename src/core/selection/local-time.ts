// Wall-clock arithmetic in IANA time zones with Intl only (no tz database of
// our own), so it runs the same on Node and Workers. DST gaps and overlaps are
// resolved the way people expect: a time that does not exist moves forward.

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Monday ... 6 = Sunday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdays: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The wall clock in `zone` at `instant`. */
export function localParts(instant: number, zone: string): LocalParts {
  const local = new Date(instant + offsetAt(instant, zone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    weekday: (local.getUTCDay() + 6) % 7,
  };
}

function intlParts(instant: number, zone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(zone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: weekdays[parts.weekday ?? 'Mon'] ?? 0,
  };
}

// Intl is slow (tens of microseconds a call) and a sweep asks about the same
// few zones and hours hundreds of thousands of times. A zone's offset only
// changes at transitions, which fall on quarter-hour UTC instants in every
// zone in use today, so it is constant within each 15-minute bucket: one Intl
// call per zone and bucket, remembered (the memo is cleared when it grows big).
const bucketMs = 15 * 60_000;
const offsets = new Map<string, number>();
const maxOffsets = 100_000;

/** Offset of `zone` from UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, zone: string): number {
  const bucket = Math.floor(instant / bucketMs);
  const key = `${zone} ${bucket}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const start = bucket * bucketMs;
    const p = intlParts(start, zone);
    offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - start;
    if (offsets.size >= maxOffsets) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/**
 * The instant when the wall clock in `zone` shows the given local date and
 * minute of day. In a DST gap (02:30 on a spring-forward night) the result is
 * the first instant after the gap with the same offset shift applied.
 */
export function zonedInstant(
  year: number,
  month: number,
  day: number,
  minuteOfDay: number,
  zone: string,
): number {
  const naive = Date.UTC(year, month - 1, day) + minuteOfDay * 60_000;
  const first = naive - offsetAt(naive, zone);
  const second = naive - offsetAt(first, zone);
  // If the two guesses differ the time falls in a transition; the later one is
  // the one that exists (gap) or the earlier of two (overlap) either way works.
  return Math.max(first, second);
}

export function minuteOfDay(parts: LocalParts): number {
  return parts.hour * 60 + parts.minute;
}
