// POST /webhooks/{platform}: the shop platforms' webhooks, one route each,
// every topic through it. Public routes authenticated by the platform's
// signature, not an API key. Mounts the platform's adapter
// (src/adapters/platforms/<platform>/) and hands it its ports: the ingest
// verb's statement builder and the privacy verb, which adapters never import.
// The raw body is read as bytes (the signature is over them); the size limit
// is the API's. A platform without its secret configured answers 503 (naming
// the variable to set) to everything, WooCommerce's creation ping included:
// Shopify delivers again once it is set; WooCommerce shows the failure when
// the webhook is saved.
import { Hono } from 'hono';
import type { PlatformPorts, WebhookReceiver } from '../../adapters/platforms/shared/ports.ts';
import { shopifyWebhookReceiver } from '../../adapters/platforms/shopify/receive-webhook.ts';
import { wooCommerceWebhookReceiver } from '../../adapters/platforms/woocommerce/receive-delivery.ts';
import { ingestStatements } from '../../services/ingest/ingest-records.ts';
import { eraseCustomer } from '../../services/privacy/erase-customer.ts';
import { type AppDeps, type AppEnv, campaignSetOf } from '../app-env.ts';
import { errorBody } from '../on-error.ts';

export function webhookRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const ports = platformPorts(deps);
  mount(app, '/shopify', deps.shopify && shopifyWebhookReceiver(ports, deps.shopify), {
    name: 'Shopify',
    secret: 'SHOPIFY_WEBHOOK_SECRET',
  });
  mount(app, '/woocommerce', deps.woocommerce && wooCommerceWebhookReceiver(ports, deps.woocommerce), {
    name: 'WooCommerce',
    secret: 'WOO_WEBHOOK_SECRET',
  });
  return app;
}

function mount(
  app: Hono<AppEnv>,
  path: string,
  receiver: WebhookReceiver | undefined,
  platform: { name: string; secret: string },
): void {
  app.post(path, async (c) => {
    if (!receiver) {
      return c.json(
        errorBody(
          'not_configured',
          `the ${platform.name} connector is not configured: set ${platform.secret}`,
        ),
        503,
      );
    }
    const body = new Uint8Array(await c.req.arrayBuffer());
    const answer = await receiver({ headers: c.req.raw.headers, body });
    return c.json(answer.body, answer.status);
  });
}

/** The ports a platform adapter is handed; also `rekindle woocommerce sync`'s. */
export function platformPorts(deps: Pick<AppDeps, 'store' | 'now' | 'campaigns' | 'log'>): PlatformPorts {
  return {
    store: deps.store,
    now: deps.now,
    ingest: (input) => ingestStatements({ store: deps.store }, input),
    eraseCustomer: (input) => eraseCustomer({ store: deps.store }, input),
    shopCurrency: () => {
      const set = campaignSetOf(deps);
      return set?.settings.currency;
    },
    log: deps.log ?? ((line) => console.log(line)),
  };
}
