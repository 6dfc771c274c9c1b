// One HTTP call to a shop platform's API (Shopify Admin GraphQL, the
// WooCommerce REST API), through the one fetch port both homes hand in
// (Node's fetch, the Worker's): a time limit, the JSON body read once, and
// every way the call can go wrong turned into a value, so the adapters above
// decide between "try later" and "never" without a try/catch of their own.
// Never logs, and never puts a response body or a credential in a reason.

/** The fetch the platform adapters call; tests hand in a stand-in. */
export type FetchPort = (input: string, init: RequestInit) => Promise<Response>;

export type PlatformReply =
  /** The platform answered; `body` is the parsed JSON, or undefined when the body was not JSON. */
  | { kind: 'answered'; status: number; headers: Headers; body: unknown }
  /** No answer: DNS, connection, TLS, the time limit. */
  | { kind: 'unreachable'; reason: string };

export const platformTimeoutMs = 20_000;

export async function callPlatform(
  fetchPort: FetchPort,
  url: string,
  init: RequestInit,
  timeoutMs = platformTimeoutMs,
): Promise<PlatformReply> {
  let response: Response;
  try {
    response = await fetchPort(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const reason =
      name === 'TimeoutError' || name === 'AbortError'
        ? `no answer within ${Math.round(timeoutMs / 1000)} s`
        : `could not reach ${new URL(url).host}: ${error instanceof Error ? error.message : String(error)}`;
    return { kind: 'unreachable', reason: reason.split('\n')[0]!.slice(0, 300) };
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    return { kind: 'unreachable', reason: `the answer from ${new URL(url).host} was cut off` };
  }
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { kind: 'answered', status: response.status, headers: response.headers, body };
}

/** Retry-After (seconds, or an HTTP date) in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A server error or a rate limit: the platform may answer differently later. */
export function isPassing(status: number): boolean {
  return status === 429 || status >= 500;
}
