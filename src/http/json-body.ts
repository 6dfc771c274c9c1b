// Reading JSON request bodies the same way on every route: a request whose
// Content-Type is not application/json is a 415 before its body is read (a
// form or text/plain post is what a cross-site page can send without asking,
// and what a misconfigured client sends by mistake); a body that is not JSON
// is a 400 `invalid_json`; a list route takes one record or a list of them
// and validates every row before anything is written.
import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { AppError, describeIssues } from '../core/errors.ts';

const methodsWithBody = new Set(['POST', 'PUT', 'PATCH']);

/** True for `application/json`, with or without parameters such as `; charset=utf-8`, in any case. */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const semicolon = header.indexOf(';');
  const essence = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  return essence === 'application/json';
}

/** For every route under it that takes a body: 415 `unsupported_media_type` unless the body is declared JSON. */
export function requireJsonBody(): MiddlewareHandler {
  return async (c, next) => {
    if (!methodsWithBody.has(c.req.method) || isJsonContentType(c.req.header('content-type'))) return next();
    const given = c.req.header('content-type');
    const got = given === undefined ? 'none was given' : `got ${given.slice(0, 100)}`;
    throw new AppError(415, 'unsupported_media_type', 'the body must be JSON', [
      { field: 'Content-Type', message: `must be application/json (${got})` },
    ]);
  };
}

export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError(400, 'invalid_json', 'the body is not valid JSON');
  }
}

export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
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
