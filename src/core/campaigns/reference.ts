// Renders the campaign and settings schemas as a markdown reference, from the
// same `.describe()` texts and `allowed` metadata that validation uses, so the
// docs cannot drift from what `rekindle validate` accepts. Pure.
import { z } from 'zod';
import { campaignIdPattern, campaignInput } from './campaign.ts';
import { settingsInput } from './settings.ts';

interface JsonNode {
  type?: string;
  properties?: Record<string, JsonNode>;
  required?: string[];
  items?: JsonNode;
  oneOf?: JsonNode[];
  anyOf?: JsonNode[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  allowed?: string;
}

interface Table {
  title: string;
  rows: string[];
}

export function campaignReference(): string {
  return [
    '## Campaign files: `campaigns/<id>.yaml`',
    '',
    `One campaign per file; the id is the file name without extension and must match \`${campaignIdPattern.source}\`.`,
    'Unknown fields are errors. Amounts are decimals in the shop currency (settings `currency`).',
    '',
    ...renderTables(toJson(campaignInput)),
    `## Shop settings: \`campaigns/settings.yaml\``,
    '',
    'One file with the shop-wide settings; `settings` is a reserved name, not a campaign.',
    '',
    ...renderTables(toJson(settingsInput)),
  ]
    .join('\n')
    .trimEnd()
    .concat('\n');
}

function toJson(schema: z.ZodType): JsonNode {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonNode;
}

function renderTables(root: JsonNode): string[] {
  const tables: Table[] = [{ title: '', rows: [] }];
  collect(root, '', tables[0]!, tables);
  return tables.flatMap((table) => [
    ...(table.title ? [`### ${table.title}`, ''] : []),
    '| field | allowed | default | meaning |',
    '| --- | --- | --- | --- |',
    ...table.rows,
    '',
  ]);
}

function collect(node: JsonNode, prefix: string, table: Table, tables: Table[]): void {
  const required = new Set(node.required ?? []);
  for (const [key, prop] of Object.entries(node.properties ?? {})) {
    const field = `${prefix}${key}`;
    if (prop.oneOf) {
      const variants = prop.oneOf.map((variant) => String(variant.properties?.type?.const ?? '?'));
      table.rows.push(row(field, `a mapping; type is one of ${variants.join(', ')}`, 'required', prop));
      for (const [i, variant] of prop.oneOf.entries()) {
        const section: Table = { title: `${field} with type: ${variants[i]}`, rows: [] };
        tables.push(section);
        collect(variant, `${field}.`, section, tables);
      }
      continue;
    }
    table.rows.push(row(field, allowedText(prop), defaultText(prop, required.has(key)), prop));
    if (prop.properties) collect(prop, `${field}.`, table, tables);
    else if (prop.items?.properties) collect(prop.items, `${field}[].`, table, tables);
  }
}

function row(field: string, allowed: string, fallback: string, prop: JsonNode): string {
  const cells = [`\`${field}\``, allowed, fallback, prop.description ?? ''];
  return `| ${cells.map((cell) => cell.replaceAll('|', '\\|').replaceAll('\n', ' ')).join(' | ')} |`;
}

function allowedText(prop: JsonNode): string {
  if (prop.const !== undefined) return `\`${String(prop.const)}\``;
  if (prop.allowed) return prop.allowed;
  if (prop.enum) return `one of ${prop.enum.join(', ')}`;
  if (prop.type === 'object') return 'a mapping';
  if (prop.type === 'array') return 'a list';
  return prop.type ?? 'any value';
}

function defaultText(prop: JsonNode, required: boolean): string {
  if (prop.default !== undefined) {
    const value = prop.default;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return Object.keys(value).length === 0 ? 'optional' : `\`${flowYaml(value)}\``;
    }
    return `\`${flowYaml(value)}\``;
  }
  return required ? 'required' : 'optional';
}

/** A default as it would be written in the file, e.g. { mode: all }. */
function flowYaml(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flowYaml).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${flowYaml(v)}`)
      .join(', ')} }`;
  }
  if (typeof value === 'string' && /[*:#{}[\],&]|^\s|\s$/.test(value)) return `"${value}"`;
  return String(value);
}
