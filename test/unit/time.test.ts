import { describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../../src/core/time.ts';

describe('parseInstant', () => {
  it.each([
    ['2026-03-29T01:30:00Z', '2026-03-29T01:30:00.000Z'],
    ['2026-03-29T02:30:00+01:00', '2026-03-29T01:30:00.000Z'],
    ['2026-03-29 02:30:00 +0100', '2026-03-29T01:30:00.000Z'],
    ['2026-10-01T09:30-04:00', '2026-10-01T13:30:00.000Z'],
    ['2026-10-01T09:30:00.123456+00:00', '2026-10-01T09:30:00.123Z'],
    ['2024-02-29T00:00:00z', '2024-02-29T00:00:00.000Z'],
  ])('%s is %s', (text, iso) => {
    const parsed = parseInstant(text);
    expect(parsed.ok && formatInstant(parsed.value)).toBe(iso);
  });

  it.each([
    '2026-10-01T09:30:00',
    '2026-10-01',
    '2026-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-10-01T25:00:00Z',
    'yesterday',
    '',
  ])('refuses %s', (text) => {
    expect(parseInstant(text).ok).toBe(false);
  });
});
