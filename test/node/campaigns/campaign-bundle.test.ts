import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBundledCampaigns } from '../../../src/config/bundled-campaigns.ts';
import { bundledCampaignsPath, renderCampaignBundle } from '../../../src/config/campaign-bundle.ts';
import { loadCampaigns } from '../../../src/config/campaign-loader.ts';
import { campaignFiles } from '../../../src/generated/campaign-files.ts';
import { sweepJobForCron, workerCronJobs } from '../../../src/services/sweep/sweep-jobs.ts';

describe('bundled campaigns for the Worker', () => {
  it('is built from campaigns/ and is not in git, so a campaign edit leaves the tree clean', async () => {
    expect(await readFile(bundledCampaignsPath, 'utf8')).toBe(await renderCampaignBundle('campaigns'));
    for (const file of [bundledCampaignsPath, 'src/generated/email-templates.ts']) {
      // Exit 0: git ignores the path; and git tracks nothing under src/generated.
      expect(() => execFileSync('git', ['check-ignore', '-q', file])).not.toThrow();
    }
    expect(execFileSync('git', ['ls-files', 'src/generated'], { encoding: 'utf8' })).toBe('');
  });

  it('parses, without the file system, to the same set the Node loader reads', async () => {
    const bundled = await parseBundledCampaigns(campaignFiles);
    const loaded = await loadCampaigns({ dir: 'campaigns', emailsDir: 'emails' });
    if (!bundled.ok || !loaded.ok) throw new Error('the shipped campaigns must be valid');
    expect(bundled.set).toEqual(loaded.set);
  });

  it('reports problems in the bundle with the file, line and field', async () => {
    const broken = await parseBundledCampaigns({
      ...campaignFiles,
      'winback.yaml': campaignFiles['winback.yaml']!.replace('days: 90', 'days: ninety'),
    });
    expect(broken.ok).toBe(false);
    if (!broken.ok)
      expect(broken.errors[0]).toMatchObject({
        file: 'campaigns/winback.yaml',
        line: 3,
        field: 'trigger.days',
      });
  });

  it('keeps backticks, ${ and backslashes intact', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rekindle-bundle-'));
    try {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ is what the bundle must escape
      const text = 'name: "a `b` ${c} \\\\ d"\n';
      await writeFile(join(dir, 'odd.yaml'), text);
      await writeFile(join(dir, 'module.ts'), await renderCampaignBundle(dir));
      const module = (await import(join(dir, 'module.ts'))) as { campaignFiles: Record<string, string> };
      expect(module.campaignFiles).toEqual({ 'odd.yaml': text });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("wrangler.toml's Cron Triggers are the ones the Worker maps to sweeps", async () => {
    const toml = await readFile('wrangler.toml', 'utf8');
    const crons = JSON.parse(/^crons\s*=\s*(\[.*\])$/m.exec(toml)?.[1] ?? '[]') as string[];
    expect(crons.sort()).toEqual(Object.keys(workerCronJobs).sort());
    const bundled = await parseBundledCampaigns(campaignFiles);
    if (!bundled.ok) throw new Error('the shipped campaigns must be valid');
    expect(sweepJobForCron('0 3 * * *', bundled.set.settings)).toBe('dormant');
    expect(sweepJobForCron('*/5 * * * *', bundled.set.settings)).toBe('cart_stock');
    expect(sweepJobForCron('0 4 * * *', bundled.set.settings)).toBeUndefined();
  });
});
