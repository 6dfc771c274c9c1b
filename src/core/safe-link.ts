// What a safe link is: the one rule for every URL that can reach an email or
// the click redirect (cart recovery URLs, product pages and images, the shop's
// logo and links, hrefs in templates, stored click targets). Only an absolute
// http(s) URL written plainly passes. Input schemas refuse anything else, and
// the renderer, the link tracker and the redirect ask again, because a row
// written by an older version, or by hand, never went through today's schema.
//
// "Plainly" is what defeats the tricks: the WHATWG URL parser drops tabs and
// newlines anywhere and spaces and control characters at the ends, reads `\`
// as `/` and guesses hosts for `https:evil`, so `java\tscript:`,
// ` javascript:` and `https:\\evil` would all mean something other than what
// they look like. The raw text must start with http:// or https:// and hold no
// whitespace, control, invisible formatting character or backslash anywhere.
// Pure; never fetches or logs a URL.

/** How the rule reads in error messages. */
export const safeLinkRule = 'an absolute http(s) URL like https://shop.example/page';

const plainStart = /^https?:\/\/[^/?#]/i;
// Whitespace (\s covers the Unicode spaces and line separators), C0 and C1
// controls, DEL, zero-width and bidi formatting characters, and backslash.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const hidden = /[\s\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\\]/;

/** The link as it should be written out (normalized and percent-encoded), or null when it is not safe. */
export function safeLink(raw: unknown): string | null {
  if (typeof raw !== 'string' || !plainStart.test(raw) || hidden.test(raw)) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  return parsed.hostname === '' ? null : parsed.href;
}

export function isSafeLink(raw: unknown): boolean {
  return safeLink(raw) !== null;
}

/**
 * What an `href` attribute's value does, as markup writes it (entities and
 * all): goes to a safe `web` link, stays on the page (`fragment`: `#` and
 * `#top`, the shipped templates' fallback when a link is missing), or is
 * `unsafe` (any other scheme, a relative or protocol-relative path, a trick).
 * HTML strips ASCII whitespace around an attribute's URL; nothing else is
 * forgiven.
 */
export type HrefTarget = { kind: 'web'; url: string } | { kind: 'fragment' } | { kind: 'unsafe' };

export function hrefTarget(attributeValue: string): HrefTarget {
  const value = decodeEntities(attributeValue).replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '');
  if (value.startsWith('#') && !hidden.test(value)) return { kind: 'fragment' };
  const url = safeLink(value);
  // The decoded text, not the normalized URL: the tracker matches it in the
  // plain-text part, where it appears as written.
  return url === null ? { kind: 'unsafe' } : { kind: 'web', url: value };
}

/**
 * Whether the literal text before a template's first Liquid tag can still
 * begin a safe link or a fragment: `https://{{ host }}/x` can, `javascript:{{
 * code }}` cannot. An empty prefix says nothing; the renderer decides.
 */
export function couldStartSafeLink(prefix: string): boolean {
  const value = decodeEntities(prefix).replace(/^[\t\n\f\r ]+/, '');
  if (value === '') return true;
  if (hidden.test(value)) return false;
  return value.startsWith('#') || /^https?:\/\//i.test(value);
}

const namedEntities: Record<string, string> = {
  amp: '&',
  quot: '"',
  apos: "'",
  lt: '<',
  gt: '>',
  tab: '\t',
  newline: '\n',
  colon: ':',
};

/** HTML character references in an attribute value, decoded as a browser would before using it as a URL. */
export function decodeEntities(value: string): string {
  // Browsers read a numeric reference without its semicolon too (`&#106avascript:`).
  return value.replace(
    /&(?:(#x[0-9a-f]+|#\d+);?|([a-z]+);)/gi,
    (entity, numeric?: string, named?: string) => {
      const name = numeric ?? named ?? '';
      if (name[0] === '#') {
        const code =
          name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return namedEntities[name.toLowerCase()] ?? entity;
    },
  );
}
