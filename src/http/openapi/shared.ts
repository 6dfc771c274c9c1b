// Small builders shared by the OpenAPI document's parts: references, JSON
// content, and the one error body every 4xx uses ({ error: { code, message,
// details } }, rendered by src/http/on-error.ts). Pure data; no I/O.
import type { JsonSchema } from './schemas.ts';

export function ref(name: string): JsonSchema {
  return { $ref: `#/components/schemas/${name}` };
}

export function json(schema: JsonSchema): JsonSchema {
  return { 'application/json': { schema } };
}

export function ok(description: string, schema: JsonSchema): JsonSchema {
  return { description, content: json(schema) };
}

const errorStatuses = {
  400: ['BadRequest', 'Invalid JSON or input (invalid_json, invalid_input); details name the row and field'],
  401: ['Unauthorized', 'No bearer key, or an unknown or revoked one (unauthorized)'],
  403: ['Forbidden', 'The key lacks the scope this route needs (forbidden)'],
  404: ['NotFound', 'No such resource (not_found, coupon_unknown)'],
  409: ['Conflict', 'The request conflicts with what is stored (e.g. coupon_used, order_already_redeemed)'],
  413: ['PayloadTooLarge', 'The body or the list is too large (payload_too_large, too_many_rows)'],
  415: [
    'UnsupportedMediaType',
    'The body was not sent as Content-Type: application/json (unsupported_media_type); nothing was read',
  ],
  429: ['TooManyRequests', 'Rate-limited (rate_limited); retry after the Retry-After header'],
} as const;

export type ErrorStatus = keyof typeof errorStatuses;

/** Responses for the given error statuses, as references to the shared components. */
export function errors(...statuses: ErrorStatus[]): Record<string, JsonSchema> {
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      { $ref: `#/components/responses/${errorStatuses[status][0]}` },
    ]),
  );
}

export const errorComponents = {
  schemas: {
    ErrorBody: {
      type: 'object',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message', 'details'],
          properties: {
            code: { type: 'string', description: 'stable, machine-readable, e.g. invalid_input' },
            message: { type: 'string', description: 'for people; may change' },
            details: {
              type: 'array',
              items: {
                type: 'object',
                required: ['message'],
                properties: {
                  row: {
                    type: 'integer',
                    minimum: 0,
                    description: 'index of the bad row when a list was sent',
                  },
                  field: {
                    type: 'string',
                    description: 'dotted path of the bad field, e.g. items[0].unit_price',
                  },
                  message: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
  } as Record<string, JsonSchema>,
  responses: Object.fromEntries(
    Object.values(errorStatuses).map(([name, description]) => [
      name,
      {
        description,
        content: json(ref('ErrorBody')),
        ...(name === 'TooManyRequests'
          ? { headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } } }
          : {}),
      },
    ]),
  ) as Record<string, JsonSchema>,
};
