import { describe, expect, it } from 'vitest';
import { everyDay, revenueSeries } from '../../src/core/reports/daily.ts';
import { lastDays, parseReportRange } from '../../src/core/reports/range.ts';
import type { DayReport } from '../../src/core/reports/types.ts';
import { formatInstant } from '../../src/core/time.ts';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : formatInstant(ms));

describe('parseReportRange', () => {
  it('turns from and to (days in the zone, both included) into the instants they span', () => {
    const parsed = parseReportRange({ from: '2026-05-05', to: '2026-05-06' }, 'Europe/London');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.range).toMatchObject({ from: '2026-05-05', to: '2026-05-06', since: null });
    expect([iso(parsed.range.start), iso(parsed.range.end)]).toEqual([
      '2026-05-04T23:00:00.000Z',
      '2026-05-06T23:00:00.000Z',
    ]);
  });

  it('takes blank as no bound, and since as an open start', () => {
    const blank = parseReportRange({ from: '', to: ' ' }, 'UTC');
    expect(blank.ok && [blank.range.start, blank.range.end]).toEqual([undefined, undefined]);
    const since = parseReportRange({ since: '2026-05-01T12:00:00+02:00' }, 'UTC');
    expect(since.ok && iso(since.range.start)).toBe('2026-05-01T10:00:00.000Z');
  });

  it.each([
    [{ from: '2026-13-01' }, 'from'],
    [{ to: 'soon' }, 'to'],
    [{ from: '2026-05-02', to: '2026-05-01' }, 'to'],
    [{ since: 'yesterday' }, 'since'],
    [{ since: '2026-05-01T00:00:00Z', from: '2026-05-01' }, 'since'],
  ])('refuses %o naming %s', (input, field) => {
    const parsed = parseReportRange(input, 'UTC');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.field).toBe(field);
  });

  it('the last 30 days end today in the zone', () => {
    // 23:30 UTC on 4 May is 5 May in London.
    const range = lastDays(Date.parse('2026-05-04T23:30:00Z'), 30, 'Europe/London');
    expect([range.from, range.to]).toEqual(['2026-04-06', '2026-05-05']);
  });
});

describe('chart days', () => {
  const day = (d: string, revenue: DayReport['revenue'] = []): DayReport => ({
    day: d,
    sends: 1,
    opens: 0,
    clicks: 0,
    redemptions: 0,
    revenue,
  });
  const daily = [
    day('2026-05-02', [{ currency: 'GBP', minor: 100, amount: '1.00' }]),
    day('2026-05-04', [{ currency: 'EUR', minor: 250, amount: '2.50' }]),
  ];

  it('fills every day of the span, from the range start to the later of its end and the last activity', () => {
    expect(everyDay(daily).map((d) => [d.day, d.sends])).toEqual([
      ['2026-05-02', 1],
      ['2026-05-03', 0],
      ['2026-05-04', 1],
    ]);
    expect(everyDay(daily, { from: '2026-05-01', to: '2026-05-03' }).map((d) => d.day)).toEqual([
      '2026-05-01',
      '2026-05-02',
      '2026-05-03',
      '2026-05-04',
    ]);
  });

  it('gives one revenue series per currency, zero on the days without', () => {
    expect(revenueSeries(everyDay(daily))).toEqual([
      {
        currency: 'EUR',
        points: [
          { day: '2026-05-02', money: { currency: 'EUR', minor: 0, amount: '0.00' } },
          { day: '2026-05-03', money: { currency: 'EUR', minor: 0, amount: '0.00' } },
          { day: '2026-05-04', money: { currency: 'EUR', minor: 250, amount: '2.50' } },
        ],
      },
      {
        currency: 'GBP',
        points: [
          { day: '2026-05-02', money: { currency: 'GBP', minor: 100, amount: '1.00' } },
          { day: '2026-05-03', money: { currency: 'GBP', minor: 0, amount: '0.00' } },
          { day: '2026-05-04', money: { currency: 'GBP', minor: 0, amount: '0.00' } },
        ],
      },
    ]);
  });
});
