import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatInstant,
  parseDay,
  parseInstant,
  zonedDay,
  zonedDayStart,
} from '../../src/core/time.ts';

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

describe('zoned days', () => {
  it.each([
    // 23:30 UTC in summer is already the next day in London (BST, UTC+1)...
    ['2026-05-04T23:30:00Z', 'Europe/London', '2026-05-05'],
    // ...but not in winter (GMT).
    ['2026-01-04T23:30:00Z', 'Europe/London', '2026-01-04'],
    ['2026-05-04T23:30:00Z', 'UTC', '2026-05-04'],
    ['2026-05-04T18:29:00Z', 'Asia/Kolkata', '2026-05-04'],
    ['2026-05-04T18:30:00Z', 'Asia/Kolkata', '2026-05-05'],
    ['2026-05-05T03:00:00Z', 'America/New_York', '2026-05-04'],
  ])('%s is %s in %s', (instant, zone, day) => {
    expect(zonedDay(Date.parse(instant), zone)).toBe(day);
  });

  it.each([
    ['2026-05-05', 'Europe/London', '2026-05-04T23:00:00.000Z'],
    ['2026-01-05', 'Europe/London', '2026-01-05T00:00:00.000Z'],
    // The day the clocks go forward (01:00 GMT) and back (02:00 BST) still start at local midnight.
    ['2026-03-29', 'Europe/London', '2026-03-29T00:00:00.000Z'],
    ['2026-10-25', 'Europe/London', '2026-10-24T23:00:00.000Z'],
    ['2026-05-05', 'Asia/Kolkata', '2026-05-04T18:30:00.000Z'],
    ['2026-05-05', 'Pacific/Kiritimati', '2026-05-04T10:00:00.000Z'],
    // Chile moves its clocks at local midnight: 6 Sept 2026 begins at 01:00 (-03).
    ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00.000Z'],
  ])('%s in %s starts at %s', (day, zone, start) => {
    expect(formatInstant(zonedDayStart(day, zone))).toBe(start);
  });

  it('parses real days only, and adds calendar days', () => {
    expect(parseDay('2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(parseDay('2026-02-29').ok).toBe(false);
    expect(parseDay('2026-5-1').ok).toBe(false);
    expect(parseDay('2026-05-01T00:00:00Z').ok).toBe(false);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });
});
