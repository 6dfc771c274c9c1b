// The Worker home's delivery wiring, for the cron handler to call as
// `drainOutbox(createWorkerDelivery(...))`: the HTTP transport to
// MAIL_HTTP_URL (MIME composed in core, no node:*), the bundled renderer
// handed in, the database view builder, tracked links and signed unsubscribe
// URLs, the shop checkouts coupon codes are made at (checkout-platforms.ts,
// over the same fetch), and the invocation's query allowance. Undefined when
// the Worker is not configured to send (no endpoint, secret or public URL),
// so the cron simply skips delivery.

import { createHttpTransport } from '../adapters/mailer/http.ts';
import { checkoutPlatformsConfig } from '../config/env.ts';
import type { WorkerConfig } from '../config/worker-env.ts';
import type { CampaignSet } from '../core/campaigns/types.ts';
import { unsubscribeUrls } from '../core/delivery/unsubscribe-link.ts';
import type { MessageRenderer } from '../core/rendering/contract.ts';
import { lazyTokenSigner } from '../core/tracking/lazy-signer.ts';
import { trackLinks } from '../core/tracking/track-links.ts';
import type { Store } from '../db/store.ts';
import { databaseViews } from '../services/delivery/db-views.ts';
import type { DrainOptions } from '../services/delivery/drain-outbox.ts';
import type { QueryAllowance } from '../services/delivery/ports.ts';
import { wireCheckouts } from './checkout-platforms.ts';

export function createWorkerDelivery(input: {
  config: Pick<
    WorkerConfig,
    | 'MAIL_HTTP_URL'
    | 'MAIL_HTTP_TOKEN'
    | 'MAIL_HTTP_FORMAT'
    | 'SIGNING_SECRET'
    | 'PUBLIC_BASE_URL'
    | 'UNSUBSCRIBE_MAILTO'
  > &
    Partial<
      Pick<
        WorkerConfig,
        | 'SHOPIFY_SHOP_DOMAIN'
        | 'SHOPIFY_ADMIN_TOKEN'
        | 'SHOPIFY_API_VERSION'
        | 'WOO_URL'
        | 'WOO_KEY'
        | 'WOO_SECRET'
      >
    >;
  store: Store;
  campaigns: CampaignSet;
  renderer: MessageRenderer;
  now: () => number;
  /** What the sweeps left of the invocation's D1 queries; delivery sizes its batches to it. */
  queries: QueryAllowance;
  fetch?: typeof fetch | undefined;
  /** Overrides https://{SHOPIFY_SHOP_DOMAIN} for the Admin API (tests). */
  shopifyBaseUrl?: string | undefined;
}): DrainOptions | undefined {
  const { config, store, campaigns } = input;
  if (!config.MAIL_HTTP_URL || !config.SIGNING_SECRET || !config.PUBLIC_BASE_URL) return undefined;
  const signer = lazyTokenSigner(config.SIGNING_SECRET);
  const publicUrl = config.PUBLIC_BASE_URL;
  const checkouts = wireCheckouts({
    platforms: checkoutPlatformsConfig(config),
    store,
    shopCurrency: campaigns.settings.currency,
    now: input.now,
    fetch: input.fetch,
    shopifyBaseUrl: input.shopifyBaseUrl,
  });
  return {
    store,
    campaigns,
    transport: createHttpTransport({
      url: config.MAIL_HTTP_URL,
      token: config.MAIL_HTTP_TOKEN,
      format: config.MAIL_HTTP_FORMAT,
      fetch: input.fetch,
    }),
    renderer: input.renderer,
    views: databaseViews(store, campaigns, checkouts.links),
    checkout: checkouts.checkout,
    trackLinks: (mail) => trackLinks({ ...mail, signer, baseUrl: publicUrl, signTargets: true }),
    unsubscribeUrl: unsubscribeUrls(signer, campaigns.settings.links.unsubscribeBaseUrl ?? publicUrl),
    unsubscribeMailto: config.UNSUBSCRIBE_MAILTO,
    // Workers allow six connections at once; a provider API is fast enough with a few.
    settings: { batchSize: 25, concurrency: 4, leaseMs: 120_000 },
    // A cron run does not sleep through a provider outage; the next run tries again.
    stopWhenPaused: true,
    now: input.now,
    queries: input.queries,
  };
}
