// Typed failures that cross layers. The HTTP error handler maps these to
// `{ error: { code, message, details } }`; the CLI prints them.
import type { z } from 'zod';

export interface ErrorDetail {
  /** Index of the bad row in a batch (0-based), when the input was a list. */
  row?: number;
  /** Dotted path of the bad field inside the row, e.g. items[0].unit_price. */
  field?: string;
  message: string;
}

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

/** Turns zod issues into details that name the row and the field. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], inBatch: boolean): ErrorDetail[] {
  return issues.map((issue) => {
    const path = [...issue.path];
    const row = inBatch && typeof path[0] === 'number' ? (path.shift() as number) : undefined;
    let field = formatPath(path);
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((key) => (field ? `${field}.${key}` : key));
      field = keys.join(', ');
      return {
        ...(row === undefined ? {} : { row }),
        field,
        message: `unknown field${keys.length > 1 ? 's' : ''}`,
      };
    }
    return { ...(row === undefined ? {} : { row }), ...(field ? { field } : {}), message: issue.message };
  });
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    return text ? `${text}.${String(part)}` : String(part);
  }, '');
}

/**
 * An error's reason, fit for a log line. drizzle wraps driver errors as
 * "Failed query: <sql>\nparams: <values>", and the values can be addresses,
 * names, user agents or IPs: the driver's own error (the cause) says what went
 * wrong without them. Only the first line is kept.
 */
export function loggableReason(error: unknown): string {
  let current = error;
  while (current instanceof Error && isQueryFailure(current) && current.cause !== undefined) {
    current = current.cause;
  }
  if (!(current instanceof Error)) return String(current).split('\n')[0] ?? '';
  if (isQueryFailure(current)) return 'a database query failed';
  return current.message.split('\n')[0] ?? '';
}

function isQueryFailure(error: Error): boolean {
  return error.message.startsWith('Failed query:');
}
