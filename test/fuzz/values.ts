// The raw material of every fuzz body: strings and numbers that break code
// (lone surrogates, control characters, 2^53 + 1, 1e308, decimals with many
// places, javascript: URLs) next to ordinary ones, so most generated requests
// are still plausible and reach the code behind validation. Pure fast-check.
import fc from 'fast-check';
import { RawJson } from './json-text.ts';

export const loneSurrogates = [
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  'a\ud800b',
  '\udc00\ud800',
  'Ada\ud83d',
];

const controlText = ['\u0000', 'a\u0000b', '\u0007', '\u001b[31mred', '\u007f', '\u0085', '\r\n', '\t', '\b'];
const oddUnicode = [
  '\u2028',
  '\u2029',
  '\u200b',
  '\ufeff',
  '\u202eevil',
  '👩‍👩‍👧‍👦',
  'e\u0301',
  '𝕳𝖊𝖑𝖑𝖔',
  '\ufffd',
  '\uffff',
  'Zoë',
  '李',
  'مرحبا',
];
const injection = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; drop table customers; --",
  '{{ customer.email }}',
  '{% raw %}{{ 7 | times: 7 }}',
  '%00',
  '%ED%A0%80',
  '../../etc/passwd',
  '\\',
  '"',
  '$' + '{process.env}',
  '__proto__',
  'constructor',
];

/** Strings meant to break text handling, encoders and templates. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...loneSurrogates),
  fc.constantFrom(...controlText),
  fc.constantFrom(...oddUnicode),
  fc.constantFrom(...injection),
  fc.constantFrom('', ' ', '   ', '\n'),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => `x${String.fromCharCode(code)}`),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc
    .tuple(fc.constantFrom(255, 256, 2000, 2001, 10_000), fc.constantFrom('a', 'é', '😀'))
    .map(([n, c]) => c.repeat(n)),
);

/** A short text field value: usually ordinary, sometimes hostile. */
export const text = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.string({ maxLength }), weight: 5 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength }), weight: 2 },
    { arbitrary: hostileString, weight: 3 },
  );

const maxSafe = Number.MAX_SAFE_INTEGER;

/** Numbers at the edges: 0, -0, negatives, 2^53 ± 1, 1e308, tiny fractions. */
export const boundaryNumber: fc.Arbitrary<number | RawJson> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 0.5, -0.01, 0.001, 1e-7, 5e-324, 2 ** 31, 2 ** 32, maxSafe, -maxSafe),
  fc.constantFrom(maxSafe + 1, maxSafe + 2, 1e15, 1e21, 1e308, -1e308, 1.7976931348623157e308),
  fc.constantFrom(
    new RawJson('-0'),
    new RawJson('1e400'),
    new RawJson('-1e400'),
    new RawJson('9007199254740993'),
    new RawJson('123456789012345678901234567890'),
    new RawJson('0.1e1'),
    new RawJson('1E2'),
    new RawJson('1.00000000000000000000001'),
  ),
  fc.double(),
  fc.integer(),
);

/** Decimals as text, the API's money format, from ordinary to absurd. */
export const decimalText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 99_999 }).map((cents) => (cents / 100).toFixed(2)), weight: 6 },
  { arbitrary: fc.integer({ min: 0, max: 500 }).map(String), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      '0',
      '0.00',
      '-0',
      '-0.00',
      '-1.00',
      '-19.99',
      '+5',
      '5.',
      '.5',
      '99999999.99',
      '90071992547409.91',
      '90071992547409.92',
      '9007199254740991',
      '9007199254740992',
      '1.005',
      '12.345678901234567890',
      '00012.30',
      ' 12.30 ',
      'NaN',
      'Infinity',
      '-Infinity',
      '1e3',
      '0x10',
      '1_000',
      '1,50',
      '١٢٣',
      '',
    ),
    weight: 3,
  },
  { arbitrary: fc.integer({ min: 16, max: 400 }).map((n) => '9'.repeat(n)), weight: 1 },
);

/** A money amount as text or as a JSON number. */
export const amount: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: decimalText, weight: 6 },
  { arbitrary: fc.integer({ min: 0, max: 99_999 }).map((cents) => cents / 100), weight: 2 },
  { arbitrary: boundaryNumber, weight: 2 },
);

/** Quantities: small counts mostly, then the numbers that overflow a price times a count. */
export const quantity: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 8 },
  { arbitrary: fc.constantFrom(-1, -5, 0, 1000, 1_000_000, 2 ** 31, maxSafe, maxSafe + 1, 1e21), weight: 2 },
  { arbitrary: boundaryNumber, weight: 1 },
);

export const currencyCode: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom('EUR', 'GBP', 'USD', 'JPY', 'KWD', 'eur'), weight: 8 },
  { arbitrary: fc.constantFrom('XXX', 'EU', 'EURO', '€', ' gbp ', '123'), weight: 1 },
);

/** ISO 8601 times: real ones with offsets, then ones on the edge of the format. */
export const instantText: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc
      .date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2027-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
    weight: 6,
  },
  {
    arbitrary: fc.constantFrom(
      '2026-11-01T12:00:00+01:00',
      '2026-11-01 12:00:00Z',
      '2026-11-01T12:00:00.123456789-0430',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59+14:00',
      '1970-01-01T00:00:00Z',
      '2024-02-29T00:00:00Z',
      '2025-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-11-01T24:00:00Z',
      '2026-11-01T12:00:00',
      '2026-11-01',
      '1700000000000',
      'yesterday',
      '',
    ),
    weight: 2,
  },
);

export const emailText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom('ada@example.com', 'Bo@Example.COM', ' cy@example.org '), weight: 3 },
  { arbitrary: fc.emailAddress(), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      'no-at-sign',
      '@example.com',
      'a@',
      'a@b',
      'a\u0000@example.com',
      'a\ud800@example.com',
      `${'a'.repeat(300)}@example.com`,
      '"quoted"@example.com',
      'a@[127.0.0.1]',
    ),
    weight: 1,
  },
);

/** URLs a shop might send, and the schemes a browser must never follow from our emails. */
export const urlText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.webUrl(), weight: 4 },
  {
    arbitrary: fc.constantFrom('https://shop.example/cart/recover/abc', 'http://shop.example/p/1'),
    weight: 2,
  },
  {
    arbitrary: fc.constantFrom(
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'javascript://shop.example/%0Aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'mailto:ada@example.com',
      'ftp://shop.example/x',
      'https://',
      '//shop.example/x',
      'https://user:pass@shop.example/',
      'https://shop.example/\ud800',
      'https://shop.example/a b',
      'not a url',
    ),
    weight: 2,
  },
);

/** External ids: a small pool so upserts meet earlier rows, plus odd ones. */
export const idPool = ['c1', 'c2', 'c3', 'p1', 'p2', '450789469123456789', 'dormant-1', 'recent', 'carter'];
export const externalIdText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...idPool), weight: 6 },
  { arbitrary: fc.stringMatching(/^[a-z0-9-]{1,12}$/), weight: 2 },
  { arbitrary: hostileString, weight: 2 },
);

/** Any JSON value of the wrong kind for a field: what a mutation drops in. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, [], {}, [1], { a: 1 }, '', 'null', 'true', '0'),
  boundaryNumber,
  hostileString,
  fc.jsonValue({ maxDepth: 3 }),
);
