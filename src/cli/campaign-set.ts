// The campaign set a CLI command works with, loaded from the configured
// folders. An invalid set prints every problem (file:line:column field message)
// and what the command did not do, and the command exits 1 before it opens
// the database.
import { normalize } from 'node:path';
import { loadCampaigns } from '../config/campaign-loader.ts';
import { formatDiagnostic } from '../config/campaign-parse.ts';
import type { CampaignSet } from '../core/campaigns/types.ts';
import type { CliIO } from './io.ts';

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
