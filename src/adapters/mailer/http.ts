// The Worker's transport: posts each message to a mail provider's HTTP
// endpoint with fetch alone (no node:*, as the Worker runs without
// nodejs_compat). Format 'mime' posts the composed message as message/rfc822;
// 'json' posts { from, to, message_id, raw }. Every request carries the
// Message-ID as its Idempotency-Key, so a provider that honours it turns the
// one retry of an ambiguous send into a no-op. Replies are split the way
// smtp-outcome.ts splits SMTP ones: a refused connection, our credentials
// refused (401, 403), a rate limit (429) or an outage (408, 502-504) is the
// transport being unavailable, never an attempt spent on the message; a 500
// may be about this message and is temporary; other 4xx refuse the message.
// Never throws.
import type { MailTransport, SendOutcome } from '../../core/delivery/transport.ts';

export interface HttpTransportOptions {
  url: string;
  token?: string | undefined;
  format?: 'mime' | 'json' | undefined;
  timeoutMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

const serviceStatuses = new Set([401, 403, 408, 429, 502, 503, 504]);

export function createHttpTransport(options: HttpTransportOptions): MailTransport {
  const doFetch = options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));
  const format = options.format ?? 'mime';
  return {
    name: 'http',
    async send(mail): Promise<SendOutcome> {
      const headers: Record<string, string> = { 'Idempotency-Key': `<${mail.messageId}>` };
      if (options.token) headers.Authorization = `Bearer ${options.token}`;
      let body: string;
      if (format === 'json') {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify({
          from: mail.envelope.from,
          to: [mail.envelope.to],
          message_id: mail.messageId,
          raw: mail.raw,
        });
      } else {
        headers['Content-Type'] = 'message/rfc822';
        body = mail.raw;
      }
      let response: Response;
      try {
        response = await doFetch(options.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        // A timeout may fall after the provider took the message; a refused connection cannot.
        if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'ambiguous', reason };
        return { kind: 'transport_unavailable', reason };
      }
      const text = await response.text().catch(() => '');
      if (response.ok)
        return { kind: 'delivered', providerMessageId: providerId(response, text) ?? mail.messageId };
      const reason = `HTTP ${response.status}${text ? `: ${text.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`;
      if (serviceStatuses.has(response.status)) {
        return { kind: 'transport_unavailable', code: response.status, reason };
      }
      if (response.status >= 500) return { kind: 'temporary', code: response.status, reason };
      // The provider refused this message; its bounces arrive later by webhook, so no hard bounce here.
      return { kind: 'permanent', code: response.status, reason, hardBounce: false };
    },
    async close() {},
  };
}

function providerId(response: Response, text: string): string | undefined {
  const header = response.headers.get('x-message-id');
  if (header) return header;
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const id = parsed.id ?? parsed.message_id ?? parsed.messageId;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
  } catch {
    return undefined;
  }
}
