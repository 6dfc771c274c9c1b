// Generated requests for the routes outside /v1's API keys: the open pixel,
// the click redirect and the unsubscribe page with signed tokens (valid,
// for another purpose, tampered, random, too long), the dashboard pages and
// sign-in, and odd methods and paths anywhere. Pure fast-check.
import fc from 'fast-check';
import type { AuthKind, FuzzCase, FuzzContext, RouteName } from './fuzz-case.ts';
import { sessionPart } from './get-routes.ts';
import { type AuthPart, authPart } from './request-parts.ts';
import { pct, rawEncoded, segment } from './url-parts.ts';
import { hostileString } from './values.ts';

const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const encoder = new TextEncoder();

/** A token for `purpose`: a good one now and then, else one changed so no signature fits. */
function token(
  ctx: FuzzContext,
  purpose: keyof FuzzContext['tokens'],
): fc.Arbitrary<{ token: string; how: string }> {
  const own = ctx.tokens[purpose];
  const others = Object.entries(ctx.tokens).flatMap(([p, list]) => (p === purpose ? [] : list));
  const good = fc.constantFrom(...own);
  return fc.oneof(
    { arbitrary: good.map((t) => ({ token: t, how: 'valid token' })), weight: 6 },
    {
      arbitrary: fc.constantFrom(...others).map((t) => ({ token: t, how: 'token for another purpose' })),
      weight: 2,
    },
    {
      arbitrary: fc.tuple(good, fc.nat(), fc.nat({ max: base64url.length - 1 })).map(([t, at, c]) => {
        const i = at % t.length;
        const swapped = t[i] === base64url[c] ? base64url[(c + 1) % base64url.length]! : base64url[c]!;
        return { token: t.slice(0, i) + swapped + t.slice(i + 1), how: `one character changed at ${i}` };
      }),
      weight: 4,
    },
    {
      arbitrary: fc
        .tuple(good, fc.nat())
        .map(([t, n]) => ({ token: t.slice(0, n % t.length), how: 'cut short' })),
      weight: 1,
    },
    { arbitrary: good.map((t) => ({ token: `${t}A`, how: 'one character added' })), weight: 1 },
    {
      arbitrary: good.map((t) => {
        const [payload = '', mac = ''] = t.split('.');
        return { token: `${mac}.${payload}`, how: 'payload and mac swapped' };
      }),
      weight: 1,
    },
    {
      arbitrary: fc.string({ unit: fc.constantFrom(...base64url), minLength: 1, maxLength: 60 }).map((t) => ({
        token: `${t}.${t.slice(0, 22)}`,
        how: 'random base64url',
      })),
      weight: 1,
    },
    { arbitrary: hostileString.map((t) => ({ token: pct(t), how: 'hostile text' })), weight: 1 },
    { arbitrary: rawEncoded.map((t) => ({ token: t, how: 'raw percent' })), weight: 1 },
    { arbitrary: fc.constant({ token: 'A'.repeat(600), how: 'too long' }), weight: 1 },
  );
}

const userAgent = fc.oneof(
  fc.constantFrom(
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15',
    'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
    'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html',
    '',
  ),
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: 200,
  }),
  fc.constant('ua'.repeat(4000)),
);
const clientIp = fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('17.58.0.1', 'not-an-ip', ''));

const publicHeaders = fc
  .record({ 'user-agent': userAgent, 'cf-connecting-ip': clientIp }, { requiredKeys: [] })
  .map((h) => h as Record<string, string>);

function tracked(
  route: RouteName,
  purpose: keyof FuzzContext['tokens'],
  ctx: FuzzContext,
  build: (
    token: string,
  ) => fc.Arbitrary<{ method: string; path: string; headers?: Record<string, string>; body?: string }>,
): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(token(ctx, purpose), publicHeaders)
    .chain(([t, headers]) => build(t.token).map((r) => ({ t, headers, r })))
    .map(({ t, headers, r }) => ({
      route,
      auth: 'public' as AuthKind,
      bodyType: r.body === undefined ? ('no-body' as const) : ('unclear' as const),
      label: `${r.method} ${route}: ${t.how}`,
      request: {
        method: r.method,
        path: r.path,
        headers: { ...headers, ...r.headers },
        body: r.body === undefined ? undefined : encoder.encode(r.body),
      },
    }));
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

function dashboardCases(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  const access = fc.oneof(
    sessionPart(ctx),
    authPart(ctx, 'reports'),
    fc.constant<AuthPart>({ auth: 'none', headers: {} }),
  );
  const page = fc
    .tuple(
      fc.oneof(
        fc.constantFrom('/dashboard', '/dashboard/', '/dashboard/login'),
        segment([...ctx.campaignIds, 'nope']).map((id) => `/dashboard/campaigns/${id}`),
      ),
      access,
    )
    .map(
      ([path, a]): FuzzCase => ({
        route: 'dashboard',
        // The sign-in page is public: any key, or none, may see it.
        auth: path === '/dashboard/login' ? 'public' : a.auth,
        bodyType: 'no-body',
        label: `GET ${path}; auth ${a.auth}`,
        request: { method: 'GET', path, headers: a.headers },
      }),
    );
  const keyField = fc.oneof(
    fc.constantFrom(
      ctx.keys.reports,
      ctx.keys.admin,
      ctx.keys.ingest,
      ctx.revokedKey,
      ` ${ctx.keys.reports} `,
    ),
    hostileString,
    fc.constant('k'.repeat(5000)),
  );
  const login = fc
    .tuple(
      fc.oneof(
        keyField.map((k) => ({ headers: form, body: `key=${pct(k)}`, how: 'form' })),
        keyField.map((k) => ({
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ key: k }),
          how: 'json',
        })),
        keyField.map((k) => ({
          headers: { 'content-type': 'multipart/form-data; boundary=b' },
          body: `--b\r\nContent-Disposition: form-data; name="key"\r\n\r\n${k}\r\n--b--\r\n`,
          how: 'multipart',
        })),
        fc
          .tuple(rawEncoded, hostileString)
          .map(([raw, t]) => ({ headers: form, body: `key=${raw}&key=${pct(t)}&${raw}`, how: 'odd form' })),
      ),
      fc.constantFrom('/dashboard/login', '/dashboard/logout'),
    )
    .map(
      ([b, path]): FuzzCase => ({
        route: 'dashboard',
        auth: 'public',
        bodyType: 'unclear',
        label: `POST ${path} (${b.how})`,
        request: { method: 'POST', path, headers: b.headers, body: encoder.encode(b.body) },
      }),
    );
  return fc.oneof(page, login);
}

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND'] as const;
const knownPaths = [
  '/healthz',
  '/v1',
  '/v1/',
  '/v1/customers',
  '/v1/customers/',
  '/V1/customers',
  '//v1/customers',
  '/v1//customers',
  '/v1/customers/c1',
  '/v1/customers/c1/export/',
  '/v1/../healthz',
  '/v1/%2e%2e/healthz',
  '/v1/customers%2Fc1%2Fexport',
  '/v1/sweeps/',
  '/v1/coupons',
  '/v1/coupons/validate/x',
  '/v1/openapi.json/x',
  '/v1/reports',
  '/v1/unknown',
  '/t/o/',
  '/t/c/',
  '/u/',
  '/dashboard/campaigns/',
  '/favicon.ico',
  '/',
];

function otherCases(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  const path = fc.oneof(
    { arbitrary: fc.constantFrom(...knownPaths), weight: 6 },
    {
      arbitrary: fc.tuple(fc.constantFrom(...knownPaths), rawEncoded).map(([p, raw]) => `${p}${raw}`),
      weight: 2,
    },
    { arbitrary: hostileString.map((t) => `/v1/${pct(t)}`), weight: 1 },
    { arbitrary: fc.constant(`/${'a'.repeat(8000)}`), weight: 1 },
  );
  const auth = fc.oneof(authPart(ctx, 'admin'), fc.constant<AuthPart>({ auth: 'none', headers: {} }));
  const body = fc.option(fc.oneof(fc.constant('{}'), fc.constant('[]'), hostileString), { nil: undefined });
  return fc.tuple(fc.constantFrom(...methods), path, auth, body).map(([method, p, a, b]): FuzzCase => {
    const sendsBody = method !== 'GET' && method !== 'HEAD' && b !== undefined;
    return {
      route: 'other',
      auth: a.auth === 'ok' ? 'public' : a.auth,
      bodyType: sendsBody ? 'unclear' : 'no-body',
      label: `${method} ${p.length > 80 ? `${p.slice(0, 80)}…` : p}`,
      request: {
        method,
        path: p,
        headers: { ...a.headers, ...(sendsBody ? { 'content-type': 'application/json' } : {}) },
        body: sendsBody ? encoder.encode(b) : undefined,
      },
    };
  });
}

export function publicRouteCases(ctx: FuzzContext): Partial<Record<RouteName, fc.Arbitrary<FuzzCase>>> {
  return {
    pixel: tracked('pixel', 'open', ctx, (t) =>
      fc
        .tuple(
          fc.constantFrom('GET', 'GET', 'HEAD'),
          fc.constantFrom('.gif', '.gif', '', '.GIF', '.gif.gif', '.png'),
        )
        .map(([method, ext]) => ({
          method,
          path: `/t/o/${t}${ext}`,
        })),
    ),
    click: tracked('click', 'click', ctx, (t) =>
      fc.constantFrom('GET', 'GET', 'HEAD').map((method) => ({ method, path: `/t/c/${t}` })),
    ),
    unsubscribe: tracked('unsubscribe', 'unsubscribe', ctx, (t) =>
      fc.oneof(
        fc.constant({ method: 'GET', path: `/u/${t}` }),
        fc.constant({ method: 'POST', path: `/u/${t}`, headers: form, body: 'List-Unsubscribe=One-Click' }),
        fc.constant({ method: 'POST', path: `/u/${t}` }),
        hostileString.map((b) => ({
          method: 'POST',
          path: `/u/${t}`,
          headers: { 'content-type': 'text/plain' },
          body: b,
        })),
      ),
    ),
    dashboard: dashboardCases(ctx),
    other: otherCases(ctx),
  };
}
