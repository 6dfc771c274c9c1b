// Campaign files that name other campaigns (exclude_if_messaged_by.campaigns)
// must name ones that exist: a typo would silently exclude nobody. Pure of
// node:*, so parseCampaignFiles runs it in every home, the Worker's included.

import { formatPath } from '../core/campaigns/issues.ts';
import { didYouMean } from '../core/closest-name.ts';
import type { Diagnostic, LoadedCampaign } from './campaign-checks.ts';

/**
 * One error per unknown or self-naming entry, at the entry. `ids` are the
 * ids of every campaign file in the folder, valid or not: a file with its
 * own errors still exists.
 */
export function campaignReferenceErrors(
  campaigns: readonly LoadedCampaign[],
  ids: readonly string[],
): Diagnostic[] {
  const known = new Set(ids);
  return campaigns.flatMap((loaded) =>
    (loaded.campaign.excludeIfMessagedBy?.campaigns ?? []).flatMap((name, index) => {
      const path = ['exclude_if_messaged_by', 'campaigns', index];
      const field = formatPath(path);
      let problem: string | undefined;
      if (name === loaded.id) {
        problem = `names this campaign itself; cooldown_days is what keeps a campaign from mailing a customer again too soon`;
      } else if (!known.has(name)) {
        const others = ids.filter((id) => id !== loaded.id);
        problem = `names '${name}', which is not a campaign in this folder${didYouMean(name, others)}; campaigns: ${others.join(', ') || 'none'}`;
      }
      if (!problem) return [];
      return [{ file: loaded.file, ...loaded.locate(path), field, message: `${field} ${problem}` }];
    }),
  );
}
