// Cloudflare Worker entry: validates the Worker env, opens the D1 store and
// serves the same createApp(deps) as the Node home; Cron Triggers land in
// runScheduled. It wires and dispatches only: no routes, queries or business
// rules belong here, and nothing below it may read `env`.
import type { ExecutionContext, ScheduledController } from '@cloudflare/workers-types';
import type { Hono } from 'hono';
import { parseWorkerEnv, type WorkerConfig } from '../config/worker-env.ts';
import { openD1Store } from '../db/d1.ts';
import type { AppDeps, AppEnv } from '../http/app-env.ts';
import { createApp } from '../http/create-app.ts';
import { errorBody } from '../http/on-error.ts';

/** What a scheduled job is handed: the app's dependencies plus the Worker config. */
export interface WorkerDeps extends AppDeps {
  config: WorkerConfig;
}

interface Wired {
  deps: WorkerDeps;
  app: Hono<AppEnv>;
}

// The runtime hands the same env object to every event in an isolate, so the
// env is parsed and the app built once per isolate, not once per request.
const wiredByEnv = new WeakMap<object, Wired>();

function wire(env: unknown): Wired {
  const key = typeof env === 'object' && env !== null ? env : undefined;
  const cached = key && wiredByEnv.get(key);
  if (cached) return cached;
  const config = parseWorkerEnv(env);
  const deps: WorkerDeps = { store: openD1Store(config.DB), now: Date.now, config };
  const wired = { deps, app: createApp(deps) };
  if (key) wiredByEnv.set(key, wired);
  return wired;
}

/**
 * Runs the jobs behind one Cron Trigger. Nothing is scheduled yet: the cart and
 * stock sweeps (every 5 minutes) and the nightly dormant sweep (03:00 UTC) plug
 * in here, keyed on `event.cron` as listed in wrangler.toml [triggers]. Not
 * exported: a Worker module's named exports become entrypoints.
 */
async function runScheduled(
  event: Pick<ScheduledController, 'cron' | 'scheduledTime'>,
  deps: WorkerDeps,
): Promise<void> {
  const firedAt = new Date(event.scheduledTime).toISOString();
  console.log(`rekindle: cron "${event.cron}" fired (scheduled ${firedAt}, now ${deps.now()}); no jobs yet`);
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
    return wired.app.fetch(request, env, ctx);
  },

  async scheduled(controller: ScheduledController, env: unknown, _ctx: ExecutionContext): Promise<void> {
    // A misconfigured env throws here on purpose: the failed invocation shows
    // in the Cron Trigger's history instead of silently doing nothing.
    await runScheduled(controller, wire(env).deps);
  },
};
