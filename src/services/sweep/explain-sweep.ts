// Why one customer did or did not get each campaign in a sweep, from the
// decisions runSweep collected for them (--explain). Says which rule decided,
// never prints the address: the customer id is what the marketer asked about.
import type { CampaignSet } from '../../core/campaigns/types.ts';
import type { Decision } from '../../core/selection/types.ts';
import { formatInstant } from '../../core/time.ts';
import { describeInstance } from '../../core/triggers/trigger-ref.ts';
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

export function explainCustomer(
  set: CampaignSet,
  result: SweepResult,
  customerId: string,
): CustomerExplanation {
  const swept = new Set(result.campaigns.map((r) => r.campaignId));
  const lines: CampaignExplanation[] = result.campaigns.map((report) => {
    const decisions = result.explanations.filter((d) => d.hit.campaignId === report.campaignId);
    const campaign_id = report.campaignId;
    if (decisions.length > 0) {
      const best = decisions.find((d) => d.outcome !== 'excluded') ?? decisions[0]!;
      const summary = decisions.map((d) => describe(d, result.now)).join('; ');
      return { campaign_id, outcome: best.outcome, summary };
    }
    if (report.skipped.alreadyMessaged > 0)
      return { campaign_id, outcome: 'skipped', summary: 'already messaged for this trigger instance' };
    if (report.skipped.noEmail > 0)
      return { campaign_id, outcome: 'skipped', summary: 'the trigger fires, but there is no email address' };
    return {
      campaign_id,
      outcome: 'not_triggered',
      summary: 'the trigger does not fire for this customer now',
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
