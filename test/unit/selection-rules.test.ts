import { describe, expect, it } from 'vitest';
import { nextFreeSlot } from '../../src/core/selection/frequency-cap.ts';
import { isHeldOut, stableHash } from '../../src/core/selection/holdout.ts';
import { zonedInstant } from '../../src/core/selection/local-time.ts';
import { isAllowedAt, nextAllowedTime } from '../../src/core/selection/send-window.ts';

const day = 86_400_000;
const hour = 3_600_000;

describe('holdout', () => {
  it('is stable for a customer and campaign', () => {
    expect(isHeldOut('winback', 'c1', 10)).toBe(isHeldOut('winback', 'c1', 10));
    expect(stableHash('abc')).toBe(stableHash('abc'));
  });

  it('holds out close to the asked share of customers', () => {
    let held = 0;
    for (let i = 0; i < 20_000; i++)
      if (isHeldOut('winback', String(450789469123456789n + BigInt(i)), 10)) held++;
    expect(held / 20_000).toBeGreaterThan(0.09);
    expect(held / 20_000).toBeLessThan(0.11);
  });

  it('draws independently per campaign', () => {
    let both = 0;
    for (let i = 0; i < 10_000; i++) if (isHeldOut('a', `c${i}`, 50) && isHeldOut('b', `c${i}`, 50)) both++;
    expect(both / 10_000).toBeGreaterThan(0.22);
    expect(both / 10_000).toBeLessThan(0.28);
  });

  it('0 % holds out nobody', () => {
    expect(Array.from({ length: 100 }, (_, i) => isHeldOut('x', `c${i}`, 0)).some(Boolean)).toBe(false);
  });
});

describe('frequency cap', () => {
  const cap = { maxMessages: 1, perDays: 3 };
  const at = Date.parse('2026-11-23T12:00:00Z');

  it('lets a message through when the window is free', () => {
    expect(nextFreeSlot(at, [], cap)).toBe(at);
    expect(nextFreeSlot(at, [at - 3 * day], cap)).toBe(at);
  });

  it('defers to the moment the last message leaves the window', () => {
    expect(nextFreeSlot(at, [at - day], cap)).toBe(at + 2 * day);
  });

  it('does not squeeze in just before a scheduled message', () => {
    expect(nextFreeSlot(at, [at + day], cap)).toBe(at + 4 * day);
  });

  it('counts up to maxMessages', () => {
    const two = { maxMessages: 2, perDays: 7 };
    expect(nextFreeSlot(at, [at - day], two)).toBe(at);
    expect(nextFreeSlot(at, [at - day, at - 2 * day], two)).toBe(at + 5 * day);
  });
});

describe('send window and quiet hours', () => {
  const rules = {
    window: { startMinute: 9 * 60, endMinute: 20 * 60 },
    quietHours: { startMinute: 21 * 60, endMinute: 8 * 60 },
  };

  it('sends at once inside the window', () => {
    const t = Date.parse('2026-11-23T10:00:00Z'); // 10:00 in London
    expect(nextAllowedTime(t, 'Europe/London', rules)).toBe(t);
  });

  it('delays to the next window start in the customer zone', () => {
    const t = Date.parse('2026-11-23T22:00:00Z'); // 23:00 in Berlin
    expect(nextAllowedTime(t, 'Europe/Berlin', rules)).toBe(Date.parse('2026-11-24T08:00:00Z'));
  });

  it('uses the zone offset on the day it sends, across the spring DST change', () => {
    // Saturday 28 March 2026 22:00 in New York is after the window; Europe moves
    // its clocks on Sunday 29 March: 09:00 London that day is 08:00 UTC.
    const t = Date.parse('2026-03-28T22:00:00Z');
    expect(nextAllowedTime(t, 'Europe/London', rules)).toBe(Date.parse('2026-03-29T08:00:00Z'));
  });

  it('handles the autumn change in New York', () => {
    const t = Date.parse('2026-11-01T03:00:00Z'); // 23:00 on 31 Oct, EDT
    expect(nextAllowedTime(t, 'America/New_York', rules)).toBe(Date.parse('2026-11-01T14:00:00Z')); // 09:00 EST
  });

  it('a local time inside a DST gap moves forward', () => {
    // 01:30 on 29 March 2026 does not exist in London (01:00 -> 02:00).
    const instant = zonedInstant(2026, 3, 29, 90, 'Europe/London');
    expect(instant).toBe(Date.parse('2026-03-29T01:30:00Z'));
  });

  it('respects weekdays', () => {
    const weekdaysOnly = {
      window: { startMinute: 9 * 60, endMinute: 17 * 60, days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const },
    };
    const saturday = Date.parse('2026-11-28T10:00:00Z');
    expect(isAllowedAt(saturday, 'UTC', weekdaysOnly)).toBe(false);
    expect(nextAllowedTime(saturday, 'UTC', weekdaysOnly)).toBe(Date.parse('2026-11-30T09:00:00Z'));
  });

  it('quiet hours across midnight', () => {
    const quiet = { quietHours: { startMinute: 22 * 60, endMinute: 7 * 60 } };
    expect(nextAllowedTime(Date.parse('2026-11-23T23:30:00Z'), 'UTC', quiet)).toBe(
      Date.parse('2026-11-24T07:00:00Z'),
    );
    expect(nextAllowedTime(Date.parse('2026-11-23T12:00:00Z') + hour, 'UTC', quiet)).toBe(
      Date.parse('2026-11-23T13:00:00Z'),
    );
  });
});
