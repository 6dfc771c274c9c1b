// The importer's parts that need no database: the CSV scanner (checked against
// csv-parse on generated files, fed in chunks of every size), the compact id
// set, and reading export times.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvScanner, type ScannedRecord } from '../../../src/adapters/import/csv-scanner.ts';
import { instantReader } from '../../../src/adapters/import/dates.ts';
import { IdSet } from '../../../src/adapters/import/id-set.ts';
import { CellError } from '../../../src/adapters/import/values.ts';

function scanAll(text: string, chunkSize: number): ScannedRecord[] {
  const scanner = new CsvScanner();
  const records: ScannedRecord[] = [];
  for (let i = 0; i < text.length; i += chunkSize)
    records.push(...scanner.push(text.slice(i, i + chunkSize)));
  records.push(...scanner.end());
  return records;
}

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
}

const pieces = ['a', 'bc', ' ', ',', '"', '\n', '\r\n', 'é', '🙂', '""', 'x,y', '450789469123456789'];

function randomCsv(next: () => number, lineEnd: string): { text: string; rows: string[][]; lines: number[] } {
  const rows: string[][] = [];
  const lines: number[] = [];
  let text = 'h1,h2,h3';
  let line = 1;
  const count = 1 + Math.floor(next() * 30);
  for (let r = 0; r < count; r++) {
    text += lineEnd;
    line++;
    const row: string[] = [];
    for (let c = 0; c < 3; c++) {
      let value = `v${r}`;
      for (let k = Math.floor(next() * 4); k > 0; k--) value += pieces[Math.floor(next() * pieces.length)];
      row.push(value);
    }
    rows.push(row);
    lines.push(line);
    text += row
      .map((value) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value))
      .join(',');
    line += row.reduce((n, value) => n + (value.match(/\r\n|\n|\r/g)?.length ?? 0), 0);
  }
  return { text, rows, lines };
}

describe('CsvScanner', () => {
  it('reads what csv-parse reads, with start lines, whatever the chunk size', () => {
    const next = random(42);
    for (let round = 0; round < 200; round++) {
      const lineEnd = round % 2 === 0 ? '\n' : '\r\n';
      const { text, rows, lines } = randomCsv(next, lineEnd);
      const reference = parse(text, { record_delimiter: lineEnd, relax_column_count: true }) as string[][];
      expect(reference.slice(1)).toEqual(rows);
      for (const size of [1, 2, 5, 64, 100_000]) {
        const records = scanAll(text, size);
        expect(records.map((r) => r.fields)).toEqual(reference);
        expect(records.slice(1).map((r) => r.line)).toEqual(lines);
        expect(records.every((r) => r.error === undefined)).toBe(true);
      }
    }
  });

  it('skips a BOM, blank lines and rows of empty cells, and counts them as lines', () => {
    const records = scanAll('\uFEFFid,name\r\n\r\n,,\r\n1,"a\r\nb"\r\n2,c', 3);
    expect(records).toEqual([
      { fields: ['id', 'name'], line: 1 },
      { fields: ['1', 'a\r\nb'], line: 4 },
      { fields: ['2', 'c'], line: 6 },
    ]);
  });

  it('reports malformed quoting on the line it starts and goes on', () => {
    expect(scanAll('a,b\n"x"y,1\n2,3\n"open\n4,5\n', 4)).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['x', '1'], line: 2, error: 'unexpected text after a closing quote' },
      { fields: ['2', '3'], line: 3 },
      { fields: [], line: 4, error: 'a quoted field is never closed' },
    ]);
  });
});

describe('IdSet', () => {
  it('agrees with a Set through growth, for long, numeric and non-ASCII ids', () => {
    const ids = new IdSet();
    const reference = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const id = i % 5 === 0 ? `ünïcødé-${i % 7000}-🙂` : String(450789469123456789n + BigInt(i % 20_000));
      expect(ids.add(id)).toBe(!reference.has(id));
      reference.add(id);
    }
    expect(ids.size).toBe(reference.size);
  });
});

describe('reading export times', () => {
  it('rewrites offsets the way exports write them and refuses local times without a zone', () => {
    const read = instantReader(undefined);
    expect(read('2024-01-02 10:00:00 +0100', 'placed_at')).toBe('2024-01-02T10:00:00+01:00');
    expect(read('2024-01-02T10:00:00Z', 'placed_at')).toBe('2024-01-02T10:00:00Z');
    expect(read('2024-01-02 10:00 UTC', 'placed_at')).toBe('2024-01-02T10:00Z');
    expect(read('yesterday', 'placed_at')).toBe('yesterday');
    expect(() => read('2024-01-02', 'placed_at')).toThrow(CellError);
  });

  it('reads local times in a zone, across daylight saving changes', () => {
    const london = instantReader('Europe/London');
    expect(london('2024-01-15 12:00', 'at')).toBe('2024-01-15T12:00:00.000Z');
    expect(london('2024-07-15 12:00', 'at')).toBe('2024-07-15T11:00:00.000Z');
    // 01:30 happens twice on 27 Oct 2024: the earlier (BST) one is taken.
    expect(london('2024-10-27 01:30', 'at')).toBe('2024-10-27T00:30:00.000Z');
    // 01:30 never happens on 31 Mar 2024: read with the offset before the change.
    expect(london('2024-03-31 01:30', 'at')).toBe('2024-03-31T01:30:00.000Z');
    expect(() => london('2024-02-30', 'at')).toThrow(/not a real date/);
    expect(instantReader('America/New_York')('2024-07-04', 'at')).toBe('2024-07-04T04:00:00.000Z');
  });
});
