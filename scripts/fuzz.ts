// `npm run fuzz [-- ROUTE ...] [--cases N] [--seed S]`: the long fuzz run of
// issue 9. The same generators and properties as test/node/http/fuzz-api.test.ts,
// 10,000 cases per route by default, every case run (failures are counted,
// not stopped at), against the app in a child process on a libSQL file.
// Prints cases, accepted, rejections by status and failures per route, the
// total time, and each distinct failure with its first example.
import { type RouteSurvey, surveyRoute } from '../test/fuzz/check-route.ts';
import { type RouteName, routeNames } from '../test/fuzz/fuzz-case.ts';
import { startNodeTarget } from '../test/fuzz/node/app-process.ts';
import { routeCases } from '../test/fuzz/routes.ts';
import { CaseRunner } from '../test/fuzz/run-case.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
};
const cases = option('--cases', 10_000);
const seed = option('--seed', 20261123);
const chosen = args.length > 0 ? args : [...routeNames];
const unknown = chosen.filter((r) => !(routeNames as readonly string[]).includes(r));
if (unknown.length > 0) {
  console.error(`unknown route(s): ${unknown.join(', ')}; routes: ${routeNames.join(', ')}`);
  process.exit(2);
}

const started = performance.now();
const target = await startNodeTarget();
const runner = new CaseRunner(target, target.ctx);
const arbitraries = routeCases(target.ctx);
const surveys: RouteSurvey[] = [];
for (const route of chosen as RouteName[]) {
  const survey = await surveyRoute(runner, route, arbitraries[route], { numRuns: cases, seed });
  surveys.push(survey);
  process.stderr.write(
    `${route}: ${survey.cases} cases, ${survey.failedCases} failed, ${survey.seconds.toFixed(1)} s\n`,
  );
}
const health = await target.healthz();
const tables = await target.readAllTables();
const restarts = target.restarts();
await target.close();

const statuses = [...new Set(surveys.flatMap((s) => Object.keys(s.rejected)))].sort();
const header = ['route', 'cases', 'accepted', ...statuses.map((s) => `rej ${s}`), 'failed', 'seconds'];
const rows = surveys.map((s) => [
  s.route,
  String(s.cases),
  String(s.accepted),
  ...statuses.map((status) => String(s.rejected[status] ?? 0)),
  String(s.failedCases),
  s.seconds.toFixed(1),
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(`fuzz: ${cases} cases per route, seed ${seed}`);
console.log(line(header));
for (const row of rows) console.log(line(row));
const total = (performance.now() - started) / 1000;
console.log(
  `total ${surveys.reduce((n, s) => n + s.cases, 0)} cases in ${total.toFixed(1)} s; app restarts after a crash: ${restarts}`,
);
console.log(
  `after the run: GET /healthz ${health.answered ? health.status : `no answer (${health.why})`}; tables as text: ${tables ?? 'all read'}`,
);

let distinct = 0;
for (const s of surveys) {
  for (const [property, f] of s.failures) {
    distinct++;
    console.log(`\n[${s.route}] ${property} x${f.count}\n  ${f.detail}\n  first case: ${f.example}`);
  }
}
console.log(`\n${distinct} distinct failures`);
process.exitCode = distinct > 0 || tables !== null || !health.answered ? 1 : 0;
