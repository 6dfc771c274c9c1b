// The SMTP transport: nodemailer's pooled client (maxConnections from
// SMTP_POOL_SIZE), fed the composed (and, when configured, DKIM-signed)
// message as it is. Two choices keep retries honest: the pool never requeues
// a message on its own (maxRequeues 0: a requeue after the data went out
// would be a silent duplicate), and a marker at the very end of nodemailer's
// message pipeline notes when the last byte was handed to the connection, so
// a drop or timeout can be told apart: before that, temporary; after, the
// server may have the message (ambiguous). nodemailer's rateLimit is not
// used; the sender's own limiter caps the rate. Never throws.
import { PassThrough, type Readable } from 'node:stream';
import { createTransport } from 'nodemailer';
import type { MailTransport, OutgoingMail, SendOutcome } from '../../core/delivery/transport.ts';
import type { MessageSigner } from './dkim.ts';
import { type SmtpErrorLike, smtpOutcome } from './smtp-outcome.ts';

export interface SmtpOptions {
  /** smtp://user:pass@host:port or smtps://... */
  url: string;
  poolSize: number;
  sign?: MessageSigner | undefined;
  /** Socket inactivity timeout; nodemailer's default (10 minutes) is long for a queue runner. */
  socketTimeoutMs?: number | undefined;
  /** Extra nodemailer options, e.g. tls settings for tests. */
  extra?: Record<string, unknown> | undefined;
}

interface DataMark {
  sent: boolean;
}

const markKey = 'rekindleDataMark';

export function createSmtpTransport(options: SmtpOptions): MailTransport {
  const mailer = createTransport({
    ...options.extra,
    url: options.url,
    pool: true,
    maxConnections: options.poolSize,
    maxRequeues: 0,
    socketTimeout: options.socketTimeoutMs ?? 60_000,
  } as Parameters<typeof createTransport>[0]);
  // A processFunc added here runs last (there is no transport-level dkim), so
  // its output is what the connection reads, and only after DATA was accepted:
  // 'end' fires once the last byte is on its way to the server.
  mailer.use('stream', (mail, done) => {
    const mark = (mail.data as Record<string, unknown>)[markKey] as DataMark | undefined;
    if (mark) {
      mail.message.processFunc((input: Readable) => {
        const output = new PassThrough();
        output.once('end', () => {
          mark.sent = true;
        });
        input.on('error', (error) => output.destroy(error));
        return input.pipe(output);
      });
    }
    done();
  });

  return {
    name: 'smtp',
    async send(mail: OutgoingMail): Promise<SendOutcome> {
      const mark: DataMark = { sent: false };
      try {
        const raw = options.sign ? await options.sign(mail.raw) : mail.raw;
        const info = await mailer.sendMail({
          envelope: { from: mail.envelope.from, to: [mail.envelope.to] },
          raw,
          [markKey]: mark,
        } as Parameters<typeof mailer.sendMail>[0]);
        return { kind: 'delivered', providerMessageId: serverQueueId(info) ?? mail.messageId };
      } catch (error) {
        return smtpOutcome((error ?? {}) as SmtpErrorLike, mark.sent);
      }
    },
    async close() {
      mailer.close();
    },
  };
}

/** The id the server gave the message ("250 2.0.0 Ok: queued as 4Fq1"), which its logs and bounces use. */
function serverQueueId(info: unknown): string | undefined {
  const { serverMessageId, response } = (info ?? {}) as { serverMessageId?: string; response?: string };
  if (serverMessageId) return serverMessageId;
  return /\bqueued as ([^\s;]+)/i.exec(response ?? '')?.[1];
}
