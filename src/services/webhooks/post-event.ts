// One try at delivering one event to one endpoint: the JSON body
// (core/webhooks/events.ts), signed (core/webhooks/signature.ts), POSTed
// through the fetch port with a timeout and no redirects followed (a 3xx is a
// failed try, so a signed body never goes anywhere but the URL in settings).
// Any 2xx is delivered; anything else, a timeout or a network error is a
// failed try with a one-line reason. Never throws; never logs the body.
import { eventBody, type OutgoingEvent } from '../../core/webhooks/events.ts';
import { type EventSigner, eventHeaders } from '../../core/webhooks/signature.ts';
import type { EventFetch } from './ports.ts';

export type PostResult =
  | { ok: true }
  /** endpointDown: the endpoint itself is failing (no answer, 5xx, 429), not just this event. */
  | { ok: false; error: string; endpointDown: boolean };

export async function postEvent(input: {
  fetch: EventFetch;
  url: string;
  signer: EventSigner;
  event: OutgoingEvent;
  /** Wall time, epoch ms: the signature's timestamp. */
  at: number;
  timeoutMs: number;
}): Promise<PostResult> {
  const body = eventBody(input.event);
  const timestamp = Math.floor(input.at / 1000);
  let response: Response;
  try {
    response = await input.fetch(input.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Rekindle-Events/1',
        [eventHeaders.id]: input.event.id,
        [eventHeaders.timestamp]: String(timestamp),
        [eventHeaders.signature]: await input.signer(timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(input.timeoutMs),
    });
  } catch (error) {
    return { ok: false, error: requestFailure(error, input.timeoutMs), endpointDown: true };
  }
  // The answer's body is not read; cancelling frees the connection.
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) return { ok: true };
  return {
    ok: false,
    error: `HTTP ${response.status}`,
    endpointDown: response.status >= 500 || response.status === 429,
  };
}

function requestFailure(error: unknown, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  // Node's fetch says "fetch failed" and puts the reason (ECONNREFUSED...) in the cause.
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return `network error: ${String(reason)}`.replace(/\s+/g, ' ').slice(0, 300);
}
