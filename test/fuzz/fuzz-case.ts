// What one generated request is, and what its generator knew about it: the
// properties need to tell a forged key from a good one, or a text/plain body
// from a JSON one, without parsing the request again. Pure.
import type { ApiScope } from '../../src/core/api-keys.ts';

export const routeNames = [
  'customers',
  'orders',
  'carts',
  'products',
  'waitlist',
  'events',
  'browse',
  'coupons-validate',
  'redemptions',
  'sweeps',
  'preview',
  'reports',
  'export',
  'erase',
  'openapi',
  'pixel',
  'click',
  'unsubscribe',
  'dashboard',
  'other',
] as const;
export type RouteName = (typeof routeNames)[number];

export interface FuzzRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array | undefined;
  /** Send the body as a stream (chunked, no Content-Length). */
  chunked?: boolean | undefined;
}

/** ok: a key or session that may call the route; otherwise what is wrong with it. */
export type AuthKind = 'ok' | 'none' | 'malformed' | 'unknown' | 'revoked' | 'wrong-scope' | 'public';

/** json: an application/json body; other: an explicitly different type; unclear: none or a borderline type. */
export type BodyType = 'json' | 'other' | 'unclear' | 'no-body';

export interface FuzzCase {
  route: RouteName;
  request: FuzzRequest;
  auth: AuthKind;
  bodyType: BodyType;
  /** A few words on how the case was made, for the failure report. */
  label: string;
}

/** Secrets and ids the generators draw from, made by seedFuzzStore. */
export interface FuzzContext {
  keys: Record<ApiScope, string>;
  revokedKey: string;
  /** A valid dashboard session cookie value for the reports key. */
  session: string;
  tokens: { open: string[]; click: string[]; unsubscribe: string[] };
  couponCodes: string[];
  /** Our message ids and the providers' ids for them, for POST /v1/events. */
  messageRefs: string[];
  customerIds: string[];
  campaignIds: string[];
}

/** The scope each API route needs; undefined for public routes. */
export const routeScope: Partial<Record<RouteName, ApiScope>> = {
  customers: 'ingest',
  orders: 'ingest',
  carts: 'ingest',
  products: 'ingest',
  waitlist: 'ingest',
  events: 'ingest',
  browse: 'ingest',
  'coupons-validate': 'coupons',
  redemptions: 'coupons',
  sweeps: 'sweeps',
  preview: 'reports',
  reports: 'reports',
  export: 'privacy',
  erase: 'privacy',
};

const decoder = new TextDecoder();

/** The case as readable JSON, body as text and cut short, for reports. */
export function describeCase(c: FuzzCase, maxBody = 400): string {
  const body = c.request.body ? decoder.decode(c.request.body) : undefined;
  const shown =
    body !== undefined && body.length > maxBody ? `${body.slice(0, maxBody)}…(${body.length} chars)` : body;
  const headers = Object.fromEntries(
    Object.entries(c.request.headers).map(([k, v]) => [k, v.length > 120 ? `${v.slice(0, 120)}…` : v]),
  );
  return JSON.stringify({
    label: c.label,
    method: c.request.method,
    path: c.request.path.length > 300 ? `${c.request.path.slice(0, 300)}…` : c.request.path,
    headers,
    body: shown,
    ...(c.request.chunked ? { chunked: true } : {}),
  });
}
