// The short fuzz run of `npm test` (issue 9): every route's generator against
// the app in a child process on a real libSQL file, checking no 5xx, no
// crash, the error shape, that a rejected request changes no table, and that
// accepted writes stay readable; then the process still answers and every
// table still reads as text. The hand-written regression cases come first.
// `npm run fuzz` runs the same generators 10,000 times per route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRoute } from '../../fuzz/check-route.ts';
import { describeCase, routeNames } from '../../fuzz/fuzz-case.ts';
import { type NodeTarget, startNodeTarget } from '../../fuzz/node/app-process.ts';
import { regressionCases } from '../../fuzz/regressions.ts';
import { routeCases } from '../../fuzz/routes.ts';
import { CaseRunner } from '../../fuzz/run-case.ts';

/** Cases per route: enough to meet every generator branch now and then, small enough for a loaded 2-core machine. */
const casesPerRoute = 30;

let target: NodeTarget;
let runner: CaseRunner;

beforeAll(async () => {
  target = await startNodeTarget();
  runner = new CaseRunner(target, target.ctx);
}, 120_000);
afterAll(() => target?.close());

describe('fuzz regression cases (issue 9 findings)', () => {
  // Built lazily: the keys exist only once the store is seeded.
  const names = regressionCases(placeholderContext()).map(([name]) => name);
  it.each(names)('%s breaks no property', async (name) => {
    const found = regressionCases(target.ctx).find(([n]) => n === name);
    if (!found) throw new Error(`no regression case '${name}'`);
    const outcome = await runner.run(found[1]);
    const report = outcome.failures.map((f) => `${f.property}: ${f.detail}`).join('\n');
    expect(outcome.failures, `${report}\n${describeCase(found[1])}`).toEqual([]);
  });
});

describe(`fuzz: ${casesPerRoute} generated cases per route`, () => {
  it.each(routeNames)('%s', { timeout: 120_000 }, async (route) => {
    const result = await checkRoute(runner, route, routeCases(target.ctx)[route], { numRuns: casesPerRoute });
    expect(result.failed, result.report).toBe(false);
  });

  it('leaves the app process answering and every table readable as text', { timeout: 60_000 }, async () => {
    const health = await target.healthz();
    expect(health.answered && health.status).toBe(200);
    expect(await target.readAllTables()).toBeNull();
  });
});

function placeholderContext() {
  const key = 'placeholder';
  return {
    keys: { ingest: key, coupons: key, sweeps: key, reports: key, privacy: key, admin: key },
    revokedKey: key,
    session: key,
    tokens: { open: [], click: [], unsubscribe: [] },
    couponCodes: [],
    messageRefs: [],
    customerIds: [],
    campaignIds: [],
  };
}
