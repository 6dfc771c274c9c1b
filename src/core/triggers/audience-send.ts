// Scheduled audience sends as pure rules: which send time a sweep at `now`
// makes (the latest `send_at` at or before it, within catch_up_hours; a cron
// send_at names many), whether a customer is in it (idle_days against their
// last purchase before the send; the campaign's audience block is the usual
// selection rule), and when their message is due (spread at per_hour from the
// send time, in the order the sweep meets customers). One message per
// customer per send time: a rerun at the same send time writes nothing new.
import { previousCronFire } from '../campaigns/cron.ts';
import type { AudienceSendTrigger } from '../campaigns/types.ts';
import { dayMs, hourMs } from '../time.ts';
import { audienceSendRef } from './trigger-ref.ts';

/** The send time a sweep at `now` makes, or null when none is due (not yet, or past catch_up_hours). */
export function dueSendTime(
  trigger: Pick<AudienceSendTrigger, 'sendAt' | 'catchUpHours'>,
  now: number,
): number | null {
  const window = trigger.catchUpHours * hourMs;
  if ('at' in trigger.sendAt) {
    const at = trigger.sendAt.at;
    return at <= now && now - at <= window ? at : null;
  }
  return previousCronFire(trigger.sendAt.cron, now, window);
}

export type AudienceSendOutcome = { match: true; instance: string } | { match: false; reason: string };

export function matchAudienceSend(
  trigger: Pick<AudienceSendTrigger, 'idleDays'>,
  facts: { lastPurchaseAt: number | null },
  sendTime: number,
): AudienceSendOutcome {
  const problem = idleDaysProblem(trigger.idleDays, facts.lastPurchaseAt, sendTime, 'the send');
  return problem ? { match: false, reason: problem } : { match: true, instance: audienceSendRef(sendTime) };
}

/**
 * The idle_days test (audience sends, new arrivals): days from the last paid
 * purchase to `at`, inclusive bounds; why it fails, or null when it holds.
 */
export function idleDaysProblem(
  idleDays: AudienceSendTrigger['idleDays'],
  lastPurchaseAt: number | null,
  at: number,
  atName: string,
): string | null {
  const { min, max } = idleDays;
  if (min === null && max === null) return null;
  if (lastPurchaseAt === null) return `no paid order before ${atName}`;
  const idle = at - lastPurchaseAt;
  const days = Math.floor(idle / dayMs);
  if (min !== null && idle < min * dayMs)
    return `last purchase ${days} days before ${atName}; idle_days.min is ${min}`;
  if (max !== null && idle > max * dayMs)
    return `last purchase ${days} days before ${atName}; idle_days.max is ${max}`;
  return null;
}

/** When the `rank`-th message (0-based) of a send is due: all at the send time, or per_hour an hour. */
export function spreadDue(sendTime: number, rank: number, perHour: number | null): number {
  return perHour === null ? sendTime : sendTime + Math.floor((rank * hourMs) / perHour);
}
