import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { campaignFolderSource } from '../../../src/config/campaign-set-source.ts';
import type { CampaignSetLoad, CampaignSetSource } from '../../../src/core/campaigns/set-source.ts';
import { CampaignSetError, openCampaignRegistry } from '../../../src/services/campaigns/campaign-registry.ts';
import { dormantCampaign, shopSettings } from '../support/campaign-fixtures.ts';

const valid = (ids: string[]): CampaignSetLoad => ({
  ok: true,
  set: { settings: shopSettings(), campaigns: ids.map((id) => dormantCampaign({ id })) },
});
const invalid: CampaignSetLoad = {
  ok: false,
  errors: [
    {
      file: 'campaigns/winback.yaml',
      line: 2,
      column: 9,
      field: 'trigger.days',
      message: "trigger.days must be a whole number of days >= 1, got 'ninety'",
    },
  ],
};

function fakeSource(loads: CampaignSetLoad[]) {
  let print = 'v1';
  let loaded = 0;
  const source: CampaignSetSource = {
    label: 'campaigns',
    async load() {
      return loads[Math.min(loaded++, loads.length - 1)]!;
    },
    async fingerprint() {
      return print;
    },
  };
  return {
    source,
    touch: (next: string) => {
      print = next;
    },
    loads: () => loaded,
  };
}

describe('campaign registry', () => {
  it('refuses to start on an invalid set, listing every problem', async () => {
    const { source } = fakeSource([invalid]);
    const opening = openCampaignRegistry(source, () => {});
    await expect(opening).rejects.toThrow(CampaignSetError);
    await expect(opening).rejects.toThrow(
      "the campaign set in campaigns is invalid (1 problem):\n  campaigns/winback.yaml:2:9 trigger.days must be a whole number of days >= 1, got 'ninety'",
    );
  });

  it('on a broken reload keeps the last valid set and reports the error; a fixed one is taken', async () => {
    const reports: string[] = [];
    const { source } = fakeSource([valid(['a']), invalid, valid(['a', 'b'])]);
    const registry = await openCampaignRegistry(source, (m) => reports.push(m));
    expect(registry.current().campaigns.map((c) => c.id)).toEqual(['a']);

    const broken = await registry.reload();
    expect(broken.status).toBe('kept');
    expect(registry.current().campaigns.map((c) => c.id)).toEqual(['a']);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain('campaigns/winback.yaml:2:9 trigger.days');
    expect(reports[0]).toContain('keeping the last valid campaign set (1 campaigns)');

    expect((await registry.reload()).status).toBe('loaded');
    expect(registry.current().campaigns.map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('reloadIfChanged loads only when the fingerprint moved, and reports a broken change once', async () => {
    const reports: string[] = [];
    const fake = fakeSource([valid(['a']), invalid]);
    const registry = await openCampaignRegistry(fake.source, (m) => reports.push(m));
    expect((await registry.reloadIfChanged()).status).toBe('unchanged');
    expect(fake.loads()).toBe(1);
    fake.touch('v2');
    expect((await registry.reloadIfChanged()).status).toBe('kept');
    expect((await registry.reloadIfChanged()).status).toBe('unchanged');
    expect(reports).toHaveLength(1);
    expect(registry.current().campaigns.map((c) => c.id)).toEqual(['a']);
  });
});

describe('campaign folder source', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rekindle-campaigns-'));
    await cp('campaigns', join(dir, 'campaigns'), { recursive: true });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('loads the folder and notices an edited file', async () => {
    const source = campaignFolderSource({ dir: join(dir, 'campaigns'), emailsDir: 'emails' });
    const load = await source.load();
    expect(load.ok && load.set.campaigns.map((c) => c.id)).toEqual([
      'abandoned-cart',
      'back-in-stock',
      'browse-abandonment',
      'early-access',
      'new-arrivals',
      'price-drop',
      'replenishment',
      'winback',
    ]);
    const before = await source.fingerprint();
    expect(await source.fingerprint()).toBe(before);
    const file = join(dir, 'campaigns', 'winback.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('days: 90', 'days: ninety'));
    expect(await source.fingerprint()).not.toBe(before);
    const broken = await source.load();
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.errors[0]).toMatchObject({ file, field: 'trigger.days' });
  });
});
