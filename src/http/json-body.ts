// Reading JSON request bodies the same way on every route: a body that is not
// JSON is a 400 `invalid_json`; a list route takes one record or a list of
// them and validates every row before anything is written.
import type { z } from 'zod';
import { AppError, describeIssues } from '../core/errors.ts';

export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError(400, 'invalid_json', 'the body is not valid JSON');
  }
}

export interface ListRules {
  /** Rows one call may carry; more is a 413. */
  maxRows: number;
  /** What a row is called in the errors: "rows", "events". */
  rowNoun: string;
  /** What the records are called in a validation error: "customers", "events". */
  label: string;
}

/**
 * One record or a list of them, each checked by `schema`. Details name the
 * row only when the body was a list.
 */
export function parseRecordList<S extends z.ZodType>(
  body: unknown,
  schema: S,
  rules: ListRules,
): { records: z.output<S>[]; inBatch: boolean } {
  const inBatch = Array.isArray(body);
  const rows: unknown[] = inBatch ? (body as unknown[]) : [body];
  if (rows.length === 0) throw new AppError(400, 'invalid_input', 'the list is empty');
  if (rows.length > rules.maxRows) {
    throw new AppError(
      413,
      'too_many_rows',
      `at most ${rules.maxRows} ${rules.rowNoun} per call, got ${rows.length}`,
    );
  }
  const parsed = schema.array().safeParse(rows);
  if (!parsed.success) {
    const details = describeIssues(parsed.error.issues, true).map((d) =>
      inBatch ? d : { ...d, row: undefined },
    );
    throw new AppError(400, 'invalid_input', `invalid ${rules.label}: ${details.length} problem(s)`, details);
  }
  return { records: parsed.data as z.output<S>[], inBatch };
}
