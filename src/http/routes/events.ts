// POST /v1/events: delivery, bounce and complaint events from a mail
// provider's webhook, one event or a list. The whole list is validated first
// (a bad row is a 400 naming it, and nothing is stored); events for unknown
// message ids are reported back, not refused, so one stray id does not make
// the provider retry the whole batch.
// POST /v1/events/browse: what shoppers looked at, from the shop, the same
// way: validated whole (an event from the future is a 400 too), events for
// shoppers who are not customers reported back by row.
import { Hono } from 'hono';
import { AppError } from '../../core/errors.ts';
import {
  browseEventOutOfRange,
  browseEventSchema,
  browseRetentionDays,
  toBrowseEvent,
} from '../../core/tracking/browse-events.ts';
import { providerEventSchema, toProviderEvent } from '../../core/tracking/provider-events.ts';
import { applyProviderEvents } from '../../services/tracking/apply-provider-events.ts';
import { recordBrowseEvents } from '../../services/tracking/record-browse.ts';
import { type AppEnv, campaignSetOf } from '../app-env.ts';
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
  app.post('/events/browse', requireScope('ingest'), async (c) => {
    const { records, inBatch } = parseRecordList(await readJson(c.req.raw), browseEventSchema, {
      maxRows: maxEventsPerCall,
      rowNoun: 'events',
      label: 'browse events',
    });
    const now = c.var.deps.now();
    const retentionDays = browseRetentionDays(campaignSetOf(c.var.deps)?.settings);
    const events = records.map((row) => toBrowseEvent(row, now));
    const future = events.flatMap((event, row) =>
      browseEventOutOfRange(event, now, retentionDays) === 'in_the_future'
        ? [{ ...(inBatch ? { row } : {}), field: 'at', message: 'must not be in the future' }]
        : [],
    );
    if (future.length > 0) {
      throw new AppError(400, 'invalid_input', `invalid browse events: ${future.length} problem(s)`, future);
    }
    const result = await recordBrowseEvents(c.var.deps, { events, now, retentionDays });
    return c.json({
      received: records.length,
      stored: result.stored,
      duplicates: result.duplicates,
      past_retention: result.pastRetention,
      unknown: result.unknown,
    });
  });
  return app;
}
