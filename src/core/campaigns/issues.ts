// Turns zod issues from the campaign and settings schemas into one finding
// per problem, worded for a marketer: "trigger.days must be a whole number of
// days >= 1, got 'ninety'". Knows nothing about files or lines.
import type { z } from 'zod';

export interface SchemaFinding {
  /** Path of the offending node in the file's content. */
  path: (string | number)[];
  /** The same path as text, e.g. trigger.steps[1].delay_hours ('' for the whole file). */
  field: string;
  message: string;
  /** Point at the key (an unknown key) rather than at its value. */
  at: 'key' | 'value';
}

export function describeSchemaIssues(issues: readonly z.core.$ZodIssue[]): SchemaFinding[] {
  const findings: SchemaFinding[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      // fields.ts `strict` writes one message line per unknown key, in order.
      const lines = issue.message.split('\n');
      issue.keys.forEach((key, i) => {
        const keyPath = [...path, key];
        const field = formatPath(keyPath);
        findings.push({
          path: keyPath,
          field,
          message: `${field} ${lines[i] ?? 'is not a known field'}`,
          at: 'key',
        });
      });
      continue;
    }
    const field = formatPath(path);
    const message = field ? `${field} ${issue.message}` : `the file ${issue.message}`;
    findings.push({ path, field, message, at: 'value' });
  }
  return findings;
}

export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    return text ? `${text}.${part}` : part;
  }, '');
}
