// What a shopper looked at on the shop: a product viewed, a category viewed,
// a search. Posted by the shop (POST /v1/events/browse) for a customer named
// by id or by address, or by the shopper's own browser (POST /b/events) for
// the customer its shopper token names; validated as one list before
// anything is stored, with errors that name the row and the field. Stored
// compactly (one short kind, one reference: the product id, the category,
// the search words) and kept for the settings' browse retention (default 90
// days). Pure: matching to customers and storing happen in the database
// layer.
import { z } from 'zod';
import { email, externalId, instant, text } from '../ingest/fields.ts';
import { dayMs } from '../time.ts';

export const browseEventTypes = ['product_viewed', 'category_viewed', 'search'] as const;
export type BrowseEventType = (typeof browseEventTypes)[number];

/** The stored kind of each event type: short, as there are many rows. */
export const browseKinds = {
  product_viewed: 'product',
  category_viewed: 'category',
  search: 'search',
} as const;
export type BrowseKind = (typeof browseKinds)[BrowseEventType];

/** How long browse events are kept when the settings say nothing. */
export const defaultBrowseRetentionDays = 90;
/** How far ahead of the server's clock an event's time may be (shoppers' clocks drift). */
const browseClockSkewMs = 5 * 60_000;

const reference = text().trim().min(1, 'must not be blank').max(200, 'must be at most 200 characters');

/** The field that names what each event type is about. */
export const browseReferenceField = {
  product_viewed: 'product_id',
  category_viewed: 'category',
  search: 'query',
} as const satisfies Record<BrowseEventType, string>;

// What was looked at, the same in every door's events.
const whatFields = {
  type: z.enum(browseEventTypes),
  product_id: externalId.optional(),
  category: reference.optional(),
  query: reference.optional(),
};

/** Each type takes its own reference field and no other. */
function checkReference(
  event: { type: BrowseEventType } & Partial<Record<'product_id' | 'category' | 'query', string>>,
  ctx: z.RefinementCtx,
): void {
  for (const field of ['product_id', 'category', 'query'] as const) {
    const wanted = browseReferenceField[event.type] === field;
    if (wanted && event[field] === undefined)
      ctx.addIssue({ code: 'custom', path: [field], message: `${event.type} needs ${field}` });
    if (!wanted && event[field] !== undefined)
      ctx.addIssue({ code: 'custom', path: [field], message: `${event.type} takes no ${field}` });
  }
}

export const browseEventSchema = z
  .object({
    ...whatFields,
    customer_id: externalId.optional(),
    email: email.optional(),
    at: instant.optional(),
  })
  .strict()
  .superRefine((event, ctx) => {
    if ((event.customer_id === undefined) === (event.email === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['customer_id'],
        message: 'give exactly one of customer_id and email',
      });
    }
    checkReference(event, ctx);
  });

/**
 * An event as a shopper's own browser posts it (POST /b/events): what was
 * looked at, and nothing else. Who is the customer the shopper token names;
 * when is the server's clock, so a browser neither back-dates nor names
 * anyone.
 */
export const shopperEventSchema = z.object(whatFields).strict().superRefine(checkReference);

export type BrowseEventInput = z.output<typeof browseEventSchema>;

/** One event as stored, its shopper not yet matched to a customer. */
export interface BrowseEvent {
  /** The address as the schema's email field normalizes it (trimmed, lower case), as customers store it. */
  shopper: { customerId: string } | { email: string };
  kind: BrowseKind;
  ref: string;
  at: number;
}

export function toBrowseEvent(input: BrowseEventInput, now: number): BrowseEvent {
  const ref = input.product_id ?? input.category ?? input.query ?? '';
  return {
    shopper:
      input.customer_id !== undefined ? { customerId: input.customer_id } : { email: input.email ?? '' },
    kind: browseKinds[input.type],
    // Search words are kept as typed, but in one spelling, so one search is one reference.
    ref: input.type === 'search' ? ref.toLowerCase().replace(/\s+/g, ' ') : ref,
    at: input.at ?? now,
  };
}

/** The settings' browse retention, or the default when they say none. */
export function browseRetentionDays(settings: { browse?: { retentionDays: number } } | undefined): number {
  return settings?.browse?.retentionDays ?? defaultBrowseRetentionDays;
}

/** Events before this time are past the retention and are neither stored nor kept. */
export function browseCutoff(now: number, retentionDays: number): number {
  return now - retentionDays * dayMs;
}

/** Why an event is not stored: too old to keep (not stored, counted), or from the future (refused). */
export function browseEventOutOfRange(event: Pick<BrowseEvent, 'at'>, now: number, retentionDays: number) {
  if (event.at < browseCutoff(now, retentionDays)) return 'past_retention' as const;
  if (event.at > now + browseClockSkewMs) return 'in_the_future' as const;
  return null;
}
