// The sender's pause while its transport is unavailable (the mail server is
// down, DNS or TLS fails, the provider is out): exponential, capped, and
// reset by the first send that gets through. One pause lives as long as the
// transport, across passes, so a new pass of the serve loop does not hammer a
// server the last pass found down. It decides only how long to wait; it never
// touches a message, whose attempts an outage must not spend. Pure: times are
// handed in.

export interface SendPauseOptions {
  /** The first pause. */
  baseMs?: number | undefined;
  /** No pause is longer than this. */
  maxMs?: number | undefined;
}

export interface SendPause {
  /** How long before the next send may start; 0 when not paused. */
  waitMs(now: number): number;
  /** True from an unavailable transport until a send gets through: the sender probes with one message. */
  readonly failing: boolean;
  /**
   * The transport was unavailable at `now`: starts the next, longer pause and
   * returns its length, or 0 when a pause is already running (sends that
   * were in flight together fail together and count once).
   */
  unavailable(now: number): number;
  /** A send got an answer about its message: the transport works again. */
  reachable(): void;
}

export const defaultSendPause = { baseMs: 1_000, maxMs: 300_000 } as const;

export function createSendPause(options: SendPauseOptions = {}): SendPause {
  const baseMs = options.baseMs ?? defaultSendPause.baseMs;
  const maxMs = options.maxMs ?? defaultSendPause.maxMs;
  let pauses = 0;
  let until = 0;
  return {
    waitMs: (now) => Math.max(0, until - now),
    get failing() {
      return pauses > 0;
    },
    unavailable(now) {
      if (now < until) return 0;
      const length = Math.min(maxMs, baseMs * 2 ** Math.min(pauses, 30));
      pauses++;
      until = now + length;
      return length;
    },
    reachable() {
      pauses = 0;
      until = 0;
    },
  };
}
