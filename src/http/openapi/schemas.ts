// Turns the zod schemas the routes validate with into JSON Schema 2020-12 (the
// dialect OpenAPI 3.1 uses), documenting the input side: what a caller sends,
// before transforms. One schema zod cannot convert falls back to an open one
// and is named, so the document can say where it is vague instead of failing
// whole. Pure: no I/O, and never a second, hand-kept copy of a request shape.
import { z } from 'zod';
import { currency, decimal, email, externalId, instant, url } from '../../core/ingest/fields.ts';
import { safeLinkRule } from '../../core/safe-link.ts';

export type JsonSchema = Record<string, unknown>;

export interface ConvertedSchemas {
  schemas: Record<string, JsonSchema>;
  /** Names of schemas that could not be converted and were replaced by an open schema. */
  fallbacks: string[];
}

// Shared field schemas whose rules live in transforms or refinements, which
// JSON Schema cannot express; hints say in words what the code checks.
const hints = new Map<unknown, JsonSchema>([
  [
    instant,
    { format: 'date-time', description: 'ISO 8601 time with offset, e.g. 2026-10-01T09:30:00+01:00' },
  ],
  [decimal, { description: 'a decimal amount as a string or a JSON number, e.g. "12.34"' }],
  [currency, { description: '3-letter ISO 4217 currency code (any case)' }],
  [email, { format: 'email', description: 'an email address (trimmed and lower-cased)' }],
  [externalId, { description: 'the shop platform id, always a string' }],
  [
    url,
    {
      format: 'uri',
      pattern: '^[Hh][Tt][Tt][Pp][Ss]?://',
      description: `${safeLinkRule}: no other scheme, no spaces or control characters (it may end up in an email)`,
    },
  ],
]);

export function convertInputSchemas(named: Record<string, z.ZodType>): ConvertedSchemas {
  const schemas: Record<string, JsonSchema> = {};
  const fallbacks: string[] = [];
  for (const [name, schema] of Object.entries(named)) {
    try {
      const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
        io: 'input',
        target: 'draft-2020-12',
        unrepresentable: 'throw',
        override: (ctx) => {
          const hint = hints.get(ctx.zodSchema);
          if (hint) Object.assign(ctx.jsonSchema, hint);
        },
      }) as JsonSchema;
      schemas[name] = json;
    } catch (error) {
      fallbacks.push(name);
      const reason = error instanceof Error ? error.message : String(error);
      schemas[name] = {
        type: 'object',
        description: `not generated from the validating schema (${reason}); see the route's description`,
      };
    }
  }
  return { schemas, fallbacks };
}
