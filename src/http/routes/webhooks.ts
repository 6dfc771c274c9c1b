// POST /webhooks/{platform}: the shop platforms' webhooks, one route each,
// every topic through it. Mounts the platform's adapter
// (src/adapters/platforms/<platform>/) and hands it its ports: the ingest
// verb's statement builder and the privacy verb, which adapters never import.
// The raw body is read as bytes (the signature is over them); the size limit
// is the API's. A platform without its secret configured answers 503, so the
// platform delivers again once it is set.
import { Hono } from 'hono';
import type { PlatformPorts } from '../../adapters/platforms/shared/ports.ts';
import { shopifyWebhookReceiver } from '../../adapters/platforms/shopify/receive-webhook.ts';
import { ingestStatements } from '../../services/ingest/ingest-records.ts';
import { eraseCustomer } from '../../services/privacy/erase-customer.ts';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { errorBody } from '../on-error.ts';

export function webhookRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const ports = platformPorts(deps);
  const shopify = deps.shopify ? shopifyWebhookReceiver(ports, deps.shopify) : undefined;
  app.post('/shopify', async (c) => {
    if (!shopify) {
      return c.json(
        errorBody('not_configured', 'the Shopify connector is not configured: set SHOPIFY_WEBHOOK_SECRET'),
        503,
      );
    }
    const body = new Uint8Array(await c.req.arrayBuffer());
    const answer = await shopify({ headers: c.req.raw.headers, body });
    return c.json(answer.body, answer.status);
  });
  return app;
}

function platformPorts(deps: AppDeps): PlatformPorts {
  return {
    store: deps.store,
    now: deps.now,
    ingest: (input) => ingestStatements({ store: deps.store }, input),
    eraseCustomer: (input) => eraseCustomer({ store: deps.store }, input),
    shopCurrency: () => {
      const set = typeof deps.campaigns === 'function' ? deps.campaigns() : deps.campaigns;
      return set?.settings.currency;
    },
    log: deps.log ?? ((line) => console.log(line)),
  };
}
