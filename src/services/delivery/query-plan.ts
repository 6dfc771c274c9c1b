// Fits one drain pass into a query allowance (the Worker: what the sweeps left
// of the invocation's D1 queries). Two checks, both against what the meter
// says is left:
// - before a claim, how many messages fit: each at the dearest cost per
//   message a finished batch of this pass showed (never below a prior), after
//   a fixed cost for the batch's own claim and reads;
// - before a send starts, that recording it and every send in flight, and
//   putting back every other message in hand, still fits. A send is the one
//   step that cannot be undone: a message is never sent without the queries
//   to record it, and a claim that is let go goes back as it was.
// Reads the allowance only; never issues a query itself.
import type { QueryAllowance } from './ports.ts';

/**
 * Queries one claimed batch costs besides its messages: the claims, the
 * recheck reads, the coupons issued at this first attempt (an insert and the
 * messages' codes), the first view's shop link, and with a checkout
 * configured its codes' states and the campaign offer's discount (read,
 * remembered).
 */
export const batchQueries = 15;
/** Queries one message is assumed to cost until a batch of this pass has shown otherwise: views, links, start, outcome. */
export const priorQueriesPerMessage = 8;

export interface QueryPlan {
  /** Messages a claim may take now, with `held` messages already in hand and not yet recorded. */
  claimable(held: number): number;
  /** Whether one more send may start with `inFlight` sends unrecorded and `toRelease` messages to put back. */
  mayStart(inFlight: number, toRelease: number): boolean;
  /** A finished batch (sent, recorded, put back) cost `spent` queries for `messages` claims. */
  learn(spent: number, messages: number): void;
  left(): number;
}

/**
 * `outcomeQueries` is the most one outcome may write (a hard bounce with its
 * suppression); noting the send's start costs one more.
 */
export function queryPlan(allowance: QueryAllowance, outcomeQueries: number): QueryPlan {
  let perMessage = priorQueriesPerMessage;
  const perSend = outcomeQueries + 1;
  return {
    claimable(held) {
      const free = allowance.left() - batchQueries - held * perMessage;
      return Math.max(0, Math.floor(free / perMessage));
    },
    mayStart(inFlight, toRelease) {
      return allowance.left() >= (inFlight + 1) * perSend + toRelease;
    },
    learn(spent, messages) {
      if (messages > 0) perMessage = Math.max(perMessage, Math.ceil(spent / messages));
    },
    left: () => allowance.left(),
  };
}
