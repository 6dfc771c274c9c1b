// The Node home's campaign set: the campaigns folder (and the emails folder its
// templates must exist in), read with loadCampaigns and fingerprinted by file
// names, sizes and modification times so a scheduled reload is cheap when
// nothing changed. Reads files only; holding the set is the registry's job.
import { readdir, stat } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import type { CampaignSetSource } from '../core/campaigns/set-source.ts';
import { loadCampaigns } from './campaign-loader.ts';

export interface CampaignFolders {
  dir: string;
  emailsDir: string;
}

export function campaignFolderSource(folders: CampaignFolders): CampaignSetSource {
  const dir = normalize(folders.dir);
  const emailsDir = normalize(folders.emailsDir);
  return {
    label: dir,
    async load() {
      const result = await loadCampaigns({ dir, emailsDir });
      return result.ok ? { ok: true, set: result.set } : { ok: false, errors: result.errors };
    },
    async fingerprint() {
      return `${await folderPrint(dir)}|${await folderPrint(emailsDir)}`;
    },
  };
}

async function folderPrint(dir: string): Promise<string> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    return `missing:${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  }
  const parts: string[] = [];
  for (const name of names) {
    try {
      const info = await stat(join(dir, name));
      parts.push(`${name}:${info.size}:${info.mtimeMs}`);
    } catch {
      parts.push(`${name}:gone`);
    }
  }
  return parts.join(',');
}
