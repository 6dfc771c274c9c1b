// What a mail provider's webhook may tell us about a message after it left:
// delivered, bounced (hard or soft) or complained about. Validated as one list
// before anything is stored, with errors that name the row and the field.
// Pure: matching to messages and suppressing addresses happen in the database
// layer.
import { z } from 'zod';
import { instant, text } from '../ingest/fields.ts';

export const providerEventTypes = ['delivered', 'bounce', 'complaint'] as const;

export const providerEventSchema = z
  .object({
    type: z.enum(providerEventTypes),
    /** The provider's message id, or the Message-ID header we sent (with or without <>). */
    message_id: text().trim().min(1, 'must not be blank').max(998, 'must be at most 998 characters'),
    bounce_type: z.enum(['hard', 'soft']).optional(),
    at: instant.optional(),
  })
  .strict()
  .superRefine((event, ctx) => {
    if (event.type === 'bounce' && !event.bounce_type) {
      ctx.addIssue({
        code: 'custom',
        path: ['bounce_type'],
        message: "a bounce needs bounce_type 'hard' or 'soft'",
      });
    }
    if (event.type !== 'bounce' && event.bounce_type) {
      ctx.addIssue({ code: 'custom', path: ['bounce_type'], message: 'only bounces have a bounce_type' });
    }
  });

export type ProviderEventInput = z.output<typeof providerEventSchema>;

export interface ProviderEvent {
  kind: (typeof providerEventTypes)[number];
  /** hard/soft for bounces, else null. */
  detail: 'hard' | 'soft' | null;
  messageRef: string;
  at: number;
}

export function toProviderEvent(input: ProviderEventInput, now: number): ProviderEvent {
  return {
    kind: input.type,
    detail: input.bounce_type ?? null,
    messageRef: input.message_id,
    at: input.at ?? now,
  };
}

/** A hard bounce or a complaint means the address must never be mailed again. */
export function suppressionFor(
  event: Pick<ProviderEvent, 'kind' | 'detail'>,
): 'bounced' | 'complained' | null {
  if (event.kind === 'complaint') return 'complained';
  if (event.kind === 'bounce' && event.detail === 'hard') return 'bounced';
  return null;
}

/**
 * The spellings a reference may be stored under: as given, without and with
 * the angle brackets of a Message-ID header, and, for `<id@host>`, the local
 * part, which is our own message id when we set the Message-ID.
 */
export function messageRefCandidates(ref: string): { providerIds: string[]; messageIds: string[] } {
  const bare = ref.trim().replace(/^<(.*)>$/, '$1');
  const providerIds = [...new Set([ref.trim(), bare, `<${bare}>`])];
  const at = bare.lastIndexOf('@');
  const messageIds = [...new Set(at > 0 ? [bare, bare.slice(0, at)] : [bare])];
  return { providerIds, messageIds };
}
