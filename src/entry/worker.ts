// Cloudflare Worker entry: validates the Worker env, opens the D1 store and
// serves the same createApp(deps) as the Node home; Cron Triggers land in
// runScheduled. It wires and dispatches only: no routes, queries or business
// rules belong here, and nothing below it may read `env`.
import type { ExecutionContext, ScheduledController } from '@cloudflare/workers-types';
import type { Hono } from 'hono';
import { createPrecompiledRenderer } from '../adapters/templates/precompiled-renderer.ts';
import { bundledCampaignsLabel, parseBundledCampaigns } from '../config/bundled-campaigns.ts';
import { browseDoorConfig, shopifyConnector, wooCommerceConnector } from '../config/env.ts';
import { parseWorkerEnv, type WorkerConfig } from '../config/worker-env.ts';
import type { CampaignSetLoad } from '../core/campaigns/set-source.ts';
import type { CampaignSet } from '../core/campaigns/types.ts';
import { webHmacSha256 } from '../core/crypto/hmac-sha256.ts';
import type { MessageRenderer } from '../core/rendering/contract.ts';
import { lazyTokenSigner } from '../core/tracking/lazy-signer.ts';
import { shopperTokensWith } from '../core/tracking/shopper-token.ts';
import { openD1Store } from '../db/d1.ts';
import { meterD1 } from '../db/d1-query-meter.ts';
import { campaignFiles } from '../generated/campaign-files.ts';
import { emailTemplates } from '../generated/email-templates.ts';
import type { AppDeps, AppEnv, BrowseDoorDeps, TrackingDeps } from '../http/app-env.ts';
import { createApp } from '../http/create-app.ts';
import { errorBody } from '../http/on-error.ts';
import { CampaignSetError } from '../services/campaigns/campaign-registry.ts';
import { drainOutbox } from '../services/delivery/drain-outbox.ts';
import { createWorkerDelivery } from './worker-delivery.ts';
import { runWorkerSweeps } from './worker-sweeps.ts';
import { runWorkerWebhooks } from './worker-webhooks.ts';

/** What a scheduled job is handed: the app's dependencies plus the Worker config. */
export interface WorkerDeps extends AppDeps {
  config: WorkerConfig;
}

interface Wired {
  deps: WorkerDeps;
  app: Hono<AppEnv>;
  /** The bundled campaign set, parsed once per isolate; awaited before the first event is served. */
  campaigns: Promise<CampaignSetLoad>;
  renderer: MessageRenderer;
}

// The runtime hands the same env object to every event in an isolate, so the
// env is parsed and the app built once per isolate, not once per request.
const wiredByEnv = new WeakMap<object, Wired>();

function wire(env: unknown): Wired {
  const key = typeof env === 'object' && env !== null ? env : undefined;
  const cached = key && wiredByEnv.get(key);
  if (cached) return cached;
  const config = parseWorkerEnv(env);
  const deps: WorkerDeps = {
    store: openD1Store(config.DB),
    now: Date.now,
    config,
    tracking: workerTracking(config),
    shopify: shopifyConnector(config),
    woocommerce: wooCommerceConnector(config),
    browse: workerBrowseDoor(config),
  };
  let set: CampaignSet | undefined;
  deps.campaigns = () => set;
  const campaigns = parseBundledCampaigns(campaignFiles).then((load) => {
    if (load.ok) set = load.set;
    // Logged once per isolate; requests that need campaigns answer 503 meanwhile.
    else console.error(new CampaignSetError(bundledCampaignsLabel, load.errors).message);
    return load;
  });
  const renderer = createPrecompiledRenderer(emailTemplates);
  deps.renderer = renderer;
  const wired = { deps, app: createApp(deps), campaigns, renderer };
  if (key) wiredByEnv.set(key, wired);
  return wired;
}

// Tracking needs both vars; without them the public tracking routes answer 404
// (the client address comes from cf-connecting-ip, the default).
function workerTracking(config: WorkerConfig): TrackingDeps | undefined {
  if (!config.SIGNING_SECRET || !config.PUBLIC_BASE_URL) return undefined;
  return { signer: lazyTokenSigner(config.SIGNING_SECRET), baseUrl: config.PUBLIC_BASE_URL };
}

// Shopper tokens over Web Crypto (its key imported on first use); off without the secret.
function workerBrowseDoor(config: WorkerConfig): BrowseDoorDeps | undefined {
  const door = browseDoorConfig(config);
  return door && { tokens: shopperTokensWith(webHmacSha256(door.secret)), origins: door.origins };
}

/**
 * Runs the jobs behind one Cron Trigger, keyed on `event.cron` as listed in
 * wrangler.toml [triggers]: the sweeps (cart + stock every 5 minutes, dormant
 * nightly, each resumable), the events owed to the shop's endpoints, then
 * the delivery drain, all on one D1 meter:
 * the sweeps stop within their share of QUERY_BUDGET, delivery sizes its
 * batches to what they left, and what does not fit waits for the next tick.
 * Not exported: a Worker module's named exports become
 * entrypoints. An invalid bundled campaign set fails the invocation, visibly.
 */
async function runScheduled(
  event: Pick<ScheduledController, 'cron' | 'scheduledTime'>,
  wired: Wired,
): Promise<void> {
  const { config } = wired.deps;
  const load = await wired.campaigns;
  if (!load.ok) throw new CampaignSetError(bundledCampaignsLabel, load.errors);
  // One meter per invocation: every query of the sweeps and of delivery goes through it.
  const { db, meter } = meterD1(config.DB);
  const store = openD1Store(db);
  const budget = config.QUERY_BUDGET;
  const swept = await runWorkerSweeps(event, {
    store,
    campaigns: load.set,
    budget: Math.min(config.SWEEP_QUERY_BUDGET, budget),
    spent: () => meter.count,
    pageSize: config.SWEEP_PAGE_SIZE,
  });
  const sweepQueries = meter.count;
  // Then the events owed to the shop, then the mail that is due (skipped
  // until mail is configured). Time runs from the trigger's scheduled time, as
  // the sweeps' does, so a replayed or late trigger sends what was due then
  // (the skew is ~0 live).
  const skew = event.scheduledTime - Date.now();
  await runWorkerWebhooks({
    config,
    store,
    settings: load.set.settings,
    now: () => Date.now() + skew,
    queries: { left: () => budget - meter.count },
  });
  const delivery = createWorkerDelivery({
    config,
    store,
    campaigns: load.set,
    renderer: wired.renderer,
    now: () => Date.now() + skew,
    queries: { left: () => budget - meter.count },
  });
  const beforeDelivery = meter.count;
  const drained = delivery ? await drainOutbox(delivery) : undefined;
  console.log(
    `rekindle: cron "${event.cron}" used ${meter.count} D1 queries (budget ${budget}); ` +
      queryCost({
        sweepQueries,
        customers: swept.flatMap((job) => job.campaigns).reduce((sum, c) => sum + c.eligible, 0),
        deliveryQueries: meter.count - beforeDelivery,
        sent: drained?.sent ?? 0,
      }),
  );
}

/**
 * What the D1 limits are planned by: queries per 1,000 customers the sweeps
 * examined (their triggers' hits) and per 100 messages delivery sent.
 */
function queryCost(spent: {
  sweepQueries: number;
  customers: number;
  deliveryQueries: number;
  sent: number;
}): string {
  const per = (queries: number, units: number, scale: number) =>
    units === 0 ? 'n/a' : ((queries / units) * scale).toFixed(1);
  return (
    `sweeps ${spent.sweepQueries} for ${spent.customers} customers ` +
    `(${per(spent.sweepQueries, spent.customers, 1000)} per 1,000), ` +
    `delivery ${spent.deliveryQueries} for ${spent.sent} sent (${per(spent.deliveryQueries, spent.sent, 100)} per 100)`
  );
}

export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    let wired: Wired;
    try {
      wired = wire(env);
    } catch (error) {
      // The details name bindings and vars: log them for the operator, never
      // send them to the caller.
      console.error(String(error));
      return Response.json(errorBody('misconfigured', 'the service is misconfigured'), { status: 500 });
    }
    await wired.campaigns;
    return wired.app.fetch(request, env, ctx);
  },

  async scheduled(controller: ScheduledController, env: unknown, _ctx: ExecutionContext): Promise<void> {
    // A misconfigured env throws here on purpose: the failed invocation shows
    // in the Cron Trigger's history instead of silently doing nothing.
    await runScheduled(controller, wire(env));
  },
};
