// Checks a five-field cron expression (minute hour day-of-month month
// day-of-week), the form both node-cron and Cloudflare Cron Triggers accept.
// It only validates; scheduling belongs to the scheduler adapters.

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
