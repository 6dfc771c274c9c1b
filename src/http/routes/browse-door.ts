// The public door for browse events, for pages in shoppers' browsers, which
// cannot hold an API key: GET /b/browse.js serves the script a shop embeds,
// POST /b/events takes a small batch of what the signed-in shopper looked at,
// with the shopper token the shop's server rendered into the page
// (core/tracking/shopper-token.ts). A post is checked in this order, and a
// refusal at any step stores nothing: the body is at most
// maxShopperBodyBytes (413, by its declared length, before it is read); the
// door is configured (503 naming the secret); the page's Origin is one the
// shop allows (403); the body is JSON, declared as text/plain (what
// sendBeacon sends: no preflight) or application/json (415), shaped
// { shopper, events } (400); the token verifies, in constant time (401); the
// shopper is within their rate limit (429); then each event, as the
// authenticated route checks them (400 naming the row, 413 past
// maxShopperEvents). The events are the token's customer's, at the server's
// time, recorded by the same verb as POST /v1/events/browse. 204, with no
// body: the script never reads it. Preflights are answered for the allowed
// origins. Nothing here logs: the requests are shoppers'.
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { AppError, describeIssues } from '../../core/errors.ts';
import {
  browsePaths,
  maxShopperBodyBytes,
  maxShopperEvents,
  shopperBatchEnvelope,
} from '../../core/tracking/browse-door.ts';
import { browseRetentionDays, shopperEventSchema, toBrowseEvent } from '../../core/tracking/browse-events.ts';
import { browseScript } from '../../core/tracking/browse-script.ts';
import { recordBrowseEvents } from '../../services/tracking/record-browse.ts';
import { type AppEnv, type BrowseDoorDeps, campaignSetOf } from '../app-env.ts';
import { limitBodySize } from '../body-limit.ts';
import { isJsonContentType, parseJsonText, parseRecordList } from '../json-body.ts';
import { errorBody } from '../on-error.ts';
import { shopperRateLimit } from '../rate-limit.ts';

/** How long browsers and CDNs keep the script: a release reaches every page within the hour. */
const scriptCacheSeconds = 3600;

export function browseDoorRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const limit = shopperRateLimit();

  app.get(browsePaths.script, (c) =>
    c.body(browseScript, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': `public, max-age=${scriptCacheSeconds}`,
      'X-Content-Type-Options': 'nosniff',
    }),
  );

  app.use(
    browsePaths.events,
    cors({
      origin: (origin, c) => {
        const origins = c.get('deps').browse?.origins;
        if (origins === undefined) return '*';
        return origins.includes(origin) ? origin : null;
      },
      allowMethods: ['POST'],
      allowHeaders: ['Content-Type'],
      maxAge: 86_400,
    }),
  );

  app.post(browsePaths.events, limitBodySize(maxShopperBodyBytes), async (c) => {
    const door = c.get('deps').browse;
    if (!door) {
      return c.json(
        errorBody('not_configured', 'the browse door is not configured: set SHOPPER_TOKEN_SECRET'),
        503,
      );
    }
    refuseOrigin(door, c.req.header('origin'));
    const type = c.req.header('content-type');
    if (!isJsonContentType(type) && !isPlainText(type)) {
      throw new AppError(415, 'unsupported_media_type', 'the body must be JSON, sent as text/plain or JSON');
    }
    const envelope = shopperBatchEnvelope.safeParse(parseJsonText(await c.req.text()));
    if (!envelope.success) {
      const details = describeIssues(envelope.error.issues, false);
      throw new AppError(400, 'invalid_input', 'expected { shopper, events: [...] }', details);
    }
    const customerId = await door.tokens.verify(envelope.data.shopper);
    if (customerId === null) throw new AppError(401, 'invalid_shopper_token', 'unknown or invalid shopper');
    await limit(c, customerId);
    const { records } = parseRecordList(envelope.data.events, shopperEventSchema, {
      maxRows: maxShopperEvents,
      rowNoun: 'events',
      label: 'browse events',
    });
    const now = c.get('deps').now();
    await recordBrowseEvents(c.get('deps'), {
      events: records.map((event) => toBrowseEvent({ ...event, customer_id: customerId }, now)),
      now,
      retentionDays: browseRetentionDays(campaignSetOf(c.get('deps'))?.settings),
    });
    return c.body(null, 204);
  });

  return app;
}

// A request without an Origin is not a browser's page (or an old browser's
// same-origin post): the token decides alone, as it does everywhere.
function refuseOrigin(door: BrowseDoorDeps, origin: string | undefined): void {
  if (door.origins === undefined || origin === undefined || door.origins.includes(origin)) return;
  throw new AppError(403, 'origin_not_allowed', 'pages of this origin may not post browse events');
}

function isPlainText(header: string | undefined): boolean {
  return header?.split(';')[0]?.trim().toLowerCase() === 'text/plain';
}
