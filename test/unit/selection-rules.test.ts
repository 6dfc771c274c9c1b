import { describe, expect, it } from 'vitest';
import { nextFreeSlot } from '../../src/core/selection/frequency-cap.ts';
import { isHeldOut, stableHash } from '../../src/core/selection/holdout.ts';
import { localParts, zonedInstant } from '../../src/core/selection/local-time.ts';
import { decide, newSelectionState } from '../../src/core/selection/select.ts';
import { isAllowedAt, nextAllowedTime } from '../../src/core/selection/send-window.ts';
import type { Hit } from '../../src/core/selection/types.ts';
import { dormantCampaign, shopSettings } from '../node/support/campaign-fixtures.ts';

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

describe('one campaign, and one message, per customer per sweep', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  const hit = (instance: string, campaignId = 'winback'): Hit => ({
    campaignId,
    triggerKind: 'dormant',
    step: 0,
    instance,
    triggerRef: instance,
    customerId: 'c1',
    currency: 'GBP',
    email: 'c1@example.com',
    timezone: null,
    consent: true,
    suppressed: false,
    dueAt: now,
    recentMessageTimes: [],
    lastCampaignMessageAt: null,
  });
  const settings = shopSettings();

  it('a campaign mails a customer once; its second hit waits for a later sweep', () => {
    const state = newSelectionState();
    const campaign = dormantCampaign();
    expect(decide(hit('one'), campaign, settings, state, now).outcome).toBe('scheduled');
    expect(decide(hit('two'), campaign, settings, state, now)).toMatchObject({
      outcome: 'excluded',
      rule: 'priority',
    });
    // A later sweep starts with a fresh state.
    expect(decide(hit('two'), campaign, settings, newSelectionState(), now).outcome).toBe('scheduled');
  });

  it('a lower-priority campaign does not get a customer another one took', () => {
    const state = newSelectionState();
    decide(hit('one', 'urgent'), dormantCampaign({ id: 'urgent' }), settings, state, now);
    const second = decide(hit('one'), dormantCampaign(), settings, state, now);
    expect(second).toMatchObject({ outcome: 'excluded', rule: 'priority' });
  });
});

describe('local wall clock', () => {
  it('agrees with Intl minute by minute around DST changes, in odd-offset zones too', () => {
    const zones = [
      'Europe/London',
      'America/New_York',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'Asia/Kathmandu',
    ];
    const starts = [
      '2026-03-28T00:00:00Z',
      '2026-10-03T12:00:00Z',
      '2026-04-04T12:00:00Z',
      '2026-10-31T20:00:00Z',
    ];
    for (const zone of zones) {
      const format = new Intl.DateTimeFormat('en-GB', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });
      for (const start of starts) {
        // Two days in 7-minute steps, so every quarter hour of a change is crossed.
        for (let instant = Date.parse(start); instant < Date.parse(start) + 2 * day; instant += 7 * 60_000) {
          const p = localParts(instant, zone);
          const mine = `${String(p.day).padStart(2, '0')}/${String(p.month).padStart(2, '0')}/${p.year}, ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
          expect({ zone, instant, local: mine }).toEqual({ zone, instant, local: format.format(instant) });
        }
      }
    }
  });
});
