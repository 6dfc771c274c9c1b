// The one rule for links that may reach an email or the click redirect
// (src/core/safe-link.ts), against the tricks that make a URL mean something
// other than what it looks like.
import { describe, expect, it } from 'vitest';
import { couldStartSafeLink, hrefTarget, isSafeLink, safeLink } from '../../src/core/safe-link.ts';

const unsafe = [
  'javascript:alert(document.cookie)',
  'JAVASCRIPT:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  ' javascript:alert(1)',
  '\u0001javascript:alert(1)',
  '  https://shop.example/',
  'https://shop.example/\r\nSet-Cookie: a=b',
  'https://shop.example/a b',
  'https://shop.example/\u200bx',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'DATA:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'VBScript:msgbox(1)',
  'file:///etc/passwd',
  'mailto:help@shop.example',
  '//evil.example/path',
  '/relative/path',
  'https:evil.example',
  'https:/evil.example',
  'https:\\\\evil.example',
  'https://evil.example\\@shop.example/',
  'http://',
  'https:///path',
  'not a url',
  '',
];

describe('safeLink', () => {
  it.each(unsafe)('refuses %j', (raw) => {
    expect(safeLink(raw)).toBeNull();
    expect(isSafeLink(raw)).toBe(false);
  });

  it('accepts absolute http(s) links in any case of the scheme and gives them normalized', () => {
    expect(safeLink('https://shop.example/p/1?utm=a&b=2')).toBe('https://shop.example/p/1?utm=a&b=2');
    expect(safeLink('HTTP://Shop.Example')).toBe('http://shop.example/');
    expect(safeLink('https://shop.example/caf\u00e9')).toBe('https://shop.example/caf%C3%A9');
  });

  it('refuses what is not text', () => {
    expect(safeLink(null)).toBeNull();
    expect(safeLink(undefined)).toBeNull();
    expect(safeLink(42)).toBeNull();
  });
});

describe('hrefTarget', () => {
  it('decodes entities and strips the whitespace HTML strips before judging an href', () => {
    expect(hrefTarget(' https://shop.example/?a=1&amp;b=2 ')).toEqual({
      kind: 'web',
      url: 'https://shop.example/?a=1&b=2',
    });
    expect(hrefTarget('#')).toEqual({ kind: 'fragment' });
    expect(hrefTarget('#top')).toEqual({ kind: 'fragment' });
  });

  it.each([
    'javascript:alert(1)',
    '  javascript:alert(1)',
    'jav&#x61;script:alert(1)',
    '&#106;avascript:alert(1)',
    '&#106avascript:alert(1)',
    'java&Tab;script:alert(1)',
    'javascript&colon;alert(1)',
    'java&#9;script:alert(1)',
    'data:text/html,x',
    'vbscript:x',
    'mailto:help@shop.example',
    '//evil.example',
    'cart',
  ])('calls %j unsafe', (value) => {
    expect(hrefTarget(value)).toEqual({ kind: 'unsafe' });
  });
});

describe('couldStartSafeLink', () => {
  it('judges the literal text before a Liquid tag', () => {
    expect(couldStartSafeLink('')).toBe(true);
    expect(couldStartSafeLink('https://')).toBe(true);
    expect(couldStartSafeLink('HTTPS://shop.example/')).toBe(true);
    expect(couldStartSafeLink('#')).toBe(true);
    expect(couldStartSafeLink('javascript:')).toBe(false);
    expect(couldStartSafeLink('java&#x73;cript:')).toBe(false);
    expect(couldStartSafeLink('data:')).toBe(false);
    expect(couldStartSafeLink('//')).toBe(false);
    expect(couldStartSafeLink('https:')).toBe(false);
  });
});
