// Reads the campaigns folder (every *.yaml / *.yml, with settings.yaml as the
// shop settings) and validates it as one set with parseCampaignFiles: YAML
// syntax, the campaign and settings schemas, then cross-file checks. Every
// problem names file, line, column and field. Never throws for bad user input:
// it returns them. The reading lives here; the parsing is pure, so the Worker
// can run it on bundled texts.
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { compareIds } from '../core/campaigns/campaign.ts';
import {
  type CampaignCheck,
  type Diagnostic,
  defaultChecks,
  type LoadedCampaign,
} from './campaign-checks.ts';
import {
  type CampaignFileText,
  type LoadResult,
  parseCampaignFiles,
  yamlExtensions,
} from './campaign-parse.ts';

export type { CampaignCheck, Diagnostic, LoadedCampaign, LoadResult };

export interface LoadOptions {
  dir: string;
  emailsDir: string;
  /** Cross-file checks; defaults to `defaultChecks`. */
  checks?: readonly CampaignCheck[];
}

const extensions = new Set<string>(yamlExtensions);

export async function loadCampaigns(options: LoadOptions): Promise<LoadResult> {
  const names = await listYamlFiles(options.dir);
  if (typeof names === 'string') {
    const errors = [{ file: options.dir, line: 1, column: 1, field: '', message: names }];
    return { ok: false, errors, campaigns: [], warnings: [] };
  }
  const { files, readErrors } = await readCampaignFiles(options.dir, names);
  return parseCampaignFiles({
    files,
    readErrors,
    pathOf: (name) => join(options.dir, name),
    emailsDir: options.emailsDir,
    checks: options.checks ?? defaultChecks,
  });
}

/** The folder's YAML files with their texts; an unreadable file is an error, not a throw. */
export async function readCampaignFiles(
  dir: string,
  names: readonly string[],
): Promise<{ files: CampaignFileText[]; readErrors: Diagnostic[] }> {
  const files: CampaignFileText[] = [];
  const readErrors: Diagnostic[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      files.push({ name, text: await readFile(file, 'utf8') });
    } catch (error) {
      files.push({ name, text: null });
      readErrors.push({
        file,
        line: 1,
        column: 1,
        field: '',
        message: `cannot read the file: ${(error as Error).message}`,
      });
    }
  }
  return { files, readErrors };
}

/** The directory's YAML file names, sorted; or why they cannot be listed. */
export async function listYamlFiles(dir: string): Promise<string[] | string> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && extensions.has(extname(entry.name).toLowerCase()))
      .map((entry) => entry.name)
      .sort(compareIds);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `campaigns folder not found: '${dir}'`;
    if (code === 'ENOTDIR') return `'${dir}' is a file, not a campaigns folder`;
    return `cannot read the campaigns folder '${dir}': ${(error as Error).message}`;
  }
}
