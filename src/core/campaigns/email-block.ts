// How a campaign's messages go out: the `email` block (template + subject)
// and the optional `send_window`. Whether a template exists or a subject is
// valid Liquid is checked by the loader, which can see the emails folder.
import type { z } from 'zod';
import { clockTime, list, minuteOfDay, oneOf, pattern, strict, text, weekdays } from './fields.ts';

export const emailInput = strict(
  {
    template: pattern(
      'a file name in emails/ ending in .mjml, like winback.mjml',
      /^[A-Za-z0-9][A-Za-z0-9._-]*\.mjml$/,
    ).describe('The MJML template, a file in the emails folder.'),
    subject: text('a subject line, 1-200 characters', 200).describe(
      "The subject line; Liquid variables allowed, e.g. {{ customer.first_name | default: 'Hello' }}.",
    ),
  },
  'a mapping with template and subject',
);

export type EmailInput = z.output<typeof emailInput>;

export const sendWindowInput = strict(
  {
    start: clockTime().describe('Earliest local time to send.'),
    end: clockTime().describe(
      'Latest local time to send; earlier than start means the window spans midnight.',
    ),
    days: list(oneOf(weekdays), `a list of weekdays (${weekdays.join(', ')})`, { min: 1, max: 7 })
      .optional()
      .describe('Weekdays to send on; every day when left out.'),
  },
  'a mapping with start and end, like { start: "09:00", end: "20:00" }',
).superRefine((window, ctx) => {
  if (minuteOfDay(window.start) === minuteOfDay(window.end)) {
    ctx.addIssue({ code: 'custom', message: `must differ from start (${window.start})`, path: ['end'] });
  }
  const seen = new Set<string>();
  for (const [i, day] of (window.days ?? []).entries()) {
    if (seen.has(day))
      ctx.addIssue({
        code: 'custom',
        message: `repeats '${day}'; list each weekday once`,
        path: ['days', i],
      });
    seen.add(day);
  }
});

export type SendWindowInput = z.output<typeof sendWindowInput>;
