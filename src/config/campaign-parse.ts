// Turns the texts of a campaigns folder (every *.yaml / *.yml, settings.yaml
// as the shop settings) into one validated CampaignSet: YAML syntax, the
// campaign and settings schemas, the names campaigns give each other, then
// cross-file checks. Every problem names file, line, column and field. Pure
// of node:*: the Node loader reads the folder and calls this; the Worker calls
// it on the bundled texts. It must never read files itself, and never throws
// for bad user input.
import type { z } from 'zod';
import { campaignIdProblem, campaignSchema, compareIds } from '../core/campaigns/campaign.ts';
import { describeSchemaIssues } from '../core/campaigns/issues.ts';
import { settingsFileId, settingsSchema } from '../core/campaigns/settings.ts';
import type { CampaignSet, ShopSettings } from '../core/campaigns/types.ts';
// Types only: campaign-checks.ts reads the emails folder, so its values stay out of this module.
import type { CampaignCheck, Diagnostic, LoadedCampaign } from './campaign-checks.ts';
import { campaignReferenceErrors } from './campaign-references.ts';
import { parseYaml, type YamlSource } from './yaml-source.ts';

export type LoadResult =
  | { ok: true; set: CampaignSet; campaigns: LoadedCampaign[]; warnings: Diagnostic[] }
  /** `campaigns` holds the files that did validate, for reporting. */
  | { ok: false; errors: Diagnostic[]; campaigns: LoadedCampaign[]; warnings: Diagnostic[] };

export interface CampaignFileText {
  /** File name inside the folder, e.g. 'winback.yaml'. */
  name: string;
  /** null when the file could not be read (the reader reports why). */
  text: string | null;
}

export interface ParseOptions {
  /** The folder's YAML files, in any order. */
  files: readonly CampaignFileText[];
  /** How a file name is shown in diagnostics (the loader joins it to the folder). */
  pathOf(name: string): string;
  /** Problems found before parsing (unreadable files), merged into the result. */
  readErrors?: readonly Diagnostic[];
  emailsDir: string;
  /** Cross-file checks; none by default, since the standard ones need the file system. */
  checks?: readonly CampaignCheck[];
}

export const yamlExtensions = ['.yaml', '.yml'] as const;

/** The name without its YAML extension, or undefined for a file that is not YAML. */
export function yamlFileId(name: string): string | undefined {
  const lower = name.toLowerCase();
  const extension = yamlExtensions.find((ext) => lower.endsWith(ext));
  return extension ? name.slice(0, -extension.length) : undefined;
}

/** Diagnostics in reading order: by file, then line, then column. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return compareIds(a.file, b.file) || a.line - b.line || a.column - b.column;
}

/** One diagnostic as one line, the way `rekindle validate` prints it. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column} ${d.message}`;
}

export async function parseCampaignFiles(options: ParseOptions): Promise<LoadResult> {
  const errors: Diagnostic[] = [...(options.readErrors ?? [])];
  const warnings: Diagnostic[] = [];
  const report = (file: string, message: string, position = { line: 1, column: 1 }, field = '') =>
    errors.push({ file, ...position, field, message });

  const byId = new Map<string, string>();
  const settingsFiles: { file: string; text: string | null }[] = [];
  const campaignFiles: { id: string; file: string; text: string | null }[] = [];
  const sorted = [...options.files].sort((a, b) => compareIds(a.name, b.name));
  for (const { name, text } of sorted) {
    const id = yamlFileId(name);
    if (id === undefined) continue;
    const file = options.pathOf(name);
    const first = byId.get(id);
    if (first) {
      report(
        file,
        `duplicate ${id === settingsFileId ? 'settings file' : `campaign id '${id}'`}: ${first} already defines it`,
      );
      continue;
    }
    byId.set(id, file);
    if (id === settingsFileId) settingsFiles.push({ file, text });
    else campaignFiles.push({ id, file, text });
  }

  const settingsFile = settingsFiles[0]?.file ?? options.pathOf(`${settingsFileId}.yaml`);
  let settings: ShopSettings | null = null;
  let currency = 'XXX';
  if (settingsFiles.length === 0) {
    report(
      settingsFile,
      'the shop settings file is missing: create it with brand, sender, postal_address, timezone and currency (see rekindle validate --reference)',
    );
  } else {
    const source = readSource(settingsFiles[0]!, errors, warnings);
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
  for (const entry of campaignFiles) {
    const { id, file } = entry;
    const idProblem = campaignIdProblem(id);
    if (idProblem) report(file, idProblem);
    const source = readSource(entry, errors, warnings);
    const parsed =
      source && validate(source, file, campaignSchema(currency), errors, 'name, trigger and email');
    if (parsed && !idProblem)
      campaigns.push({ id, file, campaign: { id, ...parsed }, locate: source.locate });
  }

  errors.push(
    ...campaignReferenceErrors(
      campaigns,
      campaignFiles.map((entry) => entry.id),
    ),
  );
  const failedIds = new Set<string>();
  for (const check of options.checks ?? []) {
    for (const finding of await check({ campaigns, settings, settingsFile, emailsDir: options.emailsDir })) {
      const { severity, campaigns: failing, ...diagnostic } = finding;
      (severity === 'error' ? errors : warnings).push(diagnostic);
      if (severity === 'error') for (const id of failing ?? []) failedIds.add(id);
    }
  }

  const failedFiles = new Set(errors.map((error) => error.file));
  const valid = campaigns.filter((loaded) => !failedFiles.has(loaded.file) && !failedIds.has(loaded.id));
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

function readSource(
  entry: { file: string; text: string | null },
  errors: Diagnostic[],
  warnings: Diagnostic[],
): YamlSource | null {
  if (entry.text === null) return null;
  const { file } = entry;
  const source = parseYaml(entry.text);
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
