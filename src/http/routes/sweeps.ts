// POST /v1/sweeps: one sweep (real or dry) for platforms that schedule it
// themselves; answers the per-campaign report. Validates, calls runSweep and
// maps errors: no queries here. Without a valid campaign set it answers 503.
// A real sweep mails people, so it is never a default: the caller says
// `dry_run` (true or false) every time, and an empty body is a 400.
import { Hono } from 'hono';
import { z } from 'zod';
import { triggerTypes } from '../../core/campaigns/trigger-block.ts';
import { AppError } from '../../core/errors.ts';
import { parseInstant } from '../../core/time.ts';
import { runSweep } from '../../services/sweep/run-sweep.ts';
import { sweepReportJson } from '../../services/sweep/sweep-report-json.ts';
import { type AppEnv, campaignSetOf } from '../app-env.ts';
import { requireScope } from '../auth.ts';
import { parseJsonText } from '../json-body.ts';
import { errorBody } from '../on-error.ts';

export const sweepBody = z.strictObject({
  dry_run: z
    .boolean({
      error: (issue) =>
        issue.input === undefined
          ? 'is required: true to plan without writing, false to run a real sweep'
          : 'must be true or false',
    })
    .describe('Required. true plans and reports without writing anything; false runs a real sweep.'),
  now: z
    .string({ error: 'must be an ISO 8601 time with offset' })
    .transform((text, ctx) => {
      const parsed = parseInstant(text);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: 'custom', message: parsed.reason });
      return z.NEVER;
    })
    .optional(),
  campaign: z.string({ error: 'must be a campaign id' }).min(1).optional(),
  only: z
    .array(z.enum(triggerTypes, { error: `must be one of ${triggerTypes.join(', ')}` }), {
      error: `must be a list of ${triggerTypes.join(', ')}`,
    })
    .min(1)
    .optional(),
});

export function sweepRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/sweeps', requireScope('sweeps'), async (c) => {
    const deps = c.var.deps;
    const set = campaignSetOf(deps);
    if (!set) {
      return c.json(
        errorBody(
          'campaigns_unavailable',
          'no valid campaign set is loaded; fix the campaign files (rekindle validate) and reload',
        ),
        503,
      );
    }
    const raw = await readJsonObject(c.req.raw);
    // A ZodError is a 400 naming each field (on-error.ts).
    const body = sweepBody.parse(raw);
    if (body.campaign !== undefined && !set.campaigns.some((x) => x.id === body.campaign)) {
      const known = set.campaigns.map((x) => x.id).join(', ') || 'none';
      throw new AppError(400, 'invalid_input', `no campaign '${body.campaign}'`, [
        { field: 'campaign', message: `no campaign '${body.campaign}' (known: ${known})` },
      ]);
    }
    const result = await runSweep({
      store: deps.store,
      campaigns: set,
      now: body.now ?? deps.now(),
      dryRun: body.dry_run,
      campaignId: body.campaign,
      triggerTypes: body.only,
    });
    return c.json(sweepReportJson(result));
  });
  return app;
}

// An empty body reads as {}, so the missing dry_run is what the 400 names.
async function readJsonObject(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return {};
  const value = parseJsonText(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AppError(400, 'invalid_input', 'the body must be a JSON object');
  return value;
}
