// The JSON serialiser every SQL-bound JSON value goes through, and the byte
// repair migrate runs: both must give exactly what String.prototype
// .toWellFormed gives, and change nothing that is already well-formed.
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wellFormedText } from '../../../src/db/repair-text.ts';
import { sqlJson } from '../../../src/db/sql-json.ts';

// Pieces that make the escapes tricky: lone halves, pairs, backslashes and
// the letters of a \ud800 escape typed as text.
const pieces = [
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\ud83d\ude00',
  '\\',
  'u',
  'd',
  '8',
  '0',
  '"',
  'é',
  'a',
];

function randomText(next: () => number): string {
  let text = '';
  const length = Math.floor(next() * 12);
  for (let i = 0; i < length; i++) text += pieces[Math.floor(next() * pieces.length)];
  return text;
}

function lcg(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const wellFormedDeep = (value: unknown): unknown =>
  typeof value === 'string' ? value.toWellFormed() : Array.isArray(value) ? value.map(wellFormedDeep) : value;

describe('sqlJson', () => {
  it('equals JSON.stringify of the well-formed value, for 5,000 random rows', () => {
    const next = lcg(42);
    for (let i = 0; i < 5000; i++) {
      const row = [randomText(next), [randomText(next)], i, null];
      const json = sqlJson(row);
      expect(json).toBe(JSON.stringify(wellFormedDeep(row)));
      expect(JSON.parse(json)).toEqual(wellFormedDeep(row));
    }
  });

  it('returns well-formed input unchanged', () => {
    const row = ['Ada \ud83d\ude00', 'C:\\ud800 is text here', 7];
    expect(sqlJson(row)).toBe(JSON.stringify(row));
  });

  it('is the only JSON serialiser of the files that bind json_each', async () => {
    const src = resolve(import.meta.dirname, '../../../src');
    const files = (await readdir(src, { recursive: true })).filter((f) => f.endsWith('.ts'));
    const offenders: string[] = [];
    for (const file of files) {
      const source = await readFile(join(src, file), 'utf8');
      if (file.endsWith('sql-json.ts')) continue;
      if (source.includes('json_each') && source.includes('JSON.stringify(')) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});

describe('wellFormedText (the stored-bytes repair)', () => {
  const bytes = (...values: number[]) => new Uint8Array(values);
  const utf8 = (text: string) => new TextEncoder().encode(text);

  it.each([
    ['a lone high surrogate', bytes(0x63, 0xed, 0xa0, 0x80), 'c\ufffd'],
    ['a lone low surrogate', bytes(0xed, 0xbf, 0xbf, 0x21), '\ufffd!'],
    ['an encoded pair', bytes(0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80), '\ud83d\ude00'],
    ['a leading BOM before a surrogate', bytes(0xef, 0xbb, 0xbf, 0xed, 0xa0, 0x80), '\ufeff\ufffd'],
    ['another invalid byte beside one', bytes(0xff, 0xed, 0xa0, 0x80), '\ufffd\ufffd'],
  ])('repairs %s', (_name, input, expected) => {
    expect(wellFormedText(input)).toBe(expected);
  });

  it.each([
    ['Hangul (lead byte ED)', '하나 돌'],
    ['an emoji', 'A \ud83d\ude00'],
    ['a BOM', '\ufeffx'],
    ['empty', ''],
  ])('leaves %s alone', (_name, text) => {
    expect(wellFormedText(utf8(text))).toBeNull();
  });

  it('gives what toWellFormed gives, for 2,000 random strings encoded as SQLite stores them', () => {
    const next = lcg(7);
    for (let i = 0; i < 2000; i++) {
      const text = randomText(next);
      const repaired = wellFormedText(wtf8(text));
      expect(repaired ?? text).toBe(text.toWellFormed());
    }
  });
});

/** Each UTF-16 code unit of a lone surrogate as three bytes, as SQLite's json_extract writes it. */
function wtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) out.push(0xed, 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else out.push(...new TextEncoder().encode(char));
  }
  return new Uint8Array(out);
}
