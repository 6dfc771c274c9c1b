// Path segments and query strings for GET routes: ordinary values
// percent-encoded, next to encodings a decoder may choke on (%ZZ, a
// percent-encoded lone surrogate, %00, overlong UTF-8, repeated keys). Pure.
import fc from 'fast-check';
import { hostileString } from './values.ts';

const encoder = new TextEncoder();

/** Percent-encodes every byte outside the unreserved set; a lone surrogate becomes U+FFFD. */
export function pct(text: string): string {
  let out = '';
  for (const byte of encoder.encode(text)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Already-encoded text a URL decoder may refuse or misread. */
export const rawEncoded = fc.constantFrom(
  '%',
  '%Z',
  '%ZZ',
  '%ED%A0%80',
  '%00',
  '%C0%AF',
  '%FF',
  '%2F',
  '%2E%2E',
  '+',
  '%20',
  '..',
);

const segmentEncoded = rawEncoded.filter((raw) => raw !== '..' && raw !== '%2E%2E');

/** A path segment: usually one of `known`, else hostile or oddly encoded. */
export function segment(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...known).map(pct), weight: 6 },
    { arbitrary: hostileString.map(pct), weight: 2 },
    // '..' and '%2E%2E' are left out: the URL parser folds them away before the app sees the path.
    { arbitrary: segmentEncoded, weight: 1 },
    {
      arbitrary: fc.tuple(fc.constantFrom(...known), segmentEncoded).map(([k, raw]) => `${pct(k)}${raw}`),
      weight: 1,
    },
    { arbitrary: fc.constant('x'.repeat(5000)), weight: 1 },
  );
}

/** A query string from named value arbitraries, with extra, repeated and undecodable parameters. */
export function queryString(params: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const names = Object.keys(params);
  const pair = (name: string, value: string) => `${pct(name)}=${value}`;
  const known = fc.record(
    Object.fromEntries(names.map((name) => [name, params[name]!.map(pct)])) as Record<
      string,
      fc.Arbitrary<string>
    >,
    { requiredKeys: [] },
  );
  const extra = fc.oneof(
    fc.tuple(fc.constantFrom(...names, 'extra', '', 'x[]'), rawEncoded).map(([n, v]) => pair(n, v ?? '')),
    fc.tuple(fc.constantFrom(...names), hostileString).map(([n, v]) => pair(n, pct(v))),
    fc.constantFrom('&', '&&', '=', names[0] ?? 'a', `${names[0] ?? 'a'}=`),
  );
  return fc.tuple(known, fc.array(extra, { maxLength: 2 })).map(([given, extras]) => {
    const parts = [...Object.entries(given).map(([n, v]) => pair(n, v ?? '')), ...extras];
    return parts.length === 0 ? '' : `?${parts.join('&')}`;
  });
}
