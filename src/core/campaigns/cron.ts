// The one owner of the five-field cron expression (minute hour day-of-month
// month day-of-week), the form both node-cron and Cloudflare Cron Triggers
// accept: checks one, and says when one last fired (in UTC, as the schedules
// run), for an audience send's `send_at`. Running the sweeps on a schedule
// belongs to the scheduler adapters.
import { minuteMs } from '../time.ts';

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const fields: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** Why `expression` is not a usable cron expression, or undefined when it is. */
export function cronProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== fields.length) return `has ${parts.length} fields, not 5`;
  for (const [i, part] of parts.entries()) {
    const field = fields[i]!;
    for (const item of part.split(',')) {
      if (!validItem(item, field)) return `has a bad ${field.name} field '${part}'`;
    }
  }
  return undefined;
}

function validItem(item: string, field: CronField): boolean {
  const [range = '', step, extra] = item.split('/');
  if (extra !== undefined) return false;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) return false;
  if (range === '*') return true;
  const [from, to, more] = range.split('-');
  if (more !== undefined) return false;
  const start = value(from, field);
  if (start === undefined) return false;
  if (to === undefined) return true;
  const end = value(to, field);
  return end !== undefined && start <= end;
}

function value(text: string | undefined, field: CronField): number | undefined {
  if (text === undefined) return undefined;
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return field.name === 'month' ? named + 1 : named;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= field.min && n <= field.max ? n : undefined;
}

/** The values one field allows; undefined for a bad field (cronProblem names it). */
function allowedValues(part: string, field: CronField): Set<number> | undefined {
  const values = new Set<number>();
  for (const item of part.split(',')) {
    if (!validItem(item, field)) return undefined;
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [from, to] = range.split('-');
    const start = range === '*' ? field.min : value(from, field)!;
    // A single value with a step runs to the field's end, as cron reads `5/15`.
    const end =
      range === '*' || (to === undefined && stepText !== undefined) ? field.max : value(to ?? from, field)!;
    for (let n = start; n <= end; n += step) values.add(field.name === 'day of week' && n === 7 ? 0 : n);
  }
  return values;
}

/**
 * The latest minute at or before `atOrBefore` at which `expression` fires
 * (UTC), looking back at most `withinMs`; null when it did not fire then, or
 * for a bad expression. Day of month and day of week, both restricted, fire
 * on either, as cron does.
 */
export function previousCronFire(expression: string, atOrBefore: number, withinMs: number): number | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== fields.length) return null;
  const sets = parts.map((part, i) => allowedValues(part, fields[i]!));
  if (sets.some((set) => set === undefined)) return null;
  const [minutes, hours, days, months, weekdays] = sets as Set<number>[];
  const anyDay = parts[2] === '*';
  const anyWeekday = parts[4] === '*';
  const earliest = atOrBefore - withinMs;
  for (let at = Math.floor(atOrBefore / minuteMs) * minuteMs; at >= earliest; at -= minuteMs) {
    const d = new Date(at);
    if (!minutes!.has(d.getUTCMinutes()) || !hours!.has(d.getUTCHours())) continue;
    if (!months!.has(d.getUTCMonth() + 1)) continue;
    const dayOk = days!.has(d.getUTCDate());
    const weekdayOk = weekdays!.has(d.getUTCDay());
    if (anyDay || anyWeekday ? dayOk && weekdayOk : dayOk || weekdayOk) return at;
  }
  return null;
}
