// The short fuzz run in workerd (issue 9): the Worker's own fetch handler on
// a D1 database of its own, seeded like the Node run, given every route's
// generated cases. Same generators and properties as test/node/http/fuzz-api.test.ts;
// here every case reads the full digest (D1 has no cheap change counter),
// and a crash is a fetch that throws.
import { applyD1Migrations, createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBundledCampaigns } from '../../src/config/bundled-campaigns.ts';
import { lazyTokenSigner } from '../../src/core/tracking/lazy-signer.ts';
import { openD1Store } from '../../src/db/d1.ts';
import worker from '../../src/entry/worker.ts';
import { campaignFiles } from '../../src/generated/campaign-files.ts';
import { checkRoute } from '../fuzz/check-route.ts';
import { type FuzzContext, type FuzzRequest, routeNames } from '../fuzz/fuzz-case.ts';
import { routeCases } from '../fuzz/routes.ts';
import { CaseRunner, type FuzzTarget, type Sent } from '../fuzz/run-case.ts';
import { seedFuzzStore } from '../fuzz/seed.ts';
import { StoreInspector } from '../fuzz/store-checks.ts';

const casesPerRoute = 15;
const secret = 'worker-fuzz-secret-0123456789';
const workerEnv = {
  ...env,
  DB: env.FUZZ_DB,
  SIGNING_SECRET: secret,
  PUBLIC_BASE_URL: 'https://mail.shop.example',
};

let ctx: FuzzContext;
let runner: CaseRunner;

async function send(request: FuzzRequest): Promise<Sent> {
  try {
    const response = await worker.fetch(
      new Request(`https://rekindle.test${request.path}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
      }),
      workerEnv,
      createExecutionContext(),
    );
    const body = new Uint8Array(await response.arrayBuffer());
    return { answered: true, status: response.status, headers: response.headers, body };
  } catch (error) {
    return {
      answered: false,
      why: `the Worker threw: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

beforeAll(async () => {
  await applyD1Migrations(env.FUZZ_DB, env.TEST_MIGRATIONS);
  const load = await parseBundledCampaigns(campaignFiles);
  if (!load.ok) throw new Error('the bundled campaigns must be valid');
  ctx = await seedFuzzStore(openD1Store(env.FUZZ_DB), load.set, lazyTokenSigner(secret));
  const inspector = new StoreInspector({
    all: async (sql) => (await env.FUZZ_DB.prepare(sql).all<Record<string, unknown>>()).results,
  });
  const target: FuzzTarget = {
    send,
    inspector,
    maybeChanged: async () => true,
    // No seed copy on D1: later cases go on from the store as it is.
    recover: async () => {},
  };
  runner = new CaseRunner(target, ctx);
});

describe(`fuzz in workerd: ${casesPerRoute} generated cases per route`, () => {
  it.each(routeNames)('%s', { timeout: 120_000 }, async (route) => {
    const result = await checkRoute(runner, route, routeCases(ctx)[route], { numRuns: casesPerRoute });
    expect(result.failed, result.report).toBe(false);
  });

  it('still answers GET /healthz', async () => {
    const health = await send({ method: 'GET', path: '/healthz', headers: {} });
    expect(health.answered && health.status).toBe(200);
  });
});
