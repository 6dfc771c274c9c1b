// Which planned messages get a coupon, and which code each gets. Pure: the
// repository turns the plan into SQL that writes a coupon only when its
// message row was really inserted.
import type { Campaign, Offer } from '../campaigns/types.ts';
import { dayMs } from '../time.ts';
import { cryptoRandom, generateCode, type RandomSource } from './code.ts';

export interface PlannedMessage {
  id: string;
  step?: number | undefined;
  status: string;
}

export interface StepCoupons {
  offer: Offer;
  coupons: { messageId: string; code: string }[];
}

/**
 * One coupon per scheduled message whose step carries an offer, grouped by
 * step (one abandoned-cart series may offer different coupons per step).
 * Held-out messages get none: the control group must not receive an offer.
 */
export function planCoupons(
  campaign: Campaign,
  messages: readonly PlannedMessage[],
  random: RandomSource = cryptoRandom,
): StepCoupons[] {
  const byStep = new Map<number, StepCoupons>();
  const used = new Set<string>();
  for (const message of messages) {
    if (message.status !== 'scheduled') continue;
    const offer = campaign.steps.find((step) => step.index === (message.step ?? 0))?.offer;
    if (!offer) continue;
    let group = byStep.get(message.step ?? 0);
    if (!group) {
      group = { offer, coupons: [] };
      byStep.set(message.step ?? 0, group);
    }
    let code = generateCode(offer.codePrefix, random);
    // Two equal codes in one batch would fail the whole batch on the primary key.
    while (used.has(code)) code = generateCode(offer.codePrefix, random);
    used.add(code);
    group.coupons.push({ messageId: message.id, code });
  }
  return [...byStep.values()];
}

/** A coupon expires this long after its message is due to go out. */
export function validForMs(offer: Offer): number {
  return offer.expiresAfterDays * dayMs;
}
