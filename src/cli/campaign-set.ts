// The campaign set a CLI command works with, loaded from the configured
// folders. An invalid set prints every problem (file:line:column field message)
// and what the command did not do, and the command exits 1 before it opens
// the database.
import { normalize } from 'node:path';
import { loadCampaigns } from '../config/campaign-loader.ts';
import { formatDiagnostic } from '../config/campaign-parse.ts';
import type { Campaign, CampaignSet, CampaignStep } from '../core/campaigns/types.ts';
import { type CliIO, UsageError } from './io.ts';

export async function loadCampaignSetFor(io: CliIO, consequence: string): Promise<CampaignSet | null> {
  const loaded = await loadCampaigns({
    dir: normalize(io.config.CAMPAIGNS_DIR),
    emailsDir: normalize(io.config.EMAILS_DIR),
  });
  if (loaded.ok) return loaded.set;
  for (const error of loaded.errors) io.stderr.write(`${formatDiagnostic(error)}\n`);
  io.stderr.write(
    `rekindle: the campaign set is invalid (${loaded.errors.length} error(s)); ${consequence}. Run rekindle validate.\n`,
  );
  return null;
}

/** The campaign a command names and its step (an index from parseStepNumber), or a usage error naming what is known. */
export function findCampaignStep(
  set: CampaignSet,
  campaignId: string,
  index: number,
): { campaign: Campaign; step: CampaignStep } {
  const campaign = set.campaigns.find((c) => c.id === campaignId);
  if (!campaign) {
    const known = set.campaigns.map((c) => c.id).join(', ') || 'none';
    throw new UsageError(`no campaign '${campaignId}' (known: ${known})`);
  }
  const step = campaign.steps[index];
  if (!step) {
    const count = campaign.steps.length;
    throw new UsageError(
      `campaign '${campaign.id}' has ${count === 1 ? 'one step (--step 1)' : `steps 1-${count}`}, not ${index + 1}`,
    );
  }
  return { campaign, step };
}
