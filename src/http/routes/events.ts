// POST /v1/events: delivery, bounce and complaint events from a mail
// provider's webhook, one event or a list. The whole list is validated first
// (a bad row is a 400 naming it, and nothing is stored); events for unknown
// message ids are reported back, not refused, so one stray id does not make
// the provider retry the whole batch.
import { Hono } from 'hono';
import { AppError, describeIssues } from '../../core/errors.ts';
import { providerEventSchema, toProviderEvent } from '../../core/tracking/provider-events.ts';
import { applyProviderEvents } from '../../db/repositories/provider-events.ts';
import type { AppEnv } from '../app-env.ts';
import { requireScope } from '../auth.ts';

export const maxEventsPerCall = 1000;

export function eventRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/events', requireScope('ingest'), async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new AppError(400, 'invalid_json', 'the body is not valid JSON');
    }
    const inBatch = Array.isArray(body);
    const rows: unknown[] = inBatch ? (body as unknown[]) : [body];
    if (rows.length === 0) throw new AppError(400, 'invalid_input', 'the list is empty');
    if (rows.length > maxEventsPerCall) {
      throw new AppError(
        413,
        'too_many_rows',
        `at most ${maxEventsPerCall} events per call, got ${rows.length}`,
      );
    }
    const parsed = providerEventSchema.array().safeParse(rows);
    if (!parsed.success) {
      const details = describeIssues(parsed.error.issues, true).map((d) =>
        inBatch ? d : { ...d, row: undefined },
      );
      throw new AppError(400, 'invalid_input', `invalid events: ${details.length} problem(s)`, details);
    }
    const now = c.var.deps.now();
    const result = await applyProviderEvents(
      c.var.deps.store,
      parsed.data.map((row) => toProviderEvent(row, now)),
      now,
    );
    return c.json({ received: rows.length, ...result });
  });
  return app;
}
