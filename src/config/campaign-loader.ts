// Reads the campaigns folder (every *.yaml / *.yml, with settings.yaml as the
// shop settings) and validates it as one set: YAML syntax, the campaign and
// settings schemas, then cross-file checks. Every problem names file, line,
// column and field. Never throws for bad user input: it returns them.
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { z } from 'zod';
import { campaignIdProblem, campaignSchema, compareIds } from '../core/campaigns/campaign.ts';
import { describeSchemaIssues } from '../core/campaigns/issues.ts';
import { settingsFileId, settingsSchema } from '../core/campaigns/settings.ts';
import type { CampaignSet, ShopSettings } from '../core/campaigns/types.ts';
import {
  byPosition,
  type CampaignCheck,
  type Diagnostic,
  defaultChecks,
  type LoadedCampaign,
} from './campaign-checks.ts';
import { parseYaml, type YamlSource } from './yaml-source.ts';

export type { CampaignCheck, Diagnostic, LoadedCampaign };

export type LoadResult =
  | { ok: true; set: CampaignSet; campaigns: LoadedCampaign[]; warnings: Diagnostic[] }
  /** `campaigns` holds the files that did validate, for reporting. */
  | { ok: false; errors: Diagnostic[]; campaigns: LoadedCampaign[]; warnings: Diagnostic[] };

export interface LoadOptions {
  dir: string;
  emailsDir: string;
  /** Cross-file checks; defaults to `defaultChecks`. */
  checks?: readonly CampaignCheck[];
}

const yamlExtensions = new Set(['.yaml', '.yml']);

export async function loadCampaigns(options: LoadOptions): Promise<LoadResult> {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const report = (file: string, message: string, position = { line: 1, column: 1 }, field = '') =>
    errors.push({ file, ...position, field, message });

  const names = await listYamlFiles(options.dir);
  if (typeof names === 'string') {
    report(options.dir, names);
    return { ok: false, errors, campaigns: [], warnings };
  }

  const byId = new Map<string, string>();
  const settingsFiles: string[] = [];
  const campaignFiles: { id: string; file: string }[] = [];
  for (const name of names) {
    const id = name.slice(0, -extname(name).length);
    const file = join(options.dir, name);
    const first = byId.get(id);
    if (first) {
      report(
        file,
        `duplicate ${id === settingsFileId ? 'settings file' : `campaign id '${id}'`}: ${first} already defines it`,
      );
      continue;
    }
    byId.set(id, file);
    if (id === settingsFileId) settingsFiles.push(file);
    else campaignFiles.push({ id, file });
  }

  const settingsFile = settingsFiles[0] ?? join(options.dir, `${settingsFileId}.yaml`);
  let settings: ShopSettings | null = null;
  let currency = 'XXX';
  if (settingsFiles.length === 0) {
    report(
      settingsFile,
      'the shop settings file is missing: create it with brand, sender, postal_address, timezone and currency (see rekindle validate --reference)',
    );
  } else {
    const source = await readSource(settingsFile, errors, warnings);
    const parsed =
      source &&
      validate(
        source,
        settingsFile,
        settingsSchema,
        errors,
        'brand, sender, postal_address, timezone and currency',
      );
    if (parsed) settings = parsed;
    currency = parsed?.currency ?? guessCurrency(source?.data) ?? currency;
  }

  const campaigns: LoadedCampaign[] = [];
  campaignFiles.sort((a, b) => compareIds(a.id, b.id));
  for (const { id, file } of campaignFiles) {
    const idProblem = campaignIdProblem(id);
    if (idProblem) report(file, idProblem);
    const source = await readSource(file, errors, warnings);
    const parsed =
      source && validate(source, file, campaignSchema(currency), errors, 'name, trigger and email');
    if (parsed && !idProblem)
      campaigns.push({ id, file, campaign: { id, ...parsed }, locate: source.locate });
  }

  for (const check of options.checks ?? defaultChecks) {
    for (const finding of await check({ campaigns, settings, settingsFile, emailsDir: options.emailsDir })) {
      const { severity, ...diagnostic } = finding;
      (severity === 'error' ? errors : warnings).push(diagnostic);
    }
  }

  const failedFiles = new Set(errors.map((error) => error.file));
  const valid = campaigns.filter((loaded) => !failedFiles.has(loaded.file));
  warnings.sort(byPosition);
  if (errors.length > 0 || !settings)
    return { ok: false, errors: errors.sort(byPosition), campaigns: valid, warnings };
  return {
    ok: true,
    set: { settings, campaigns: valid.map((loaded) => loaded.campaign) },
    campaigns: valid,
    warnings,
  };
}

/** The directory's YAML file names, sorted; or why they cannot be listed. */
async function listYamlFiles(dir: string): Promise<string[] | string> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && yamlExtensions.has(extname(entry.name).toLowerCase()))
      .map((entry) => entry.name)
      .sort(compareIds);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `campaigns folder not found: '${dir}'`;
    if (code === 'ENOTDIR') return `'${dir}' is a file, not a campaigns folder`;
    return `cannot read the campaigns folder '${dir}': ${(error as Error).message}`;
  }
}

async function readSource(
  file: string,
  errors: Diagnostic[],
  warnings: Diagnostic[],
): Promise<YamlSource | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    errors.push({
      file,
      line: 1,
      column: 1,
      field: '',
      message: `cannot read the file: ${(error as Error).message}`,
    });
    return null;
  }
  const source = parseYaml(text);
  for (const { message, ...at } of source.errors) {
    errors.push({ file, ...at, field: '', message: `YAML syntax error: ${message}` });
  }
  for (const { message, ...at } of source.warnings)
    warnings.push({ file, ...at, field: '', message: `YAML: ${message}` });
  return source.errors.length > 0 ? null : source;
}

function validate<T>(
  source: YamlSource,
  file: string,
  schema: z.ZodType<T>,
  errors: Diagnostic[],
  expectedFields: string,
): T | null {
  if (source.empty) {
    errors.push({
      file,
      line: 1,
      column: 1,
      field: '',
      message: `the file is empty: expected a mapping with ${expectedFields}`,
    });
    return null;
  }
  const result = schema.safeParse(source.data);
  if (result.success) return result.data;
  for (const finding of describeSchemaIssues(result.error.issues)) {
    errors.push({
      file,
      ...source.locate(finding.path, finding.at),
      field: finding.field,
      message: finding.message,
    });
  }
  return null;
}

// With a broken settings file, campaign amounts are still checked against the
// currency it names, so fixing the settings does not reveal new errors.
function guessCurrency(data: unknown): string | undefined {
  const value = (data as { currency?: unknown } | null | undefined)?.currency;
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value) ? value : undefined;
}
