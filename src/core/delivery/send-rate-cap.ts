// The sender's own cap on how many messages start in any one second. It is a
// bucket of N tokens in which a token comes back one second after the send
// that used it FINISHED, rather than one refilled at N per second: a
// refilling bucket lets a full bucket's burst plus a second's refill through
// within one sliding second (2N, the same flaw as nodemailer's rateLimit).
// Counting from the finish, not the start, makes the cap hold where the
// receiving server measures it: a send is accepted somewhere between its
// start and its finish, so two sends on one token are accepted at least a
// window apart, however long connecting or queueing took. Pure: the clock is
// passed in on every call, and nothing here sleeps.

/** Held while one send is in flight; release it with the time the send finished. */
export interface Permit {
  release(now: number): void;
}

export interface RateLimiter {
  /** A permit when a token is free at `now`; otherwise how many ms to wait before asking again. */
  take(now: number): Permit | number;
}

export interface RateLimit {
  /** Sends allowed per window; 0 or less means no cap. */
  perWindow: number;
  windowMs?: number | undefined;
  /** How soon to ask again when every token is held by a send in flight. */
  busyWaitMs?: number | undefined;
}

const noop: Permit = { release() {} };

export function createRateLimiter(limit: RateLimit): RateLimiter {
  const capacity = Math.floor(limit.perWindow);
  if (capacity <= 0) return { take: () => noop };
  const windowMs = limit.windowMs ?? 1000;
  const busyWaitMs = limit.busyWaitMs ?? 10;
  // When each token may be used again; +Infinity while its send is in flight.
  const freeAt = new Array<number>(capacity).fill(Number.NEGATIVE_INFINITY);
  return {
    take(now) {
      let slot = 0;
      for (let i = 1; i < capacity; i++) if (freeAt[i]! < freeAt[slot]!) slot = i;
      const soonest = freeAt[slot]!;
      if (soonest === Number.POSITIVE_INFINITY) return busyWaitMs;
      if (soonest > now) return soonest - now;
      freeAt[slot] = Number.POSITIVE_INFINITY;
      let released = false;
      return {
        release(at) {
          if (released) return;
          released = true;
          freeAt[slot] = at + windowMs;
        },
      };
    },
  };
}
