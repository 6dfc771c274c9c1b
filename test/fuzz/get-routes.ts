// Generated requests for the /v1 routes that take no body: the email preview,
// the campaign reports, the customer export and erasure, and the OpenAPI
// document. Pure fast-check.
import fc from 'fast-check';
import type { AuthKind, FuzzCase, FuzzContext, RouteName } from './fuzz-case.ts';
import { type AuthPart, authPart } from './request-parts.ts';
import { queryString, segment } from './url-parts.ts';
import { hostileString, idPool, instantText } from './values.ts';

const asText = (arb: fc.Arbitrary<unknown>) => arb.map((v) => (typeof v === 'string' ? v : String(v)));

export function sessionPart(ctx: FuzzContext): fc.Arbitrary<AuthPart> {
  const cookie = (value: string, auth: AuthKind): AuthPart => ({
    auth,
    headers: { cookie: `rekindle_session=${value}` },
  });
  const [keyId, expires, signature] = ctx.session.split('.');
  return fc.oneof(
    fc.constant(cookie(ctx.session, 'ok')),
    fc.constantFrom(
      cookie(`${keyId}.${Number(expires) + 1}.${signature}`, 'unknown'),
      cookie(`${keyId}.${expires}.${signature?.slice(1)}A`, 'unknown'),
      cookie(`zzzzzzzz.${expires}.${signature}`, 'unknown'),
      cookie(`${keyId}.1.${signature}`, 'unknown'),
      cookie('', 'unknown'),
      cookie('garbage', 'unknown'),
    ),
  );
}

function get(
  route: RouteName,
  method: 'GET' | 'HEAD' | 'DELETE',
  path: fc.Arbitrary<string>,
  auth: fc.Arbitrary<AuthPart>,
): fc.Arbitrary<FuzzCase> {
  return fc.tuple(path, auth, fc.constantFrom<'GET' | 'HEAD' | 'DELETE'>(method, method, method, 'HEAD')).map(
    ([p, a, m]): FuzzCase => ({
      route,
      auth: a.auth,
      bodyType: 'no-body',
      label: `${m} ${p.length > 80 ? `${p.slice(0, 80)}…` : p}; auth ${a.auth}`,
      request: { method: method === 'DELETE' ? 'DELETE' : m, path: p, headers: a.headers },
    }),
  );
}

export function getRouteCases(ctx: FuzzContext): Partial<Record<RouteName, fc.Arbitrary<FuzzCase>>> {
  const customers = [...ctx.customerIds, ...idPool];
  const since = fc.oneof(instantText, hostileString, fc.constant(''));
  const preview = fc
    .tuple(
      segment([...ctx.campaignIds, 'nope']),
      queryString({
        step: fc.oneof(
          asText(fc.constantFrom(0, 1, 2, 3, -1, 1.5, 1e21, '1e400', '0x1', ' 1', 'NaN')),
          hostileString,
        ),
        customer_id: fc.oneof(fc.constantFrom(...customers), hostileString),
        format: fc.oneof(fc.constantFrom('html', 'text', 'json', 'JSON', 'xml'), hostileString),
      }),
    )
    .map(([id, query]) => `/v1/campaigns/${id}/preview${query}`);
  const reports = fc.oneof(
    queryString({ since }).map((q) => `/v1/reports/campaigns${q}`),
    fc
      .tuple(segment([...ctx.campaignIds, 'nope']), queryString({ since }))
      .map(([id, q]) => `/v1/reports/campaigns/${id}${q}`),
  );
  const customerPath = segment(customers);
  return {
    preview: get(
      'preview',
      'GET',
      preview,
      fc.oneof({ arbitrary: authPart(ctx, 'reports'), weight: 3 }, sessionPart(ctx)),
    ),
    reports: get('reports', 'GET', reports, authPart(ctx, 'reports')),
    export: get(
      'export',
      'GET',
      customerPath.map((id) => `/v1/customers/${id}/export`),
      authPart(ctx, 'privacy'),
    ),
    erase: get(
      'erase',
      'DELETE',
      customerPath.map((id) => `/v1/customers/${id}`),
      authPart(ctx, 'privacy'),
    ),
    openapi: get(
      'openapi',
      'GET',
      fc.oneof(
        fc.constant('/v1/openapi.json'),
        queryString({ x: hostileString }).map((q) => `/v1/openapi.json${q}`),
      ),
      fc.oneof(
        fc.constant<AuthPart>({ auth: 'public', headers: {} }),
        authPart(ctx, 'reports').map((a) => ({ ...a, auth: 'public' as const })),
      ),
    ),
  };
}
