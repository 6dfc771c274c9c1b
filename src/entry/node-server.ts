// Wires the Node home: the campaign set (refused when invalid), the libSQL
// store (migrated on start), the Hono app on @hono/node-server, the
// scheduled jobs, the mail sender and the event deliverer. Used by `rekindle serve` and by src/entry/node.ts. SIGHUP
// reloads the campaign files, keeping the last valid set when they are broken.

import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { nodeHmacSha256, nodeTokenSigner } from '../adapters/crypto/node-signer.ts';
import { type ScheduledJob, type Scheduler, startScheduler } from '../adapters/scheduler/cron-scheduler.ts';
import { createMjmlRenderer } from '../adapters/templates/mjml-renderer.ts';
import { campaignFolderSource } from '../config/campaign-set-source.ts';
import {
  browseDoorConfig,
  ConfigError,
  type NodeConfig,
  resolveSigningSecret,
  shopifyConnector,
  wooCommerceConnector,
} from '../config/env.ts';
import { shopperTokensWith } from '../core/tracking/shopper-token.ts';
import { migrateLibsql, openLibsqlStore } from '../db/libsql.ts';
import type { BrowseDoorDeps, TrackingDeps } from '../http/app-env.ts';
import { createApp } from '../http/create-app.ts';
import { openCampaignRegistry, type ReloadOutcome } from '../services/campaigns/campaign-registry.ts';
import { writeEngagementBehind } from '../services/tracking/engagement-recorder.ts';
import { type DeliveryLoopHandle, startDeliveryLoop } from './node-delivery-loop.ts';
import { startWebhookLoop } from './node-webhook-loop.ts';
import { type SweepScheduleContext, sweepScheduleJobs } from './sweep-schedule.ts';

export interface RunningServer {
  port: number;
  scheduler: Scheduler | undefined;
  /** Reloads the campaign files now (what SIGHUP does). */
  reloadCampaigns(): Promise<ReloadOutcome>;
  /** Stops the schedules, stops accepting connections and closes the database. */
  close(): Promise<void>;
  /** Settles once the server has closed, by close() or a signal. */
  closed: Promise<void>;
}

export type BackgroundContext = SweepScheduleContext;

/**
 * Every cron job `rekindle serve` schedules. The delivery drain is not a cron
 * job: it runs as a loop beside them (node-delivery-loop.ts).
 */
export function backgroundJobs(ctx: BackgroundContext): ScheduledJob[] {
  return [...sweepScheduleJobs(ctx)];
}

export interface StartOptions {
  /** Where the one-line job logs and reload errors go; default stderr. */
  log?: (line: string) => void;
  /** Run the scheduled jobs (default true); tests of the HTTP side turn them off. */
  schedule?: boolean;
  /** Run the delivery loop and the event deliverer beside the schedules (default: as `schedule`). */
  deliver?: boolean;
  /** Let the cron timers fire (default true); tests that call runNow turn them off. */
  cronTicks?: boolean;
  /** Jobs added to backgroundJobs(), e.g. by tests. */
  extraJobs?: (ctx: BackgroundContext) => ScheduledJob[];
}

/** Throws CampaignSetError, before opening anything, when the campaign files are invalid. */
export async function startNodeServer(
  config: NodeConfig,
  options: StartOptions = {},
): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const registry = await openCampaignRegistry(
    campaignFolderSource({ dir: config.CAMPAIGNS_DIR, emailsDir: config.EMAILS_DIR }),
    log,
  );
  const tracking = nodeTracking(config);
  const browse = nodeBrowseDoor(config);
  const store = await openLibsqlStore({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
  await migrateLibsql(store);
  const renderer = createMjmlRenderer({ emailsDir: config.EMAILS_DIR });
  const engagement = writeEngagementBehind(store, { log });
  const app = createApp({
    store,
    now: Date.now,
    campaigns: registry.current,
    tracking,
    renderer,
    engagement,
    shopify: shopifyConnector(config),
    woocommerce: wooCommerceConnector(config),
    browse,
    log,
  });

  // Listen before any sweep or send starts, so a taken port stops nothing half-way.
  let server: ReturnType<typeof serve> | undefined;
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info: AddressInfo) =>
        resolve(info.port),
      );
      server.once('error', reject);
    });
  } catch (error) {
    await engagement.flush();
    await store.close();
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new ConfigError(
      `port ${config.PORT} on ${config.HOST} is already in use (another rekindle serve?); stop it or set PORT`,
    );
  }

  let scheduler: Scheduler | undefined;
  const jobs = () => [...backgroundJobs(ctx), ...(options.extraJobs?.(ctx) ?? [])];
  // New settings may move the sweeps' cron times: reschedule when they did.
  let delivery: DeliveryLoopHandle | undefined;
  let webhooks: DeliveryLoopHandle | undefined;
  const afterReload = async (outcome: ReloadOutcome) => {
    if (outcome.status === 'loaded') await delivery?.restart(outcome.set);
    if (outcome.status === 'loaded') await webhooks?.restart(outcome.set);
    if (outcome.status !== 'loaded' || !scheduler) return outcome;
    const next = jobs();
    const same = (a: { name: string; cron: string }[], b: { name: string; cron: string }[]) =>
      a.length === b.length && a.every((job, i) => job.name === b[i]?.name && job.cron === b[i]?.cron);
    if (!same(scheduler.list(), next)) await scheduler.replace(next);
    return outcome;
  };
  const ctx: BackgroundContext = {
    store,
    registry,
    now: Date.now,
    reloadIfChanged: async () => {
      await afterReload(await registry.reloadIfChanged());
    },
  };
  if (options.schedule ?? true) {
    scheduler = startScheduler(jobs(), log, { ticking: options.cronTicks ?? true });
  }
  if (options.deliver ?? options.schedule ?? true) {
    delivery = await startDeliveryLoop({ config, store, set: registry.current(), log });
    webhooks = await startWebhookLoop({ config, store, set: registry.current(), log });
  }
  const reloadCampaigns = async () => afterReload(await registry.reload());
  const onHangup = () => {
    void reloadCampaigns().then((outcome) => {
      if (outcome.status === 'loaded')
        log(`campaigns reloaded: ${outcome.set.campaigns.length} campaigns from ${config.CAMPAIGNS_DIR}`);
    });
  };
  process.on('SIGHUP', onHangup);

  let closing: Promise<void> | undefined;
  const close = () => {
    process.off('SIGHUP', onHangup);
    closing ??= (async () => {
      await scheduler?.stop();
      await delivery?.stop();
      await webhooks?.stop();
      await new Promise<void>((done) => server?.close(() => done()));
      await engagement.flush();
      await store.close();
    })();
    return closing;
  };
  const closed = new Promise<void>((resolve) => {
    const onSignal = () => void close().then(resolve);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    void new Promise<void>((wait) => server?.once('close', wait)).then(resolve);
  });
  return { port, scheduler, reloadCampaigns, close, closed };
}

/**
 * The signer and base URL the public tracking routes check links against.
 * Unset SIGNING_SECRET means the local-only key, allowed only while
 * PUBLIC_BASE_URL is local (resolveSigningSecret refuses otherwise), so no
 * warning is needed here.
 */
export function nodeTracking(config: NodeConfig): TrackingDeps {
  const { secret } = resolveSigningSecret(config);
  return { signer: nodeTokenSigner(secret), baseUrl: config.PUBLIC_BASE_URL, clientIp: nodeClientIp };
}

/** The public browse door, checking shopper tokens with Node's synchronous HMAC; off without its secret. */
export function nodeBrowseDoor(config: NodeConfig): BrowseDoorDeps | undefined {
  const door = browseDoorConfig(config);
  return door && { tokens: shopperTokensWith(nodeHmacSha256(door.secret)), origins: door.origins };
}

// Behind a reverse proxy the socket is the proxy's, and X-Forwarded-For names
// the client. Without one the header is the client's own word: fine for what
// the address is used for (flagging proxy opens), never for access control.
function nodeClientIp(request: Request, env: unknown): string | null {
  const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  if (forwarded) return forwarded;
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? null;
}
