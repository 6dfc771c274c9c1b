// The events Rekindle reports to the shop's own endpoints (settings
// `webhooks:`): their types, the one format of their ids, the body every
// delivery carries and how long an event is kept and tried. An id is made
// from the row that records the fact (the message, the redemption, the
// tracking event), so the same fact can never become two events and a shop
// that dedupes on the id sees each fact once however often it is delivered.
// Pure; the SQL that writes events builds ids from these constants.
import { dayMs } from '../time.ts';

export const outgoingEventTypes = [
  'message.sent',
  'coupon.redeemed',
  'customer.unsubscribed',
  'customer.complained',
] as const;

export type OutgoingEventType = (typeof outgoingEventTypes)[number];

/** An event's id is this prefix and the id of the row the fact is stored in. */
export function eventIdPrefix(type: OutgoingEventType): string {
  return `${type}:`;
}

export function eventId(type: OutgoingEventType, sourceId: string | number): string {
  return `${eventIdPrefix(type)}${sourceId}`;
}

/**
 * Names of the environment variables a settings file may take a signing
 * secret from. A fixed family, so a campaign file can never aim the signing
 * at another secret (SIGNING_SECRET, a platform's key), which the shop would
 * then have to be given to check the signatures.
 */
export const secretEnvPattern = /^EVENTS_SIGNING_SECRET(_[A-Z0-9]+)*$/;
export const secretEnvRule =
  'an environment variable name like EVENTS_SIGNING_SECRET or EVENTS_SIGNING_SECRET_SHOP';
/** Shorter secrets are refused at start, as SIGNING_SECRET's are. */
export const minSecretLength = 16;

/**
 * How long an event is tried: a delivery still failing this long after the
 * event was written is given up (failed, with the last reason).
 */
export const giveUpAfterMs = 3 * dayMs;

/**
 * How long events are kept, delivered or not. A fact older than this never
 * makes an event, so a re-sent old order or a backfill cannot report a
 * redemption again once its first event is gone.
 */
export const eventRetentionMs = 30 * dayMs;

export interface OutgoingEvent {
  id: string;
  type: OutgoingEventType;
  /** When Rekindle wrote the event, epoch ms. */
  createdAt: number;
  /** The event's data as stored: a JSON object's text. */
  data: string;
}

/** The JSON body every delivery of the event carries, byte for byte the same on each retry. */
export function eventBody(event: OutgoingEvent): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    created_at: new Date(event.createdAt).toISOString(),
    data: JSON.parse(event.data) as unknown,
  });
}

/** Whether any endpoint in the settings wants events of this type. */
export function anyEndpointWants(
  endpoints: readonly { events: readonly OutgoingEventType[] }[] | undefined,
  type: OutgoingEventType,
): boolean {
  return (endpoints ?? []).some((endpoint) => endpoint.events.includes(type));
}

/** An endpoint ready to be delivered to: its URL and its signing secret. */
export interface SigningEndpoint {
  url: string;
  secret: string;
}
