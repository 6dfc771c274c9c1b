// Shop platforms' webhooks, under /webhooks: public routes authenticated by
// the platform's signature, not an API key. Each hands the raw request to its
// adapter (src/adapters/platforms/<platform>/) with the ingest verb's builder,
// and maps the result: 200 for anything understood (applied, a duplicate, a
// stale state, a topic Rekindle does not use, the creation ping), 503 when the
// delivery cannot be applied yet. A platform not configured here answers 404.
import { Hono } from 'hono';
import { receiveWooCommerceDelivery } from '../../adapters/platforms/woocommerce/receive-delivery.ts';
import { AppError } from '../../core/errors.ts';
import { ingestStatements } from '../../services/ingest/ingest-records.ts';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { errorBody } from '../on-error.ts';

function shopCurrency(deps: AppDeps): string | undefined {
  const set = typeof deps.campaigns === 'function' ? deps.campaigns() : deps.campaigns;
  return set?.settings.currency;
}

export function webhookRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/woocommerce', async (c) => {
    const deps = c.var.deps;
    if (!deps.woocommerce) {
      throw new AppError(
        404,
        'not_found',
        'WooCommerce webhooks are not set up on this server: set WOO_WEBHOOK_SECRET to the webhook secret',
      );
    }
    const result = await receiveWooCommerceDelivery(
      {
        store: deps.store,
        now: deps.now,
        secret: deps.woocommerce.webhookSecret,
        consentMetaKey: deps.woocommerce.consentMetaKey,
        shopCurrency: () => shopCurrency(deps),
        ingest: ingestStatements,
      },
      c.req.raw,
    );
    if (result.outcome === 'unavailable') return c.json(errorBody('unavailable', result.reason), 503);
    return c.json(result, 200);
  });
  return app;
}
