// The selection rules, applied in the contract's order: suppression and
// consent; campaign eligibility (audience, exclude_if_messaged_by); one
// campaign per customer per sweep by priority; the shop-wide frequency cap;
// per-campaign cooldown; the shop-wide offer rule; holdout; the send window.
// A hit refused by any of these takes nobody: a lower-priority campaign may
// still mail the customer (one without an offer, say). Pure: every fact arrives on the hit, so a dry run and a real
// sweep decide the same way and --explain can print the reason.
//
// "One campaign per customer per sweep" also means one message: a campaign
// that hits a customer twice in a sweep (two open carts, two restocked
// products they wait for) mails the first hit and leaves the other for a later
// sweep, where it is found again because nothing was written for it.
//
// A series (the steps of one abandoned cart) is one conversation: the
// frequency cap spaces conversations, so a hit's recentMessageTimes leave out
// the earlier steps of its own series (the sources' SQL does that). Other
// campaigns' messages still cap every step, and every step counts against
// other campaigns.

import { needsMarketingConsent } from '../campaigns/consent.ts';
import type { Campaign, ShopSettings } from '../campaigns/types.ts';
import { dayMs } from '../time.ts';
import { customerKey } from './dedupe-key.ts';
import { nextFreeSlot } from './frequency-cap.ts';
import { isHeldOut } from './holdout.ts';
import { messagedByRefusal } from './messaged-by.ts';
import { offerRuleRefusal } from './offer-rule.ts';
import { nextAllowedTime } from './send-window.ts';
import type { Decision, Hit } from './types.ts';

export interface SelectionState {
  /** Customers already given a message in this sweep, and the campaign that gave it. */
  taken: Map<string, string>;
  /**
   * Send-window answers by campaign, zone and due time: most hits of a sweep
   * are due `now` in one of a few zones, and the answer costs dozens of
   * wall-clock conversions when it is outside the window.
   */
  sendTimes: Map<string, number>;
}

const maxSendTimes = 50_000;

export function newSelectionState(): SelectionState {
  return { taken: new Map(), sendTimes: new Map() };
}

/**
 * Decides one hit. Campaigns must be offered in priority order (highest first)
 * so the first to take a customer is the one that wins.
 */
export function decide(
  hit: Hit,
  campaign: Campaign,
  shop: ShopSettings,
  state: SelectionState,
  now: number,
): Decision {
  if (hit.suppressed)
    return excluded(hit, 'suppressed', 'address is suppressed (unsubscribed, bounced or complained)');
  if (!hit.consent && needsMarketingConsent(campaign, shop, hit.step)) {
    return excluded(
      hit,
      'no_consent',
      'no marketing consent, and the settings do not allow this message without it',
    );
  }
  if (hit.audienceFailure) return excluded(hit, 'audience', hit.audienceFailure);
  const messagedBy = messagedByRefusal(hit, campaign, now);
  if (messagedBy) return excluded(hit, 'messaged_by', messagedBy);

  const key = customerKey(hit);
  const winner = state.taken.get(key);
  if (winner === campaign.id) {
    return excluded(
      hit,
      'priority',
      'already given one message by this campaign in this sweep; this one waits for a later sweep',
    );
  }
  if (winner !== undefined) {
    return excluded(hit, 'priority', `already chosen for campaign '${winner}' in this sweep`);
  }

  let dueAt = Math.max(hit.dueAt, now);
  let note: string | undefined;
  if (shop.frequencyCap) {
    const slot = nextFreeSlot(dueAt, hit.recentMessageTimes, shop.frequencyCap);
    if (slot > dueAt) {
      const cap = `${shop.frequencyCap.maxMessages} per ${shop.frequencyCap.perDays} days`;
      if (campaign.onFrequencyCap === 'drop')
        return excluded(hit, 'frequency_cap', `frequency cap of ${cap} reached`);
      note = `deferred by the frequency cap of ${cap}`;
      dueAt = slot;
    }
  }
  // The cooldown keeps a campaign from starting again too soon; the later
  // steps of a series it already started are not a new start.
  if (hit.step === 0 && hit.lastCampaignMessageAt !== null && campaign.cooldownDays > 0) {
    const readyAt = hit.lastCampaignMessageAt + campaign.cooldownDays * dayMs;
    if (readyAt > now) {
      return excluded(hit, 'cooldown', `mailed by this campaign less than ${campaign.cooldownDays} days ago`);
    }
  }

  const offerRefusal = offerRuleRefusal(hit, campaign, shop.offers, now);
  if (offerRefusal) return excluded(hit, 'offer_rule', offerRefusal);

  state.taken.set(key, campaign.id);
  if (isHeldOut(campaign.id, key, campaign.holdoutPercent)) return { hit, outcome: 'held_out', dueAt };
  dueAt = sendTime(state, campaign, shop, hit.timezone ?? shop.timezone, dueAt);
  return note ? { hit, outcome: 'scheduled', dueAt, note } : { hit, outcome: 'scheduled', dueAt };
}

function sendTime(
  state: SelectionState,
  campaign: Campaign,
  shop: ShopSettings,
  zone: string,
  earliest: number,
): number {
  const key = `${campaign.id}\u0000${zone}\u0000${earliest}`;
  let at = state.sendTimes.get(key);
  if (at === undefined) {
    at = nextAllowedTime(earliest, zone, { window: campaign.sendWindow, quietHours: shop.quietHours });
    if (state.sendTimes.size >= maxSendTimes) state.sendTimes.clear();
    state.sendTimes.set(key, at);
  }
  return at;
}

function excluded(
  hit: Hit,
  rule: Extract<Decision, { outcome: 'excluded' }>['rule'],
  detail: string,
): Decision {
  return { hit, outcome: 'excluded', rule, detail };
}
