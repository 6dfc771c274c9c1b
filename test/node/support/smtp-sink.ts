// A real SMTP server on loopback (smtp-server) that records every message it
// accepts, with the time it accepted it, and can be told how to answer each
// recipient or message: accept, reply with a code, or drop the connection.
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface Received {
  raw: string;
  from: string;
  to: string[];
  /** Date.now() when the server accepted the message. */
  at: number;
}

export type DataVerdict = 'accept' | 'drop' | { code: number; message: string };

export interface SinkBehaviour {
  /** Per recipient, before DATA: null accepts, a code rejects, 'drop' closes the connection. */
  rcpt?: (address: string) => null | 'drop' | { code: number; message: string };
  /** After the whole message arrived; 'drop' closes the connection without a reply. */
  data?: (raw: string, attempt: number) => DataVerdict;
}

export interface SmtpSink {
  url: string;
  received: Received[];
  /** Messages whose data fully arrived, accepted or not. */
  dataAttempts: number;
  /** Connection errors the server reported (a client killed mid-transaction resets its socket). */
  errors: Error[];
  behave(behaviour: SinkBehaviour): void;
  close(): Promise<void>;
}

/** `port` listens on that port (e.g. to bring a stopped server back); any free one by default. */
export async function startSmtpSink(
  behaviour: SinkBehaviour = {},
  options: { port?: number } = {},
): Promise<SmtpSink> {
  let current = behaviour;
  const received: Received[] = [];
  const sink: SmtpSink = {
    url: '',
    received,
    dataAttempts: 0,
    errors: [],
    behave(next) {
      current = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const drop = (session: SMTPServerSession) => {
    for (const connection of server.connections) {
      if ((connection as unknown as { id: string }).id === session.id) {
        (connection as unknown as { _socket: { destroy(): void } })._socket.destroy();
      }
    }
  };

  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // Off, so a test's reply text ("5.7.1 ...") is the whole enhanced code the client sees.
    hideENHANCEDSTATUSCODES: true,
    closeTimeout: 100,
    onRcptTo(address, session, callback) {
      const verdict = current.rcpt?.(address.address) ?? null;
      if (verdict === 'drop') return drop(session);
      if (verdict) return callback(Object.assign(new Error(verdict.message), { responseCode: verdict.code }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        sink.dataAttempts++;
        const raw = Buffer.concat(chunks).toString('latin1');
        const verdict = current.data?.(raw, sink.dataAttempts) ?? 'accept';
        if (verdict === 'drop') return drop(session);
        if (verdict !== 'accept') {
          return callback(Object.assign(new Error(verdict.message), { responseCode: verdict.code }));
        }
        received.push({
          raw,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          at: Date.now(),
        });
        callback(null, `Ok: queued as Q${received.length}`);
      });
    },
  });
  // smtp-server re-emits a reset inside a transaction as 'error'; unheard, it
  // would be an uncaught exception in whichever test happens to be running.
  server.on('error', (err) => sink.errors.push(err));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('smtp sink has no port');
  sink.url = `smtp://127.0.0.1:${address.port}`;
  return sink;
}

/** The Message-ID header of a raw message, without brackets. */
export function messageIdOf(raw: string): string | undefined {
  return /^Message-ID:\s*<([^>]+)>/im.exec(raw)?.[1];
}
