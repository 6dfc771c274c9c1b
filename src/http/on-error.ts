// The one place errors become HTTP responses. Expected failures carry their own
// status; anything else is a 500 that never leaks internals or PII.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { AppError, describeIssues, loggableReason } from '../core/errors.ts';

export function errorBody(code: string, message: string, details: unknown[] = []) {
  return { error: { code, message, details } };
}

export function onError(error: Error, c: Context): Response {
  if (error instanceof AppError) {
    return c.json(errorBody(error.code, error.message, error.details), error.status);
  }
  if (error instanceof z.ZodError) {
    // Routes `.parse` their input and leave the answer to this: the message names the fields.
    const details = describeIssues(error.issues, false);
    const fields = details.map((d) => d.field ?? d.message).join(', ');
    return c.json(errorBody('invalid_input', `invalid request: ${fields}`, details), 400);
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    const code = status === 413 ? 'payload_too_large' : status === 404 ? 'not_found' : 'bad_request';
    return c.json(errorBody(code, error.message || 'bad request'), status);
  }
  console.error(
    `unhandled error on ${c.req.method} ${c.req.routePath}: ${error.name}: ${loggableReason(error)}`,
  );
  return c.json(errorBody('internal', 'internal error'), 500);
}
