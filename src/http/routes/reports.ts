// GET /v1/reports/campaigns[/:id]: what each campaign brought back, per step
// and per day, with the mailed-versus-holdout lift. Read-only; scope `reports`.
import { Hono } from 'hono';
import type { CampaignSet } from '../../core/campaigns/types.ts';
import { AppError } from '../../core/errors.ts';
import type { CampaignReport } from '../../core/reports/types.ts';
import { formatInstant, parseInstant } from '../../core/time.ts';
import { buildCampaignReports } from '../../services/reports/build-campaign-report.ts';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { requireScope } from '../auth.ts';

export function reportRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('/reports/*', requireScope('reports'));

  app.get('/reports/campaigns', async (c) => {
    const since = parseSince(c.req.query('since'));
    const now = c.var.deps.now();
    const reports = await buildCampaignReports(c.var.deps, {
      campaigns: campaignSetOf(c.var.deps),
      since,
      now,
    });
    return c.json({
      ...meta(now, since),
      campaigns: reports.map(({ daily: _daily, ...rest }) => rest),
    });
  });

  app.get('/reports/campaigns/:id', async (c) => {
    const since = parseSince(c.req.query('since'));
    const now = c.var.deps.now();
    const report = await oneCampaignReport(c.var.deps, c.req.param('id'), since);
    return c.json({ ...meta(now, since), campaign: report });
  });
  return app;
}

/** One campaign's full report, or a 404 naming the id; shared with the dashboard. */
export async function oneCampaignReport(
  deps: AppDeps,
  id: string,
  since: number | undefined,
): Promise<CampaignReport> {
  const [report] = await buildCampaignReports(deps, {
    campaigns: campaignSetOf(deps),
    campaignId: id,
    since,
    now: deps.now(),
  });
  if (!report)
    throw new AppError(404, 'not_found', `no campaign '${id}' in the campaign files or the outbox`);
  return report;
}

export function parseSince(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const parsed = parseInstant(text);
  if (!parsed.ok)
    throw new AppError(400, 'invalid_input', `since: ${parsed.reason}`, [
      { field: 'since', message: parsed.reason },
    ]);
  return parsed.value;
}

function meta(now: number, since: number | undefined) {
  return { generatedAt: formatInstant(now), since: since === undefined ? null : formatInstant(since) };
}

/** The campaign set, if the app was given one: names and attribution windows. */
export function campaignSetOf(deps: AppDeps): CampaignSet | undefined {
  return typeof deps.campaigns === 'function' ? deps.campaigns() : deps.campaigns;
}
