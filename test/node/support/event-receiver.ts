// A shop's event endpoint on loopback, for webhook tests: a real HTTP server
// that keeps every request (headers, the raw body, the body parsed) and
// answers each with the status a script picks. Its own HMAC check, with
// node:crypto, stands apart from the Web Crypto signer it checks.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedEvent {
  headers: Record<string, string | undefined>;
  raw: string;
  body: { id: string; type: string; created_at: string; data: Record<string, unknown> };
}

export interface EventReceiver {
  url: string;
  received: ReceivedEvent[];
  close(): Promise<void>;
}

/** `answer(event, n)` picks the status of the n-th request (from 0); 200 by default. */
export async function startEventReceiver(
  answer: (event: ReceivedEvent, n: number) => number = () => 200,
  path = '/rekindle-events',
): Promise<EventReceiver> {
  const received: ReceivedEvent[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(request.headers))
        headers[name] = Array.isArray(value) ? value.join(',') : value;
      const event = { headers, raw, body: JSON.parse(raw) as ReceivedEvent['body'] };
      const status = answer(event, received.length);
      received.push(event);
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback URL nothing listens on. */
export async function closedEndpointUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/rekindle-events`;
}

/**
 * Checks Rekindle-Signature as a shop would: t=<unix>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>">, t equal to Rekindle-Timestamp.
 */
export function signatureValid(event: ReceivedEvent, secret: string): boolean {
  const header = event.headers['rekindle-signature'] ?? '';
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match || match[1] !== event.headers['rekindle-timestamp']) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${event.raw}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'));
}
