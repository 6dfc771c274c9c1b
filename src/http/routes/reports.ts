// GET /v1/reports/campaigns[/:id]: what each campaign brought back, per step
// and per day, with the mailed-versus-holdout lift. `from` and `to` (days in
// the shop's time zone) or `since` (an instant) pick the messages, as the
// dashboard and `rekindle report` do. Read-only; scope `reports`.
import { Hono } from 'hono';
import { AppError } from '../../core/errors.ts';
import { parseReportRange, type ReportRange, rangeJson, reportTimeZone } from '../../core/reports/range.ts';
import type { CampaignReport } from '../../core/reports/types.ts';
import { formatInstant } from '../../core/time.ts';
import { buildCampaignReports } from '../../services/reports/build-campaign-report.ts';
import { type AppDeps, type AppEnv, campaignSetOf } from '../app-env.ts';
import { requireScope } from '../auth.ts';

export function reportRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('/reports/*', requireScope('reports'));

  app.get('/reports/campaigns', async (c) => {
    const deps = c.var.deps;
    const range = rangeOf(deps, c.req.query());
    const reports = await campaignReports(deps, range);
    return c.json({
      ...meta(deps, range),
      campaigns: reports.map(({ daily: _daily, ...rest }) => rest),
    });
  });

  app.get('/reports/campaigns/:id', async (c) => {
    const deps = c.var.deps;
    const range = rangeOf(deps, c.req.query());
    const report = await oneCampaignReport(deps, c.req.param('id'), range);
    return c.json({ ...meta(deps, range), campaign: report });
  });
  return app;
}

/** Every campaign's report for the range (or the one campaign's); shared with the dashboard. */
export function campaignReports(
  deps: AppDeps,
  range: ReportRange,
  campaignId?: string,
): Promise<CampaignReport[]> {
  const campaigns = campaignSetOf(deps);
  return buildCampaignReports(deps, {
    campaigns,
    campaignId,
    since: range.start,
    until: range.end,
    timeZone: reportTimeZone(campaigns),
    now: deps.now(),
  });
}

/** One campaign's full report, or a 404 naming the id; shared with the dashboard. */
export async function oneCampaignReport(
  deps: AppDeps,
  id: string,
  range: ReportRange,
): Promise<CampaignReport> {
  const [report] = await campaignReports(deps, range, id);
  if (!report)
    throw new AppError(404, 'not_found', `no campaign '${id}' in the campaign files or the outbox`);
  return report;
}

/** from, to and since from a query; a bad one is a 400 naming the parameter. */
export function rangeOf(deps: AppDeps, query: Record<string, string>): ReportRange {
  const parsed = parseReportRange(
    { from: query.from, to: query.to, since: query.since },
    reportTimeZone(campaignSetOf(deps)),
  );
  if (!parsed.ok) {
    throw new AppError(400, 'invalid_input', `${parsed.field}: ${parsed.reason}`, [
      { field: parsed.field, message: parsed.reason },
    ]);
  }
  return parsed.range;
}

function meta(deps: AppDeps, range: ReportRange) {
  return {
    generatedAt: formatInstant(deps.now()),
    ...rangeJson(range, reportTimeZone(campaignSetOf(deps))),
  };
}
