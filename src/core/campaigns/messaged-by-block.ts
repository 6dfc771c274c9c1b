// The optional `exclude_if_messaged_by` block: a campaign leaves out customers
// that other campaigns messaged recently (a VIP offer after a win-back one).
// Whether each named campaign exists is a cross-file question, answered by
// src/config/campaign-references.ts; this block only checks the shape.
import type { z } from 'zod';
import { list, strict, text, wholeNumber } from './fields.ts';

export const messagedByInput = strict(
  {
    campaigns: list(text('a campaign id, 1-100 characters', 100), 'a list of 1 to 50 campaign ids', {
      min: 1,
      max: 50,
    }).describe(
      'Campaign ids (the file names without .yaml, like [winback]) whose messages rule a customer out; disabled campaigns count too.',
    ),
    within_days: wholeNumber({ min: 1, max: 3650, unit: 'days' }).describe(
      'A message counts when it is due within this many days before the sweep, or later (scheduled).',
    ),
  },
  'a mapping with campaigns and within_days, like { campaigns: [winback], within_days: 30 }',
);

export type MessagedByInput = z.output<typeof messagedByInput>;
