// A campaign's exclude_if_messaged_by: it leaves out customers whom the named
// campaigns messaged (a live message: sent, sending, scheduled or ambiguous)
// due within its days before the sweep, or later. Pure: the sweep's SQL finds
// the latest such message, and `messagedByFact` says which one it must find.
import type { Campaign } from '../campaigns/types.ts';
import { dayMs, daysAgo, utcDay } from '../time.ts';
import { latest, type PastMessage } from './offer-rule.ts';
import { type Hit, liveMessageStatuses, type MessageFact } from './types.ts';

/** The campaigns and the start of the window to look at; null when the campaign has no such rule. */
export interface MessagedByNeeds {
  campaigns: readonly string[];
  since: number;
}

export function messagedByNeeds(campaign: Campaign, now: number): MessagedByNeeds | null {
  const rule = campaign.excludeIfMessagedBy;
  return rule ? { campaigns: rule.campaigns, since: now - rule.withinDays * dayMs } : null;
}

/** Why the campaign's exclusion refuses the hit, or undefined when it lets it through. */
export function messagedByRefusal(hit: Hit, campaign: Campaign, now: number): string | undefined {
  const rule = campaign.excludeIfMessagedBy;
  const last = hit.messagedBy;
  if (!rule || !last || !rule.campaigns.includes(last.campaignId)) return undefined;
  if (last.dueAt <= now - rule.withinDays * dayMs) return undefined;
  return `${messaged(last, now)} (exclude_if_messaged_by within ${rule.withinDays} days)`;
}

/** The exclusion's fact in words, for --explain whatever the outcome; none without the rule. */
export function messagedByFacts(hit: Hit, campaign: Campaign, now: number): string[] {
  const rule = campaign.excludeIfMessagedBy;
  if (!rule || hit.messagedBy === undefined) return [];
  if (hit.messagedBy) return [messaged(hit.messagedBy, now)];
  return [`not messaged by ${rule.campaigns.join(', ')} in the last ${rule.withinDays} days`];
}

function messaged(last: MessageFact, now: number): string {
  return last.dueAt <= now
    ? `messaged by ${last.campaignId} ${daysAgo(last.dueAt, now)}`
    : `a message from ${last.campaignId} is scheduled for ${utcDay(last.dueAt)}`;
}

const live = new Set<string>(liveMessageStatuses);

/** The fact the sweep's SQL must find in a customer's messages: the latest live one of the named campaigns in the window. */
export function messagedByFact(history: readonly PastMessage[], needs: MessagedByNeeds): MessageFact | null {
  return latest(
    history
      .filter((m) => live.has(m.status) && needs.campaigns.includes(m.campaignId) && m.dueAt > needs.since)
      .map((m) => ({ campaignId: m.campaignId, dueAt: m.dueAt })),
    (fact) => fact.dueAt,
  );
}
