// The Worker's campaign set: the YAML texts bundled into
// src/generated/campaign-files.ts by `npm run build:worker`, parsed with the
// same pure parser the Node loader uses. The template checks need the emails
// folder, which only exists where the bundle was built, so they run there
// (bundle-campaigns refuses an invalid set). Must never import node:*.
import type { CampaignSetLoad } from '../core/campaigns/set-source.ts';
import { parseCampaignFiles } from './campaign-parse.ts';

export const bundledCampaignsLabel = 'campaigns/ (bundled)';

export async function parseBundledCampaigns(
  files: Readonly<Record<string, string>>,
): Promise<CampaignSetLoad> {
  const result = await parseCampaignFiles({
    files: Object.entries(files).map(([name, text]) => ({ name, text })),
    pathOf: (name) => `campaigns/${name}`,
    emailsDir: 'emails',
  });
  return result.ok ? { ok: true, set: result.set } : { ok: false, errors: result.errors };
}
