// Composes one marketing email as an RFC 5322 message: a multipart/alternative
// body with the plain-text part first and the HTML part last (clients show the
// last part they understand), both UTF-8 quoted-printable, under the headers
// the delivery layer hands in. The same function composes for SMTP, the .eml
// folder and the Worker's HTTP transport, so a message is byte-for-byte the
// same whichever home sends it. Pure; it never signs (DKIM is the transport's).
import { headerLine, quotedPrintable, singleLine, unstructured } from './encoding.ts';

export interface Mailbox {
  name?: string | null | undefined;
  address: string;
}

export interface MimeInput {
  from: Mailbox;
  to: Mailbox;
  replyTo?: Mailbox | null | undefined;
  subject: string;
  text: string;
  html: string;
  /** Epoch ms; written as the Date header in UTC. */
  date: number;
  /** Extra headers in order (Message-ID, List-*), values already valid header text. */
  headers: readonly (readonly [string, string])[];
  /** Seeds the MIME boundary, so the same input composes the same bytes. */
  boundarySeed: string;
}

export function composeMime(input: MimeInput): string {
  // "=_" can never occur in quoted-printable output ('=' is always followed by
  // hex digits or a line break there), so this boundary cannot collide with a body.
  const boundary = `=_rk_${input.boundarySeed.replace(/[^A-Za-z0-9]/g, '').slice(0, 40)}`;
  const head = [headerLine('From', formatMailbox(input.from)), headerLine('To', formatMailbox(input.to))];
  if (input.replyTo) head.push(headerLine('Reply-To', formatMailbox(input.replyTo)));
  head.push(headerLine('Subject', unstructured(input.subject)), headerLine('Date', rfc5322Date(input.date)));
  for (const [name, value] of input.headers) head.push(headerLine(name, singleLine(value)));
  head.push('MIME-Version: 1.0', `Content-Type: multipart/alternative; boundary="${boundary}"`);
  return [
    head.join('\r\n'),
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(input.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(input.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** `"Display Name" <address>`, the name quoted or encoded; the address alone when there is no name. */
export function formatMailbox(mailbox: Mailbox): string {
  const address = mailbox.address.trim();
  if (!/^[^\s<>@",;]+@[^\s<>@",;]+$/.test(address) || !/^[\x21-\x7E]+$/.test(address)) {
    throw new Error('mailbox address is not a plain ASCII address');
  }
  const name = singleLine(mailbox.name ?? '');
  if (!name) return `<${address}>`;
  const shown = /^[\x20-\x7E]*$/.test(name) ? `"${name.replace(/[\\"]/g, '\\$&')}"` : unstructured(name);
  return `${shown} <${address}>`;
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date-time in UTC, e.g. "Mon, 23 Nov 2026 11:11:00 +0000". */
export function rfc5322Date(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${days[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}
