// The Node home's delivery wiring, shared by `rekindle send`, `rekindle
// send-test` and (for the lead to call) `rekindle serve`: the transport from
// config (SMTP or the .eml folder, DKIM when configured), one rate limiter
// and one outage pause for the transport's lifetime, the MJML renderer, the database view builder,
// the link tracker, the signed unsubscribe URLs and the shop checkouts coupon
// codes are made at (checkout-platforms.ts). Config comes in parsed.
import { nodeTokenSigner } from '../adapters/crypto/node-signer.ts';
import { createNodeTransport, createSendLimiter } from '../adapters/mailer/node-transport.ts';
import type { FetchPort } from '../adapters/platforms/shared/platform-fetch.ts';
import { createMjmlRenderer } from '../adapters/templates/mjml-renderer.ts';
import {
  ConfigError,
  checkoutPlatformsConfig,
  type NodeConfig,
  resolveSigningSecret,
} from '../config/env.ts';
import type { CampaignSet } from '../core/campaigns/types.ts';
import { createSendPause } from '../core/delivery/send-pause.ts';
import type { MailTransport } from '../core/delivery/transport.ts';
import { unsubscribeUrls } from '../core/delivery/unsubscribe-link.ts';
import { hourMs } from '../core/time.ts';
import { trackLinks } from '../core/tracking/track-links.ts';
import type { Store } from '../db/store.ts';
import { databaseViews } from '../services/delivery/db-views.ts';
import type { DrainOptions } from '../services/delivery/drain-outbox.ts';
import { wireCheckouts } from './checkout-platforms.ts';

export interface NodeDelivery {
  /** Everything drainOutbox / runDeliveryLoop need but `limit` and `signal`. */
  options: DrainOptions;
  transport: MailTransport;
  /** Set when links are signed with the local-only secret. */
  warning: string | undefined;
  close(): Promise<void>;
}

export async function createNodeDelivery(input: {
  config: NodeConfig;
  store: Store;
  campaigns: CampaignSet;
  now: () => number;
  transport?: MailTransport | undefined;
  /** The fetch the shop platforms' APIs are called with (coupons at checkout); global fetch by default. */
  fetch?: FetchPort | undefined;
}): Promise<NodeDelivery> {
  const { config, store, campaigns } = input;
  // One rule with `rekindle serve`, so links in sent mail verify there.
  const { secret, generated } = resolveSigningSecret(config);
  if (generated && config.SMTP_URL)
    throw new ConfigError('SIGNING_SECRET is required to send real mail (SMTP_URL is set)');
  const warning = generated
    ? 'SIGNING_SECRET is unset: links in these .eml files use a local-only key; set it before sending mail'
    : undefined;
  const signer = nodeTokenSigner(secret);
  const baseUrl = campaigns.settings.links.unsubscribeBaseUrl ?? config.PUBLIC_BASE_URL;
  const transport = input.transport ?? createNodeTransport(config);
  const checkouts = wireCheckouts({
    platforms: checkoutPlatformsConfig(config),
    store,
    shopCurrency: campaigns.settings.currency,
    now: input.now,
    fetch: input.fetch,
  });
  const options: DrainOptions = {
    store,
    campaigns,
    transport,
    renderer: createMjmlRenderer({ emailsDir: config.EMAILS_DIR }),
    views: databaseViews(store, campaigns, checkouts.links),
    checkout: checkouts.checkout,
    trackLinks: (mail) => trackLinks({ ...mail, signer, baseUrl: config.PUBLIC_BASE_URL, signTargets: true }),
    unsubscribeUrl: unsubscribeUrls(signer, baseUrl),
    unsubscribeMailto: config.UNSUBSCRIBE_MAILTO,
    limiter: createSendLimiter(config),
    pause: createSendPause(),
    settings: {
      batchSize: config.SEND_BATCH_SIZE,
      concurrency: config.SMTP_POOL_SIZE,
      leaseMs: config.SEND_LEASE_SECONDS * 1000,
      retry: {
        maxAttempts: config.SEND_MAX_ATTEMPTS,
        baseDelayMs: config.SEND_RETRY_BASE_SECONDS * 1000,
        maxDelayMs: 6 * hourMs,
      },
    },
    now: input.now,
  };
  return { options, transport, warning, close: () => transport.close() };
}
