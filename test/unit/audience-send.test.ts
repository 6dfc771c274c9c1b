// Scheduled audience sends: the send time a sweep makes (an instant or a cron
// expression, within catch_up_hours), who is in it (idle_days at its
// boundaries), the spread, the trigger block's checks, and a coupon that
// never outlives the sale.
import { describe, expect, it } from 'vitest';
import { campaignSchema } from '../../src/core/campaigns/campaign.ts';
import { previousCronFire } from '../../src/core/campaigns/cron.ts';
import { couponExpiry } from '../../src/core/offers/issue.ts';
import { dueSendTime, matchAudienceSend, spreadDue } from '../../src/core/triggers/audience-send.ts';
import {
  audienceSendRef,
  describeInstance,
  parseAudienceSendRef,
} from '../../src/core/triggers/trigger-ref.ts';

const hour = 3_600_000;
const day = 24 * hour;
const at = (iso: string) => Date.parse(iso);

describe('previousCronFire', () => {
  it('finds the latest fire at or before the time, within the look-back', () => {
    // Thursdays 09:00 UTC; 2026-11-26 is a Thursday.
    expect(previousCronFire('0 9 * * 4', at('2026-11-26T09:00:00Z'), day)).toBe(at('2026-11-26T09:00:00Z'));
    expect(previousCronFire('0 9 * * thu', at('2026-11-27T08:59:00Z'), day)).toBe(at('2026-11-26T09:00:00Z'));
    expect(previousCronFire('0 9 * * 4', at('2026-11-27T09:01:00Z'), day)).toBeNull();
    expect(previousCronFire('0 9 * * 4', at('2026-11-26T08:59:59Z'), 6 * day)).toBeNull();
    expect(previousCronFire('*/15 8-10 * * *', at('2026-11-26T10:59:00Z'), hour)).toBe(
      at('2026-11-26T10:45:00Z'),
    );
    expect(previousCronFire('5/20 * * * *', at('2026-11-26T10:59:00Z'), hour)).toBe(
      at('2026-11-26T10:45:00Z'),
    );
    // Sunday as 7 and as 0.
    expect(previousCronFire('30 6 * * 7', at('2026-11-29T12:00:00Z'), day)).toBe(at('2026-11-29T06:30:00Z'));
    expect(previousCronFire('bad', at('2026-11-29T12:00:00Z'), day)).toBeNull();
  });

  it('fires on either restricted day field, as cron does', () => {
    // The 1st of the month or a Monday: 2026-12-01 is a Tuesday, 2026-11-30 a Monday.
    expect(previousCronFire('0 0 1 * 1', at('2026-12-01T12:00:00Z'), 3 * day)).toBe(
      at('2026-12-01T00:00:00Z'),
    );
    expect(previousCronFire('0 0 1 * 1', at('2026-11-30T12:00:00Z'), 3 * day)).toBe(
      at('2026-11-30T00:00:00Z'),
    );
    expect(previousCronFire('0 0 1 dec *', at('2026-11-30T12:00:00Z'), 40 * day)).toBeNull();
  });
});

describe('dueSendTime', () => {
  const once = { sendAt: { at: at('2026-11-26T09:00:00Z') }, catchUpHours: 24 };
  it('makes a one-off send from its instant to catch_up_hours after, and not before or later', () => {
    expect(dueSendTime(once, at('2026-11-26T08:59:59Z'))).toBeNull();
    expect(dueSendTime(once, at('2026-11-26T09:00:00Z'))).toBe(once.sendAt.at);
    expect(dueSendTime(once, once.sendAt.at + 24 * hour)).toBe(once.sendAt.at);
    expect(dueSendTime(once, once.sendAt.at + 24 * hour + 1)).toBeNull();
  });
  it('makes each time of a recurring send', () => {
    const weekly = { sendAt: { cron: '0 9 * * 4' }, catchUpHours: 24 };
    expect(dueSendTime(weekly, at('2026-12-03T10:00:00Z'))).toBe(at('2026-12-03T09:00:00Z'));
    expect(dueSendTime(weekly, at('2026-12-01T10:00:00Z'))).toBeNull();
  });
});

describe('matchAudienceSend', () => {
  const send = at('2026-11-26T09:00:00Z');
  const idle = { idleDays: { min: 60, max: 365 } };
  it('takes customers idle from min to max days at the send, exactly at both ends', () => {
    const outcome = (lastPurchaseAt: number | null) => matchAudienceSend(idle, { lastPurchaseAt }, send);
    expect(outcome(send - 60 * day)).toEqual({ match: true, instance: audienceSendRef(send) });
    expect(outcome(send - 60 * day + 1)).toMatchObject({
      match: false,
      reason: expect.stringContaining('min is 60'),
    });
    expect(outcome(send - 365 * day)).toMatchObject({ match: true });
    expect(outcome(send - 365 * day - 1)).toMatchObject({
      match: false,
      reason: expect.stringContaining('max is 365'),
    });
    expect(outcome(null)).toEqual({ match: false, reason: 'no paid order before the send' });
  });
  it('takes everyone without idle_days, buyers or not', () => {
    expect(
      matchAudienceSend({ idleDays: { min: null, max: null } }, { lastPurchaseAt: null }, send),
    ).toMatchObject({
      match: true,
    });
  });
});

describe('the spread and the ref', () => {
  it('puts per_hour messages in each hour from the send on, or all at the send', () => {
    const send = at('2026-11-26T09:00:00Z');
    expect([0, 1, 499, 500, 1000].map((rank) => spreadDue(send, rank, 500) - send)).toEqual([
      0,
      7200,
      3_592_800,
      hour,
      2 * hour,
    ]);
    expect(spreadDue(send, 10_000, null)).toBe(send);
    expect(parseAudienceSendRef(audienceSendRef(send))).toBe(send);
    expect(describeInstance(audienceSendRef(send), send)).toBe('the send of 2026-11-26 09:00 UTC');
  });
});

describe('the audience trigger block and an offer that ends with the sale', () => {
  const file = (trigger: Record<string, unknown>, offer?: Record<string, unknown>) => ({
    name: 'Early access',
    trigger: { type: 'audience', ...trigger },
    email: { template: 'early-access.mjml', subject: 'Hi' },
    ...(offer ? { offer } : {}),
  });
  const problems = (input: unknown) => {
    const parsed = campaignSchema('GBP').safeParse(input);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('reads an instant or a cron expression, and fills the defaults', () => {
    const once = campaignSchema('GBP').parse(file({ send_at: '2026-11-26T09:00:00Z' }));
    expect(once.trigger).toEqual({
      type: 'audience',
      sendAt: { at: at('2026-11-26T09:00:00Z') },
      idleDays: { min: null, max: null },
      perHour: null,
      catchUpHours: 24,
    });
    const weekly = campaignSchema('GBP').parse(
      file({ send_at: '0 9 * * 4', idle_days: { min: 60, max: 365 }, per_hour: 500 }),
    );
    expect(weekly.trigger).toMatchObject({
      sendAt: { cron: '0 9 * * 4' },
      idleDays: { min: 60, max: 365 },
      perHour: 500,
    });
  });

  it('names a bad send_at, idle_days out of order and a bad expires_at', () => {
    expect(problems(file({ send_at: '2026-13-01T09:00:00Z' }))).toEqual([
      expect.stringMatching(/^trigger\.send_at: must be an instant .*got '2026-13-01T09:00:00Z'/),
    ]);
    expect(problems(file({ send_at: 'every thursday' }))).toEqual([
      expect.stringMatching(/^trigger\.send_at: .*as a cron expression it has 2 fields, not 5/),
    ]);
    expect(problems(file({ send_at: '0 9 * * 4', idle_days: { min: 90, max: 60 } }))).toEqual([
      'trigger.idle_days.max: must be more than min (90), got 60',
    ]);
    const offer = { kind: 'percent_off', value: 20, expires_after_days: 4, code_prefix: 'EARLY' };
    expect(problems(file({ send_at: '0 9 * * 4' }, { ...offer, expires_at: 'sunday' }))).toEqual([
      expect.stringMatching(/^offer\.expires_at: must be an instant/),
    ]);
    const parsed = campaignSchema('GBP').parse(
      file({ send_at: '0 9 * * 4' }, { ...offer, expires_at: '2026-11-29T23:59:59Z' }),
    );
    expect(parsed.steps[0]!.offer?.expiresAt).toBe(at('2026-11-29T23:59:59Z'));
  });

  it('a coupon expires its days after issue, but never after the sale ends', () => {
    const issued = at('2026-11-26T09:00:00Z');
    const saleEnd = at('2026-11-29T23:59:59Z');
    expect(couponExpiry({ expiresAfterDays: 4, expiresAt: null }, issued)).toBe(issued + 4 * day);
    expect(couponExpiry({ expiresAfterDays: 4, expiresAt: saleEnd }, issued)).toBe(saleEnd);
    expect(couponExpiry({ expiresAfterDays: 2, expiresAt: saleEnd }, issued)).toBe(issued + 2 * day);
  });
});
