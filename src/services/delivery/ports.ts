// What the delivery service is handed: the outbox store, the campaign set, a
// mail transport, the renderer, a view builder, a link tracker and the shop
// checkouts coupon codes must exist at (all ports, so the Node home, the
// Worker and tests wire their own), plus the knobs from config. Types and
// defaults only.
import type { Campaign, CampaignSet, CampaignStep, ShopSettings } from '../../core/campaigns/types.ts';
import type { CheckoutCodes } from '../../core/delivery/checkout-codes.ts';
import { defaultRetryPolicy, type RetryPolicy } from '../../core/delivery/retry-policy.ts';
import type { SendPause } from '../../core/delivery/send-pause.ts';
import type { RateLimiter } from '../../core/delivery/send-rate-cap.ts';
import type { MailTransport } from '../../core/delivery/transport.ts';
import type { UnsubscribeUrl } from '../../core/delivery/unsubscribe-link.ts';
import type { EmailView, MessageRenderer } from '../../core/rendering/contract.ts';
import type { ClaimedMessage } from '../../db/repositories/outbox.ts';
import type { Store } from '../../db/store.ts';

export interface ViewInput {
  message: ClaimedMessage;
  campaign: Campaign;
  step: CampaignStep;
  settings: ShopSettings;
  /** The message's signed one-click unsubscribe URL, for the footer link. */
  unsubscribeUrl: string;
}

/** Builds what a template sees for one message; null when what it would show is gone. */
export interface DeliveryViews {
  build(input: ViewInput): Promise<EmailView | null>;
}

/** Rewrites links to signed click URLs and adds the open pixel; returns the original URLs in click order. */
export type LinkTracker = (input: {
  messageId: string;
  html: string;
  text: string;
}) => Promise<{ html: string; text?: string | undefined; links: string[] }>;

export interface DeliverySettings {
  /** Messages claimed per batch. */
  batchSize: number;
  /** Messages in flight at once (the SMTP pool size). */
  concurrency: number;
  /** How long a claim holds before another sender may take the message over. */
  leaseMs: number;
  retry: RetryPolicy;
  /**
   * Claims a message may take without an outcome (its sender died each
   * time, most likely while reading it) before the next claim fails it unread.
   */
  maxClaims: number;
}

export const defaultDeliverySettings: DeliverySettings = {
  batchSize: 100,
  concurrency: 5,
  leaseMs: 300_000,
  retry: defaultRetryPolicy,
  maxClaims: 3,
};

/** What is left of a budget of database queries, counted where the queries go out (the Worker's D1 meter). */
export interface QueryAllowance {
  left(): number;
}

export interface DeliveryDeps {
  store: Store;
  campaigns: CampaignSet;
  transport: MailTransport;
  renderer: MessageRenderer;
  views: DeliveryViews;
  trackLinks: LinkTracker;
  unsubscribeUrl: UnsubscribeUrl;
  /**
   * The shop checkouts a message's coupon code must exist at before it is
   * sent (services/delivery/checkout-codes.ts); none configured (the
   * default, core noCheckouts) makes no call.
   */
  checkout?: readonly CheckoutCodes[] | undefined;
  /** The mailto half of List-Unsubscribe; null leaves it out. Defaults to the shop's reply-to or from address. */
  unsubscribeMailto?: string | null | undefined;
  /** Caps starts per sliding second; keep one per transport for the process's lifetime. */
  limiter?: RateLimiter | undefined;
  /** The pause while the transport is unavailable; keep one per transport, like the limiter. */
  pause?: SendPause | undefined;
  /** Told when a pause starts: its length and what the transport said. */
  onPause?: ((ms: number, reason: string) => void) | undefined;
  /** End the pass instead of waiting out a pause (the Worker's cron comes back anyway). */
  stopWhenPaused?: boolean | undefined;
  settings?: Partial<DeliverySettings> | undefined;
  /** Business time: due dates, leases, sent_at. */
  now: () => number;
  /** Wall time for pacing the rate limiter and the pause; Date.now by default. */
  clock?: (() => number) | undefined;
  /** Waits on the wall clock; by default a timer the signal cuts short. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** Jitter source for retry delays; Math.random by default. */
  random?: (() => number) | undefined;
  /** Stops starting sends; claimed messages not yet sent go back to the queue as they were. */
  signal?: AbortSignal | undefined;
  /**
   * Queries the pass may still make (query-plan.ts): batches are sized to
   * fit and claimed one after another, a send starts only while recording it
   * fits, and the pass ends cleanly when nothing more does. Unlimited when absent.
   */
  queries?: QueryAllowance | undefined;
}

export interface DrainCounts {
  claimed: number;
  sent: number;
  /** Temporary failures rescheduled with backoff. */
  retrying: number;
  /** Sends that may or may not have arrived, waiting for their one retry. */
  ambiguous: number;
  failed: number;
  /** Addresses suppressed after a hard bounce. */
  suppressed: number;
  cancelled: number;
  cancelReasons: Record<string, number>;
  /** Claimed but not sent (the pass stopped, the lease or the query allowance ran short): back in the queue as they were. */
  abandoned: number;
  /** Claimed but not sent because the transport was unavailable: back in the queue, no attempt spent. */
  deferred: number;
  /** Claimed but waiting for their coupon code to exist at the shop's checkout: due again later, no attempt spent. */
  awaitingCodes: number;
}

export function emptyDrainCounts(): DrainCounts {
  return {
    claimed: 0,
    sent: 0,
    retrying: 0,
    ambiguous: 0,
    failed: 0,
    suppressed: 0,
    cancelled: 0,
    cancelReasons: {},
    abandoned: 0,
    deferred: 0,
    awaitingCodes: 0,
  };
}
