// The Worker entry itself: env validation at the edge of the Worker, and the
// scheduled handler that Cron Triggers call.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/config/env.ts';
import { parseWorkerEnv } from '../../src/config/worker-env.ts';
import worker from '../../src/entry/worker.ts';
import { baseUrl } from './support/worker-client.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Worker env', () => {
  it('accepts the bindings from wrangler.toml', () => {
    const config = parseWorkerEnv(env);
    expect(config.DB).toBe(env.DB);
    expect(config.SIGNING_SECRET).toBeUndefined();
  });

  it('names a missing D1 binding and a bad base URL', () => {
    expect(() => parseWorkerEnv({ PUBLIC_BASE_URL: 'not a url' })).toThrow(ConfigError);
    expect(() => parseWorkerEnv({ PUBLIC_BASE_URL: 'not a url' })).toThrow(
      /DB: expected a D1 database binding/,
    );
    expect(() => parseWorkerEnv({ DB: env.DB, PUBLIC_BASE_URL: 'not a url' })).toThrow(/PUBLIC_BASE_URL/);
    expect(() => parseWorkerEnv({ DB: { prepare: 'no' } })).toThrow(/DB:/);
  });

  it('answers 500 without leaking which binding is wrong when the env is invalid', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const ctx = createExecutionContext();

    const response = await worker.fetch(new Request(`${baseUrl}/healthz`), {}, ctx);
    await waitOnExecutionContext(ctx);

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { code: 'misconfigured', message: 'the service is misconfigured', details: [] },
    });
    expect(String(logged.mock.calls[0]?.[0])).toMatch(/DB: expected a D1 database binding/);
  });

  it('serves the app when handed the real env directly', async () => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(`${baseUrl}/healthz`), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(200);
  });
});

describe('scheduled', () => {
  it.each([
    ['*/5 * * * *', 'cart_stock'],
    ['0 3 * * *', 'dormant'],
  ])('runs the sweep its cron names and logs what it used (%s)', async (cron, job) => {
    const logged = vi.spyOn(console, 'log').mockImplementation(() => {});
    const controller = createScheduledController({ cron, scheduledTime: Date.parse('2026-11-01T03:00:00Z') });
    const ctx = createExecutionContext();

    await worker.scheduled(controller, env, ctx);
    await waitOnExecutionContext(ctx);

    const lines = logged.mock.calls.map((call) => String(call[0]));
    expect(lines.some((line) => line.startsWith(`rekindle: sweep ${job}: `))).toBe(true);
    expect(lines.at(-1)).toContain(`cron "${cron}" used `);
    expect(lines.at(-1)).toMatch(
      / used \d+ D1 queries \(budget 1000\); sweeps \d+ for \d+ customers \(.+ per 1,000\), delivery \d+ for \d+ sent \(.+ per 100\)$/,
    );
  });

  it('fails the invocation when the env is invalid', async () => {
    const controller = createScheduledController({ cron: '0 3 * * *' });
    await expect(worker.scheduled(controller, {}, createExecutionContext())).rejects.toThrow(ConfigError);
  });
});
