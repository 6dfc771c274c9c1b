// The properties every answer must have, judged from the request's case and
// the answer alone (the store-level ones live in run-case.ts): no 5xx; every
// 4xx the JSON error shape; no key but a valid one with the scope gets in; a
// body that is not JSON is a 415; a sweep runs only when asked for with an
// explicit dry_run; a redirect goes where it should. Pure.
import type { FuzzCase } from './fuzz-case.ts';
import { parsedJson } from './json-text.ts';

export interface Answer {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

export interface Failure {
  /** Short and stable, for grouping: "5xx", "error shape", "rejected request changed tables"... */
  property: string;
  detail: string;
}

const jsonPostRoutes = new Set([
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
]);
const scopedRoutes = new Set([...jsonPostRoutes, 'preview', 'reports', 'export', 'erase']);
const decoder = new TextDecoder();

export function judgeAnswer(c: FuzzCase, answer: Answer): Failure[] {
  const failures: Failure[] = [];
  const fail = (property: string, detail: string) => failures.push({ property, detail });
  const { status } = answer;
  const text = decoder.decode(answer.body);
  const type = answer.headers.get('content-type') ?? '';
  const html = c.request.path.startsWith('/dashboard');

  if (status >= 500) fail('5xx', `answered ${status}: ${text.slice(0, 200)}`);
  // 431: Node's HTTP parser refuses a URL and headers past 16 KB before the app sees them.
  if (status >= 400 && status < 500 && status !== 431 && c.request.method !== 'HEAD' && !html) {
    const body = parsedJson(text) as
      | { error?: { code?: unknown; message?: unknown; details?: unknown } }
      | undefined;
    const error = body?.error;
    const shaped =
      /^application\/json/i.test(type) &&
      typeof error?.code === 'string' &&
      error.code !== '' &&
      typeof error.message === 'string' &&
      Array.isArray(error.details);
    if (!shaped) fail('error shape', `${status} ${type}: ${text.slice(0, 200)}`);
  }
  if (status >= 200 && status < 300 && /^application\/json/i.test(type) && c.request.method !== 'HEAD') {
    if (parsedJson(text) === undefined) fail('unparseable JSON answer', text.slice(0, 200));
  }

  const badKey = c.auth !== 'ok' && c.auth !== 'public';
  if (badKey && (scopedRoutes.has(c.route) || c.route === 'dashboard') && status < 400) {
    if (!(c.route === 'dashboard' && status === 303)) fail('bad key let in', `auth ${c.auth} got ${status}`);
  }
  // 431 comes from Node's parser before the app runs; a path no route matches is 404 before any key is read.
  // An empty segment ('/v1/campaigns//preview', 'DELETE /v1/customers/') matches no route.
  const unroutable = /\/\/|\/$/.test(c.request.path.split('?')[0]!);
  if (badKey && scopedRoutes.has(c.route) && status >= 400 && status < 500 && status !== 431) {
    const expected = [c.auth === 'wrong-scope' ? 403 : 401, 413, 415, ...(unroutable ? [404] : [])];
    if (!expected.includes(status))
      fail('bad key status', `auth ${c.auth} got ${status}, expected ${expected.join('/')}`);
  }

  if (jsonPostRoutes.has(c.route) && c.bodyType === 'other') {
    if (status < 400) fail('non-JSON body accepted', `${c.request.headers['content-type']} got ${status}`);
    else if (![401, 403, 413, 415].includes(status))
      fail('non-JSON body not 415', `${c.request.headers['content-type']} got ${status}`);
  }

  if (c.route === 'sweeps' && status >= 200 && status < 300) {
    const sent = parsedJson(c.request.body ? decoder.decode(c.request.body) : '') as
      | Record<string, unknown>
      | undefined;
    if (typeof sent?.dry_run !== 'boolean')
      fail('sweep ran without an explicit dry_run', `body ${text.slice(0, 80)}`);
  }

  if (status >= 300 && status < 400) {
    const location = answer.headers.get('location') ?? '';
    const fits = c.route === 'click' ? /^https?:\/\//i.test(location) : location.startsWith('/');
    if (!fits) fail('redirect target', `${status} to '${location.slice(0, 120)}'`);
  }
  return failures;
}

/** The customer ids an accepted write touched, for reading them back. */
export function touchedCustomers(c: FuzzCase): string[] {
  const sent = parsedJson(c.request.body ? decoder.decode(c.request.body) : undefined);
  const rows = Array.isArray(sent) ? sent : [sent];
  const ids = new Set<string>();
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    const r = row as Record<string, unknown>;
    const id = c.route === 'customers' ? r.id : r.customer_id;
    if (typeof id === 'string') ids.add(id.trim());
  }
  if (c.route === 'erase') {
    const match = /^\/v1\/customers\/([^/?]+)/.exec(c.request.path);
    if (match) ids.add(decodeURIComponentSafe(match[1]!));
  }
  return [...ids].filter((id) => id !== '').slice(0, 3);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
