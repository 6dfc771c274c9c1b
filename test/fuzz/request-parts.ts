// The parts every API request is assembled from: the Authorization header
// (good, missing, forged, revoked, another scope's), the Content-Type, the
// body's encoding (BOM, duplicate keys, truncation, deep nesting, invalid
// UTF-8, past the size limit, chunked) and mutations of a valid record
// (a field dropped, added, or given a value of the wrong kind). Pure.
import fc from 'fast-check';
import { type ApiScope, apiScopes } from '../../src/core/api-keys.ts';
import type { AuthKind, BodyType, FuzzContext } from './fuzz-case.ts';
import { DeepJson, JsonEntries, RawJson, toJsonText } from './json-text.ts';
import { hostileString, wrongValue } from './values.ts';

export interface AuthPart {
  auth: AuthKind;
  headers: Record<string, string>;
}

/** The Authorization header for a route that needs `scope`. */
export function authPart(ctx: FuzzContext, scope: ApiScope): fc.Arbitrary<AuthPart> {
  const good = ctx.keys[scope];
  const bearer = (value: string, auth: AuthKind): AuthPart => ({ auth, headers: { authorization: value } });
  const otherScopes = apiScopes.filter((s) => s !== scope && s !== 'admin');
  return fc.oneof(
    { arbitrary: fc.constant(bearer(`Bearer ${good}`, 'ok')), weight: 30 },
    {
      arbitrary: fc.constantFrom(
        bearer(`Bearer ${ctx.keys.admin}`, 'ok'),
        bearer(`bearer ${good}`, 'ok'),
        bearer(`Bearer   ${good}`, 'ok'),
        bearer(`BEARER\t${good}`, 'ok'),
      ),
      weight: 2,
    },
    { arbitrary: fc.constant<AuthPart>({ auth: 'none', headers: {} }), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        bearer('Bearer', 'malformed'),
        bearer('Bearer ', 'malformed'),
        bearer(`Basic ${btoa(`x:${good}`)}`, 'malformed'),
        bearer(good, 'malformed'),
        bearer(`Bearer ${good} extra`, 'malformed'),
        bearer('', 'malformed'),
      ),
      weight: 1,
    },
    {
      arbitrary: fc.oneof(
        fc.constant(bearer(`Bearer ${good}x`, 'unknown')),
        fc.constant(bearer(`Bearer ${good.slice(0, -1)}`, 'unknown')),
        fc.constant(bearer(`Bearer ${good.toUpperCase()}`, 'unknown')),
        fc.constant(bearer(`Bearer rk_${'a'.repeat(8)}_${'b'.repeat(32)}`, 'unknown')),
        fc.constant(bearer(`Bearer ${'k'.repeat(10_000)}`, 'unknown')),
        fc.stringMatching(/^[!-~]{1,80}$/).map((t) => bearer(`Bearer ${t}`, 'unknown')),
      ),
      weight: 2,
    },
    { arbitrary: fc.constant(bearer(`Bearer ${ctx.revokedKey}`, 'revoked')), weight: 1 },
    {
      arbitrary: fc.constantFrom(...otherScopes).map((s) => bearer(`Bearer ${ctx.keys[s]}`, 'wrong-scope')),
      weight: 1,
    },
  );
}

export interface TypePart {
  bodyType: BodyType;
  headers: Record<string, string>;
}

const typed = (value: string | null, bodyType: BodyType): TypePart => ({
  bodyType,
  headers: value === null ? {} : { 'content-type': value },
});

export const contentTypePart: fc.Arbitrary<TypePart> = fc.oneof(
  { arbitrary: fc.constant(typed('application/json', 'json')), weight: 20 },
  {
    arbitrary: fc.constantFrom(
      typed('application/json; charset=utf-8', 'json'),
      typed('application/json;charset=UTF-8', 'json'),
      typed('Application/JSON', 'json'),
    ),
    weight: 2,
  },
  {
    arbitrary: fc.constantFrom(
      typed('text/plain', 'other'),
      typed('text/plain;charset=UTF-8', 'other'),
      typed('application/x-www-form-urlencoded', 'other'),
      typed('multipart/form-data; boundary=fuzz', 'other'),
      typed('application/xml', 'other'),
      typed('text/html', 'other'),
      typed('application/octet-stream', 'other'),
    ),
    weight: 3,
  },
  {
    arbitrary: fc.constantFrom(
      typed(null, 'unclear'),
      typed('text/json', 'unclear'),
      typed('application/problem+json', 'unclear'),
      typed('application/jsonx', 'unclear'),
      typed('', 'unclear'),
    ),
    weight: 1,
  },
);

export interface EncodedBody {
  body: Uint8Array | undefined;
  chunked: boolean;
  /** How the JSON text was altered, '' when sent as is. */
  encoding: string;
}

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);
export const bodyLimitBytes = 2 * 1024 * 1024;

/** The JSON text of `value`, usually as is, sometimes damaged or dressed up. */
export function encodedBody(value: unknown): fc.Arbitrary<EncodedBody> {
  // Each variant is built only when drawn: a 1,000-row body made 2 MB would
  // otherwise be built for every case.
  const json = () => toJsonText(value);
  const as = (encoding: string, body: Uint8Array | undefined, chunked = false): EncodedBody => ({
    body,
    chunked,
    encoding,
  });
  const lazy = (weight: number, make: () => EncodedBody) => ({
    arbitrary: fc.constant(null).map(make),
    weight,
  });
  return fc.oneof(
    lazy(40, () => as('', bytes(json()))),
    lazy(2, () => as('chunked', bytes(json()), true)),
    lazy(1, () => as('bom', bytes(`\ufeff${json()}`))),
    lazy(1, () => as('padded', bytes(` \n\t${json()}\r\n `))),
    {
      arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((at) => {
        const text = json();
        return as('truncated', bytes(text.slice(0, Math.floor(at * text.length))));
      }),
      weight: 2,
    },
    {
      arbitrary: fc
        .constantFrom('x', '}', ']', ',', ' {}', '\u0000')
        .map((t) => as('trailing', bytes(json() + t))),
      weight: 1,
    },
    lazy(1, () => as('empty', new Uint8Array(0))),
    lazy(1, () => as('no body', undefined)),
    {
      arbitrary: fc
        .constantFrom('null', '0', '"x"', 'true', '[]', '{}', '[[]]', '[null]')
        .map((t) => as('other json', bytes(t))),
      weight: 2,
    },
    { arbitrary: hostileString.map((t) => as('not json', bytes(t))), weight: 1 },
    lazy(1, () => as('invalid utf-8', invalidUtf8(json()))),
    {
      arbitrary: fc
        .tuple(fc.constantFrom(1_000, 100_000), fc.constantFrom<'array' | 'object'>('array', 'object'))
        .map(([depth, kind]) => as('deep nesting', bytes(toJsonText(new DeepJson(depth, kind))))),
      weight: 1,
    },
    {
      arbitrary: fc.boolean().map((chunked) => as('over the size limit', bytes(oversized(json())), chunked)),
      weight: 1,
    },
  );
}

// Valid JSON framing around bytes no UTF-8 decoder accepts (a CESU-8 surrogate
// and a stray continuation byte) inside the first string.
function invalidUtf8(json: string): Uint8Array {
  const at = json.indexOf('"') + 1;
  const head = bytes(at > 0 ? json.slice(0, at) : '"');
  const tail = bytes(at > 0 ? json.slice(at) : '"');
  return Uint8Array.from([...head, 0xed, 0xa0, 0x80, 0x80, 0xff, ...tail]);
}

function oversized(json: string): string {
  const padding = ' '.repeat(bodyLimitBytes + 1 - Math.min(json.length, bodyLimitBytes));
  return json + padding;
}

const extraKeys = ['extra', 'ID', 'id ', '__proto__', 'constructor', 'toString', '', '\ud800'];

/** A valid record changed in one way, with a label naming the change. */
export function mutatedRecord(
  record: Record<string, unknown>,
): fc.Arbitrary<{ value: unknown; how: string }> {
  const keys = Object.keys(record);
  const key = keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('id');
  return fc.oneof(
    key.map((k) => ({ value: without(record, k), how: `dropped ${k}` })),
    fc
      .tuple(fc.oneof(fc.constantFrom(...extraKeys), fc.string({ maxLength: 8 })), wrongValue)
      .map(([k, v]) => ({
        value: new JsonEntries([...Object.entries(record), [k, v]]),
        how: `extra key ${JSON.stringify(k)}`,
      })),
    fc
      .tuple(key, wrongValue)
      .map(([k, v]) => ({ value: { ...record, [k]: v }, how: `${k} of a wrong kind` })),
    fc.tuple(key, wrongValue).map(([k, v]) => ({
      value: new JsonEntries([...Object.entries(record), [k, v]]),
      how: `${k} given twice`,
    })),
    fc.tuple(key, fc.constantFrom(50, 5_000)).map(([k, depth]) => ({
      value: { ...record, [k]: new DeepJson(depth, 'array', record[k] ?? null) },
      how: `${k} nested ${depth} deep`,
    })),
    fc
      .constantFrom(new RawJson('"a string"'), new RawJson('null'), new RawJson('42'), new RawJson('[[{}]]'))
      .map((value) => ({ value, how: 'not an object' })),
  );
}

function without(record: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = record;
  return rest;
}
