// A transport that keeps what it is given, for tests and dry wiring. Answers
// 'delivered' unless a script says otherwise for a given attempt.
import type { MailTransport, OutgoingMail, SendOutcome } from '../../core/delivery/transport.ts';

export interface MemoryTransport extends MailTransport {
  readonly sent: OutgoingMail[];
}

/** `script(mail, attempt)` picks the outcome; attempt counts sends of this Message-ID, from 1. */
export function createMemoryTransport(
  script?: (mail: OutgoingMail, attempt: number) => SendOutcome | undefined,
): MemoryTransport {
  const sent: OutgoingMail[] = [];
  const attempts = new Map<string, number>();
  return {
    name: 'memory',
    sent,
    async send(mail) {
      const attempt = (attempts.get(mail.messageId) ?? 0) + 1;
      attempts.set(mail.messageId, attempt);
      const outcome = script?.(mail, attempt) ?? {
        kind: 'delivered',
        providerMessageId: `memory-${sent.length + 1}`,
      };
      if (outcome.kind === 'delivered' || outcome.kind === 'ambiguous') sent.push(mail);
      return outcome;
    },
    async close() {},
  };
}
