// Writes src/generated/campaign-files.ts from campaigns/*.yaml, so the Worker
// (no file system) carries the campaign set. Refuses to bundle an invalid set:
// the Worker would only refuse it later, at the edge. Run by `npm run build:worker`.
// Usage: tsx scripts/bundle-campaigns.ts [--check]  (--check: exit 1 when the file is stale)
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bundledCampaignsPath, renderCampaignBundle } from '../src/config/campaign-bundle.ts';
import { loadCampaigns } from '../src/config/campaign-loader.ts';
import { formatDiagnostic } from '../src/config/campaign-parse.ts';

const dir = process.env.CAMPAIGNS_DIR ?? 'campaigns';
const emailsDir = process.env.EMAILS_DIR ?? 'emails';

const loaded = await loadCampaigns({ dir, emailsDir });
if (!loaded.ok) {
  for (const error of loaded.errors) process.stderr.write(`${formatDiagnostic(error)}\n`);
  process.stderr.write(`bundle-campaigns: ${dir} is not a valid campaign set; nothing written\n`);
  process.exit(1);
}

const text = await renderCampaignBundle(dir);
const current = await readFile(bundledCampaignsPath, 'utf8').catch(() => '');
if (process.argv.includes('--check')) {
  if (current !== text) {
    process.stderr.write(`bundle-campaigns: ${bundledCampaignsPath} is stale; run npm run build:worker\n`);
    process.exit(1);
  }
} else if (current !== text) {
  await mkdir(dirname(bundledCampaignsPath), { recursive: true });
  await writeFile(bundledCampaignsPath, text);
  process.stderr.write(
    `bundle-campaigns: wrote ${bundledCampaignsPath} (${loaded.set.campaigns.length} campaigns)\n`,
  );
} else {
  process.stderr.write(`bundle-campaigns: ${bundledCampaignsPath} is up to date\n`);
}
