// Public routes the emails point at, authenticated by signed tokens instead of
// API keys: the open pixel, the click redirect and the unsubscribe page with
// its RFC 8058 one-click POST. Any token this service did not sign, one for
// another purpose, an unknown message or a link index the email did not hold
// answers 404 and records nothing (a click token with its link signed in is
// redirected without a lookup; its event is still stored only for a message
// that exists). The redirect target always comes from the stored message or
// from the token's signature, never from anything unsigned in the request, and
// is only ever a safe link. Nothing here logs: the requests carry personal
// data (addresses, user agents).
import type { Context } from 'hono';
import { Hono } from 'hono';
import { AppError } from '../../core/errors.ts';
import type { TokenPurpose, TrackingClaim } from '../../core/tracking/tokens.ts';
import { findTrackedMessage, type RequestFacts } from '../../db/repositories/tracking.ts';
import { writeEngagementNow } from '../../services/tracking/engagement-recorder.ts';
import { type EngagementInput, recordEngagement } from '../../services/tracking/record-engagement.ts';
import { unsubscribe } from '../../services/tracking/unsubscribe.ts';
import type { AppEnv } from '../app-env.ts';
import { confirmUnsubscribePage, unsubscribedPage } from '../pages/unsubscribe-page.ts';

// The smallest transparent GIF: 1x1, one colour.
const pixel = Uint8Array.from([
  0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff,
  0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
  0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
]);

const privateHeaders = {
  'Cache-Control': 'no-store, private',
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex',
} as const;

export function trackingRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/t/o/:file', async (c) => {
    const file = c.req.param('file');
    if (!file.endsWith('.gif')) throw notFound();
    const claim = await verifiedClaim(c, file.slice(0, -'.gif'.length), 'open');
    await engage(c, {
      kind: 'open',
      messageId: claim.messageId,
      facts: requestFacts(c),
      count: countable(c),
    });
    return c.body(pixel, 200, {
      ...privateHeaders,
      'Content-Type': 'image/gif',
      'Content-Length': String(pixel.byteLength),
      Expires: '0',
      Pragma: 'no-cache',
    });
  });

  app.get('/t/c/:token', async (c) => {
    const claim = await verifiedClaim(c, c.req.param('token'), 'click');
    const outcome = await engage(c, {
      kind: 'click',
      messageId: claim.messageId,
      linkIndex: claim.linkIndex ?? -1,
      signedTarget: claim.target,
      facts: requestFacts(c),
      count: countable(c),
    });
    if (outcome.kind !== 'click') throw notFound();
    // A declared empty body: without it Node answers a bodiless redirect with
    // Transfer-Encoding: chunked and a closing chunk, more bytes and work for
    // nothing.
    return c.body(null, 302, { ...privateHeaders, Location: outcome.target, 'Content-Length': '0' });
  });

  app.get('/u/:token', async (c) => {
    const claim = await verifiedClaim(c, c.req.param('token'), 'unsubscribe');
    const message = await findTrackedMessage(c.get('deps').store, claim.messageId);
    if (!message) throw notFound();
    return c.html(confirmUnsubscribePage(message.unsubscribed), 200, privateHeaders);
  });

  // RFC 8058: mail clients POST `List-Unsubscribe=One-Click` here without a
  // person on a page; the confirmation form posts the same. The signed token
  // is the only credential either needs, so the body is not required.
  app.post('/u/:token', async (c) => {
    const claim = await verifiedClaim(c, c.req.param('token'), 'unsubscribe');
    const outcome = await unsubscribe(c.get('deps'), { messageId: claim.messageId, facts: requestFacts(c) });
    if (!outcome.found) throw notFound();
    return c.html(unsubscribedPage(outcome.alreadyDone), 200, privateHeaders);
  });

  return app;
}

// Hono answers HEAD with the GET handler; link checkers send HEAD, people do not.
function countable(c: Context<AppEnv>): boolean {
  return c.req.method !== 'HEAD';
}

/** Records an open or click through the app's recorder; 404 for an unknown message or link. */
async function engage(c: Context<AppEnv>, input: EngagementInput) {
  const { engagement, store } = c.get('deps');
  const outcome = await recordEngagement({ store, recorder: engagement ?? writeEngagementNow(store) }, input);
  if (!outcome.found) throw notFound();
  return outcome;
}

function notFound(): AppError {
  return new AppError(404, 'not_found', 'unknown or invalid link');
}

async function verifiedClaim(
  c: Context<AppEnv>,
  token: string,
  purpose: TokenPurpose,
): Promise<TrackingClaim> {
  const tracking = c.get('deps').tracking;
  // The signer refuses, unhashed, a token longer than any it makes.
  if (!tracking) throw notFound();
  const claim = await tracking.signer.verify(token);
  if (!claim || claim.purpose !== purpose) throw notFound();
  return claim;
}

function requestFacts(c: Context<AppEnv>): RequestFacts {
  const clientIp = c.get('deps').tracking?.clientIp;
  const ip = clientIp ? clientIp(c.req.raw, c.env) : (c.req.header('cf-connecting-ip') ?? null);
  return { at: c.get('deps').now(), userAgent: c.req.header('user-agent') ?? null, ip };
}
