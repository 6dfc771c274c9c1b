// The port every mail transport implements (SMTP, .eml folder, HTTP provider,
// memory) and the outcome it reports. A transport never throws: whatever goes
// wrong becomes one of the outcomes below, so the sender can decide between
// retrying, failing, suppressing and pausing without knowing which transport
// it used. The one line every transport must draw the same way: an answer
// about this message (temporary, permanent, ambiguous) counts against the
// message; trouble reaching the service at all (transport_unavailable) never
// does. Types only.

/** One composed message, ready for the wire. */
export interface OutgoingMail {
  /** The outbox row's id; transports that store files name them after it. */
  id: string;
  /** The Message-ID header's value without angle brackets, also in `raw`. */
  messageId: string;
  envelope: { from: string; to: string };
  /** The complete RFC 5322 message (headers + MIME body), ASCII, CRLF line ends. */
  raw: string;
}

export type SendOutcome =
  | { kind: 'delivered'; providerMessageId: string }
  /** Worth retrying later: a 4xx reply about this message (to MAIL FROM, RCPT TO or its data). */
  | { kind: 'temporary'; code?: number | undefined; reason: string }
  /** Will never work: a 5xx reply. A hard bounce means the address itself does not exist. */
  | { kind: 'permanent'; code?: number | undefined; reason: string; hardBounce: boolean }
  /**
   * A timeout or drop after the message data was sent: the server may have
   * accepted it. Retried at most once, with the same Message-ID.
   */
  | { kind: 'ambiguous'; reason: string }
  /**
   * Not about this message: the service could not be reached or refused the
   * session (connection refused, DNS, TLS, greeting timeout, authentication,
   * a drop before the data went out, a provider outage or rate limit). The
   * server cannot have the message; the sender pauses and spends no attempt.
   */
  | { kind: 'transport_unavailable'; code?: number | undefined; reason: string };

export interface MailTransport {
  /** A short name for logs and counts: smtp, eml, http, memory. */
  readonly name: string;
  send(mail: OutgoingMail): Promise<SendOutcome>;
  /** Releases pooled connections; a no-op for transports that hold none. */
  close(): Promise<void>;
}
