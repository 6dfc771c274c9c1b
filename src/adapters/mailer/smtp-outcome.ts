// Turns what nodemailer's SMTP client reports into a SendOutcome. Only an
// answer about this message counts against it: a reply to MAIL FROM, RCPT TO
// or its data (4xx temporary, 5xx permanent), or a timeout or drop after the
// data had gone out (ambiguous: the server may have it). Everything else is
// about the service, not the message (a refused connection, DNS, TLS, the
// greeting, EHLO, AUTH, a 421 "closing channel", a drop before the data went
// out) and is transport_unavailable: the sender pauses and spends no attempt.
// Pure.
import type { SendOutcome } from '../../core/delivery/transport.ts';

export interface SmtpErrorLike {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
  /** The command in flight: 'CONN', 'EHLO', 'AUTH PLAIN', 'MAIL FROM', 'RCPT TO', 'DATA'... */
  command?: string;
}

const messageCommands = new Set(['MAIL FROM', 'RCPT TO', 'DATA']);
const messageErrorCodes = new Set(['EENVELOPE', 'EMESSAGE']);
// nodemailer's codes for trouble with the connection or the session.
const sessionErrorCodes = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EREQUIRETLS',
  'EPROTOCOL',
  'EAUTH',
  'ENOAUTH',
  'EOAUTH2',
  'EPROXY',
  'EMAXLIMIT',
]);

export function smtpOutcome(error: SmtpErrorLike, dataSent: boolean): SendOutcome {
  const code = error.responseCode;
  const reason = shorten(error.response || error.message || error.code || 'unknown error');
  const aboutMessage =
    (error.command !== undefined && messageCommands.has(error.command)) ||
    (error.code !== undefined && messageErrorCodes.has(error.code));
  if (typeof code === 'number' && code >= 400 && code < 600) {
    // 421 is the server shutting the session, whatever command it answers.
    if (code === 421 || !aboutMessage) return { kind: 'transport_unavailable', code, reason };
    if (code < 500) return { kind: 'temporary', code, reason };
    return { kind: 'permanent', code, reason, hardBounce: isHardBounce(code, error.response) };
  }
  if (dataSent) return { kind: 'ambiguous', reason };
  // Refused before the server saw a byte of it (e.g. over the size the server advertised).
  if (error.code === 'EMESSAGE') return { kind: 'permanent', reason, hardBounce: false };
  if (!aboutMessage && error.code !== undefined && sessionErrorCodes.has(error.code)) {
    return { kind: 'transport_unavailable', reason };
  }
  // Anything else (our signer failed, an envelope nodemailer refused) is about
  // this message, and bounded by its attempts.
  return { kind: 'temporary', reason };
}

/**
 * A hard bounce says the address does not exist. With an enhanced status code
 * (RFC 3463) only 5.1.x (bad address) and 5.2.1 (mailbox disabled) are; a
 * "550 5.7.1" is a policy or spam block and must not suppress the customer.
 * Without one, the classic 550/551/553 are taken as hard.
 */
export function isHardBounce(code: number, response: string | undefined): boolean {
  const enhanced = /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(response ?? '')?.[1];
  if (enhanced) return /^5\.1\.\d+$/.test(enhanced) || enhanced === '5.2.1';
  return code === 550 || code === 551 || code === 553;
}

function shorten(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}
