// The two ways a route is fuzzed. checkRoute: a fast-check property over
// `numRuns` cases that stops at the first failure and shrinks it (the short
// run in `npm test`). surveyRoute: every case run and counted, failures
// grouped by property with the first example of each (the long run behind
// `npm run fuzz`). Both drive the same CaseRunner.
import fc from 'fast-check';
import { describeCase, type FuzzCase, type RouteName } from './fuzz-case.ts';
import type { Failure } from './properties.ts';
import type { CaseOutcome, CaseRunner } from './run-case.ts';

export interface RouteCheck {
  route: RouteName;
  failed: boolean;
  /** The shrunk counterexample and what it broke, for the assertion message. */
  report: string;
}

class CaseFailed extends Error {
  constructor(readonly failures: Failure[]) {
    super(failures.map((f) => `${f.property}: ${f.detail}`).join('; '));
  }
}

export async function checkRoute(
  runner: CaseRunner,
  route: RouteName,
  arbitrary: fc.Arbitrary<FuzzCase>,
  options: { numRuns: number; seed?: number },
): Promise<RouteCheck> {
  const property = fc.asyncProperty(fc.limitShrink(arbitrary, 40), async (c) => {
    const outcome = await runner.run(c);
    if (outcome.failures.length > 0) throw new CaseFailed(outcome.failures);
  });
  const details = await fc.check(property, { numRuns: options.numRuns, seed: options.seed });
  if (!details.failed) return { route, failed: false, report: '' };
  const [c] = details.counterexample ?? [];
  const error =
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const report = [
    `${route}: ${error}`,
    `  counterexample (seed ${details.seed}, path "${details.counterexamplePath}", ${details.numShrinks} shrinks):`,
    `  ${c ? describeCase(c) : 'none'}`,
  ].join('\n');
  return { route, failed: true, report };
}

export interface RouteSurvey {
  route: RouteName;
  cases: number;
  accepted: number;
  /** Rejections by status, e.g. { 400: 120, 401: 12 }. */
  rejected: Record<string, number>;
  /** Cases that broke at least one property. */
  failedCases: number;
  /** Each broken property: how often, and the first case that broke it. */
  failures: Map<string, { count: number; detail: string; example: string }>;
  seconds: number;
}

export async function surveyRoute(
  runner: CaseRunner,
  route: RouteName,
  arbitrary: fc.Arbitrary<FuzzCase>,
  options: { numRuns: number; seed: number },
): Promise<RouteSurvey> {
  const survey: RouteSurvey = {
    route,
    cases: 0,
    accepted: 0,
    rejected: {},
    failedCases: 0,
    failures: new Map(),
    seconds: 0,
  };
  const started = performance.now();
  const count = (c: FuzzCase, outcome: CaseOutcome) => {
    survey.cases++;
    if (typeof outcome.status === 'number' && outcome.status < 400) survey.accepted++;
    else survey.rejected[String(outcome.status)] = (survey.rejected[String(outcome.status)] ?? 0) + 1;
    if (outcome.failures.length > 0) survey.failedCases++;
    for (const f of outcome.failures) {
      const seen = survey.failures.get(f.property);
      if (seen) seen.count++;
      else survey.failures.set(f.property, { count: 1, detail: f.detail, example: describeCase(c) });
    }
  };
  const property = fc.asyncProperty(arbitrary, async (c) => {
    count(c, await runner.run(c));
    return true;
  });
  await fc.check(property, { numRuns: options.numRuns, seed: options.seed });
  survey.seconds = (performance.now() - started) / 1000;
  return survey;
}
