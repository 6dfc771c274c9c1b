// Builds the HTTP application from its dependencies. No side effects: the Node
// and Worker entry points wire the dependencies and serve what this returns.
import { Hono } from 'hono';
import { checkStore } from '../db/repositories/health.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { limitBodySize } from './body-limit.ts';
import { requireJsonBody } from './json-body.ts';
import { onError } from './on-error.ts';
import { browseDoorRoutes } from './routes/browse-door.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { couponRoutes } from './routes/coupons.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { eventRoutes } from './routes/events.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { privacyRoutes } from './routes/privacy.ts';
import { reportRoutes } from './routes/reports.ts';
import { sweepRoutes } from './routes/sweeps.ts';
import { trackingRoutes } from './routes/tracking.ts';
import { webhookRoutes } from './routes/webhooks.ts';

export const maxBodyBytes = 2 * 1024 * 1024;

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound((c) =>
    c.json(
      { error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}`, details: [] } },
      404,
    ),
  );
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.get('/healthz', async (c) => {
    const health = await checkStore(deps.store);
    if (health.ok) return c.json({ ok: true }, 200);
    const problem =
      health.problem === 'unreachable'
        ? 'the database does not answer'
        : `the database has not had its migrations (missing tables: ${health.missingTables.join(', ')}): run \`rekindle migrate\`, or on the Worker \`wrangler d1 migrations apply DB\``;
    return c.json({ ok: false, problem }, 503);
  });
  // The media type first: a body that will be refused is never counted or read.
  app.use('/v1/*', requireJsonBody());
  app.use('/v1/*', limitBodySize(maxBodyBytes));
  app.route('/v1', ingestRoutes());
  // Signed by the platform, not by an API key: the adapter checks the signature over the raw body
  // (any content type: WooCommerce's creation ping is a form post).
  app.use('/webhooks/*', limitBodySize(maxBodyBytes));
  app.route('/webhooks', webhookRoutes(deps));
  app.route('/v1', reportRoutes());
  app.route('/dashboard', dashboardRoutes());
  app.route('/v1', couponRoutes());
  app.route('/v1', sweepRoutes());
  app.route('/v1', eventRoutes());
  app.route('/v1', privacyRoutes());
  app.route('/', trackingRoutes());
  // Shoppers' own browsers, with the shopper token the shop's pages carry (and the script they load).
  app.route('/', browseDoorRoutes());
  app.route('/v1', campaignRoutes());
  app.route('/v1', openApiRoutes());
  return app;
}
