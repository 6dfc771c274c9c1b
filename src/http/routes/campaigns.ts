// GET /v1/campaigns/:id/preview: a campaign step's email as a customer (or a
// sample shopper) would get it, as HTML, text or JSON. Validates, calls the
// view builder and the renderer, maps errors. Never issues a coupon or writes.
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError, describeIssues } from '../../core/errors.ts';
import { previewUnsubscribeUrl, sampleView } from '../../core/rendering/sample-view.ts';
import { createViewBuilder } from '../../services/render/build-view.ts';
import { type AppEnv, campaignSetOf } from '../app-env.ts';
import { errorBody } from '../on-error.ts';
// A dashboard session may open previews too: the campaign page embeds them.
import { requireScopeOrSession } from './dashboard.ts';

export const previewQuery = z.strictObject({
  step: z.coerce.number({ error: 'must be a step index (0 = first)' }).int().min(0).default(0),
  customer_id: z.string().min(1, 'must be a customer id').optional(),
  format: z.enum(['html', 'text', 'json'], { error: 'must be html, text or json' }).default('html'),
});

export function campaignRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/campaigns/:id/preview', requireScopeOrSession('reports'), async (c) => {
    const deps = c.var.deps;
    const set = campaignSetOf(deps);
    if (!set || !deps.renderer) {
      const what = set ? 'no email renderer is configured' : 'no valid campaign set is loaded';
      return c.json(errorBody('preview_unavailable', `cannot preview: ${what}`), 503);
    }
    const parsed = previewQuery.safeParse(c.req.query());
    if (!parsed.success) {
      const details = describeIssues(parsed.error.issues, false);
      throw new AppError(
        400,
        'invalid_input',
        `invalid preview request: ${details.length} problem(s)`,
        details,
      );
    }
    const query = parsed.data;
    const campaign = set.campaigns.find((x) => x.id === c.req.param('id'));
    if (!campaign) throw new AppError(404, 'not_found', `no campaign '${c.req.param('id')}'`);
    const step = campaign.steps[query.step];
    if (!step) {
      throw new AppError(
        400,
        'invalid_input',
        `campaign '${campaign.id}' has steps 0-${campaign.steps.length - 1}`,
        [{ field: 'step', message: `must be 0-${campaign.steps.length - 1}` }],
      );
    }
    const now = deps.now();
    const view = query.customer_id
      ? await createViewBuilder({ store: deps.store, campaigns: set }).forPreview({
          campaign,
          step: step.index,
          customerId: query.customer_id,
          now,
          unsubscribeUrl: previewUnsubscribeUrl,
        })
      : sampleView(campaign, set.settings, { step: step.index, now, unsubscribeUrl: previewUnsubscribeUrl });
    if (!view) throw new AppError(404, 'not_found', `no customer '${query.customer_id}'`);
    const email = await deps.renderer.render(step.email.template, step.email.subject, view);
    if (query.format === 'text') return c.text(`Subject: ${email.subject}\n\n${email.text}\n`);
    if (query.format === 'json') {
      return c.json({
        campaign: campaign.id,
        step: step.index,
        customer_id: query.customer_id ?? null,
        template: step.email.template,
        ...email,
      });
    }
    c.header('X-Email-Subject', encodeURIComponent(email.subject));
    return c.html(email.html);
  });
  return app;
}
