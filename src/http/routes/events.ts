// POST /v1/events: delivery, bounce and complaint events from a mail
// provider's webhook, one event or a list. The whole list is validated first
// (a bad row is a 400 naming it, and nothing is stored); events for unknown
// message ids are reported back, not refused, so one stray id does not make
// the provider retry the whole batch.
import { Hono } from 'hono';
import { providerEventSchema, toProviderEvent } from '../../core/tracking/provider-events.ts';
import { applyProviderEvents } from '../../services/tracking/apply-provider-events.ts';
import type { AppEnv } from '../app-env.ts';
import { requireScope } from '../auth.ts';
import { parseRecordList, readJson } from '../json-body.ts';

export const maxEventsPerCall = 1000;

export function eventRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/events', requireScope('ingest'), async (c) => {
    const { records } = parseRecordList(await readJson(c.req.raw), providerEventSchema, {
      maxRows: maxEventsPerCall,
      rowNoun: 'events',
      label: 'events',
    });
    const now = c.var.deps.now();
    const result = await applyProviderEvents(c.var.deps, {
      events: records.map((row) => toProviderEvent(row, now)),
      now,
    });
    return c.json({ received: records.length, ...result });
  });
  return app;
}
