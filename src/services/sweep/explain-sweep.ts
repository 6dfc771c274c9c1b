// Why one customer did or did not get each campaign in a sweep, from the
// decisions runSweep collected for them (--explain). Says which rule decided,
// with the facts behind it (core/selection/explain-facts.ts), never prints the
// address: the customer id is what the marketer asked about.
import type { Campaign, CampaignSet } from '../../core/campaigns/types.ts';
import { decisionFacts } from '../../core/selection/explain-facts.ts';
import type { Decision } from '../../core/selection/types.ts';
import { dayMs, formatInstant, hourMs, utcDay } from '../../core/time.ts';
import { dueSendTime, matchAudienceSend } from '../../core/triggers/audience-send.ts';
import { matchBrowseAbandonment } from '../../core/triggers/browse-abandonment.ts';
import { describeInstance } from '../../core/triggers/trigger-ref.ts';
import {
  type CustomerTriggerFacts,
  findCustomerTriggerFacts,
} from '../../db/repositories/customer-trigger-facts.ts';
import type { Store } from '../../db/store.ts';
import { newArrivalsFor } from './new-arrivals-source.ts';
import { explainPriceDrop } from './price-drop-source.ts';
import { explainReplenishment } from './replenishment-source.ts';
import type { SweepResult } from './run-sweep.ts';

export interface CampaignExplanation {
  campaign_id: string;
  outcome: 'scheduled' | 'held_out' | 'excluded' | 'not_triggered' | 'skipped' | 'disabled' | 'not_swept';
  summary: string;
}

export interface CustomerExplanation {
  customer_id: string;
  campaigns: CampaignExplanation[];
}

/** Explains a sweep's decisions for one customer, with their order and cart facts for campaigns that did not fire. */
export async function explainSweep(
  store: Store,
  set: CampaignSet,
  result: SweepResult,
  customerId: string,
): Promise<CustomerExplanation> {
  const facts = await findCustomerTriggerFacts(store, customerId, result.now);
  // Triggers whose facts depend on the campaign's own settings: asked per campaign.
  const reasons = new Map<string, string>();
  for (const campaign of set.campaigns) {
    if (campaign.trigger.type === 'replenishment') {
      reasons.set(campaign.id, await explainReplenishment(store, campaign.trigger, customerId, result.now));
      continue;
    }
    if (campaign.trigger.type === 'price_drop') {
      reasons.set(campaign.id, await explainPriceDrop(store, campaign, set.settings, customerId, result.now));
      continue;
    }
    if (campaign.trigger.type !== 'new_arrivals') continue;
    const outcome = await newArrivalsFor(store, campaign, set.settings, customerId, result.now);
    reasons.set(
      campaign.id,
      outcome === null
        ? `nothing new in the last ${campaign.trigger.days} days in a category the customer bought from or browsed`
        : outcome.match
          ? 'new arrivals for them, but the customer has no address'
          : outcome.reason,
    );
  }
  return explainCustomer(set, result, customerId, { ...facts, campaignReasons: reasons });
}

/** The customer's facts, and for triggers that read per campaign, the rule's reason by campaign id. */
export type ExplainFacts = CustomerTriggerFacts & { campaignReasons?: ReadonlyMap<string, string> };

export function explainCustomer(
  set: CampaignSet,
  result: SweepResult,
  customerId: string,
  facts?: ExplainFacts,
): CustomerExplanation {
  const swept = new Set(result.campaigns.map((r) => r.campaignId));
  const lines: CampaignExplanation[] = result.campaigns.map((report) => {
    const decisions = result.explanations.filter((d) => d.hit.campaignId === report.campaignId);
    const campaign_id = report.campaignId;
    if (decisions.length > 0) {
      const best = decisions.find((d) => d.outcome !== 'excluded') ?? decisions[0]!;
      const campaign = set.campaigns.find((c) => c.id === campaign_id);
      const summary = decisions
        .map((d) => {
          const facts = campaign ? decisionFacts(d.hit, campaign, set.settings, result.now) : [];
          return `${describe(d, result.now)}${facts.length ? `. Facts: ${facts.join('; ')}` : ''}`;
        })
        .join(' | ');
      return { campaign_id, outcome: best.outcome, summary };
    }
    if (report.skipped.alreadyMessaged > 0)
      return { campaign_id, outcome: 'skipped', summary: 'already messaged for this trigger instance' };
    if (report.skipped.noEmail > 0)
      return { campaign_id, outcome: 'skipped', summary: 'the trigger fires, but there is no email address' };
    const campaign = set.campaigns.find((c) => c.id === campaign_id);
    const why = campaign && facts ? notFiredFacts(campaign, facts, result.now) : undefined;
    return {
      campaign_id,
      outcome: 'not_triggered',
      summary: `the trigger does not fire for this customer now${why ? `: ${why}` : ''}`,
    };
  });
  for (const campaign of set.campaigns) {
    if (swept.has(campaign.id)) continue;
    lines.push(
      campaign.enabled
        ? {
            campaign_id: campaign.id,
            outcome: 'not_swept',
            summary: 'not part of this sweep (--campaign/--only)',
          }
        : { campaign_id: campaign.id, outcome: 'disabled', summary: 'disabled (enabled: false)' },
    );
  }
  return { customer_id: customerId, campaigns: lines };
}

function describe(decision: Decision, now: number): string {
  const { hit } = decision;
  const what = `step ${hit.step + 1}, ${describeInstance(hit.instance, now)}`;
  switch (decision.outcome) {
    case 'scheduled':
      return `scheduled (${what}) for ${formatInstant(decision.dueAt)}${decision.note ? `, ${decision.note}` : ''}`;
    case 'held_out':
      return `held out as the control group (${what}); recorded, not sent`;
    case 'excluded':
      return `excluded by ${decision.rule} (${what}): ${decision.detail}`;
  }
}

/** Why a trigger did not fire, in the customer's figures against the campaign's. */
function notFiredFacts(campaign: Campaign, facts: ExplainFacts, now: number): string | undefined {
  if (!facts.known) return 'no customer with this id';
  const trigger = campaign.trigger;
  switch (trigger.type) {
    case 'dormant': {
      const wants = `the trigger wants ${trigger.days}${trigger.maxDays === null ? '+' : ` to ${trigger.maxDays}`} days since the last purchase and at least ${trigger.minOrders} paid order${trigger.minOrders === 1 ? '' : 's'}${trigger.cadenceFactor === null ? '' : `, idle over ${trigger.cadenceFactor}x their usual gap`}`;
      if (facts.lastPurchaseAt === null) return `no paid orders; ${wants}`;
      const days = Math.floor((now - facts.lastPurchaseAt) / dayMs);
      return `last purchase ${utcDay(facts.lastPurchaseAt)}, ${days} days ago, ${facts.paidOrders} paid order${facts.paidOrders === 1 ? '' : 's'}; ${wants}`;
    }
    case 'abandoned_cart': {
      const first = campaign.steps[0]?.delayHours ?? 0;
      if (facts.openCarts === 0 || facts.lastCartActivityAt === null) return 'no open cart';
      const idle = (now - facts.lastCartActivityAt) / hourMs;
      return `${facts.openCarts} open cart(s), last active ${idle.toFixed(1)} h ago; the first reminder waits ${first} h (an empty cart, an order since or a cart under min_cart_value never fires)`;
    }
    case 'back_in_stock':
      return 'no waitlist sign-up or open cart for a product that came back in stock since';
    case 'audience': {
      const sendTime = dueSendTime(trigger, now);
      if (sendTime === null)
        return `no send due: the latest send_at is not within catch_up_hours (${trigger.catchUpHours}) before ${formatInstant(now)}`;
      const outcome = matchAudienceSend(trigger, { lastPurchaseAt: facts.lastPurchaseAt }, sendTime);
      return outcome.match ? 'in the send, but the customer has no address' : outcome.reason;
    }
    case 'browse_abandonment': {
      const outcome = matchBrowseAbandonment(trigger, facts.browse, now);
      const wants = `the trigger wants a latest product view ${trigger.hours} to ${trigger.maxHours} h ago with no cart or paid order since, the product in stock`;
      return outcome.match
        ? `${wants}; it fired, but the customer has no address`
        : `${outcome.reason}; ${wants}`;
    }
    case 'new_arrivals':
      return facts.campaignReasons?.get(campaign.id);
    case 'price_drop':
      return facts.campaignReasons?.get(campaign.id);
    case 'replenishment':
      return facts.campaignReasons?.get(campaign.id);
  }
}
