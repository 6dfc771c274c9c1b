// Turns what nodemailer's SMTP client reports into a SendOutcome. A reply
// code decides when there is one (4xx temporary, 5xx permanent); without one
// (a timeout, a reset, a closed connection) what matters is whether the
// message data had gone out: before, the server cannot have the message
// (temporary); after, it may (ambiguous). Pure.
import type { SendOutcome } from '../../core/delivery/transport.ts';

export interface SmtpErrorLike {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
  /** The command in flight: 'CONN', 'EHLO', 'AUTH PLAIN', 'MAIL FROM', 'RCPT TO', 'DATA'... */
  command?: string;
}

// Replies about the message or its recipients; a 5xx anywhere else (greeting,
// EHLO, AUTH) refuses our session, not this message, and is retried.
const messageCommands = new Set(['MAIL FROM', 'RCPT TO', 'DATA']);
const messageErrorCodes = new Set(['EENVELOPE', 'EMESSAGE']);

export function smtpOutcome(error: SmtpErrorLike, dataSent: boolean): SendOutcome {
  const code = error.responseCode;
  const reason = shorten(error.response || error.message || error.code || 'unknown error');
  if (typeof code === 'number' && code >= 400 && code < 600) {
    const aboutMessage =
      (error.command !== undefined && messageCommands.has(error.command)) ||
      (error.code !== undefined && messageErrorCodes.has(error.code));
    if (code < 500 || !aboutMessage) return { kind: 'temporary', code, reason };
    return { kind: 'permanent', code, reason, hardBounce: isHardBounce(code, error.response) };
  }
  if (dataSent) return { kind: 'ambiguous', reason };
  // Refused before the server saw a byte of it (e.g. over the size the server advertised).
  if (error.code === 'EMESSAGE') return { kind: 'permanent', reason, hardBounce: false };
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
