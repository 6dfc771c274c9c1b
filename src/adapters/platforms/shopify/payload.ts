// Reading Shopify webhook payloads (parsed by shared/exact-ids-json.ts, so
// ids past 2^53 arrive as exact decimal text): small typed getters that never
// throw, and the one error a payload that cannot become records raises. The
// shapes are those of Shopify's webhook reference
// (https://shopify.dev/docs/api/webhooks, the sample payload of each topic).
import type { z } from 'zod';
import { describeIssues, type ErrorDetail } from '../../../core/errors.ts';
import { parseInstant } from '../../../core/time.ts';

export type Payload = Record<string, unknown>;

/** A payload that cannot become Rekindle records: answered 400 with what is wrong. */
export class PayloadError extends Error {
  override name = 'PayloadError';
  constructor(
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export function objectOf(value: unknown): Payload | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Payload) : null;
}

export function listOf(value: unknown): Payload[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown): Payload[] => {
    const found = objectOf(item);
    return found ? [found] : [];
  });
}

export function textOf(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** An id as exact decimal text: a string as sent, or a JSON number small enough to be exact. */
export function idOf(value: unknown): string | null {
  if (typeof value === 'string') return textOf(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}

export function requiredId(payload: Payload, field: string): string {
  const id = idOf(payload[field]);
  if (id === null)
    throw new PayloadError(`the payload has no ${field}`, [{ field, message: 'expected an id' }]);
  return id;
}

/** An ISO 8601 time as epoch ms, or null. */
export function timeOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const parsed = parseInstant(value);
  return parsed.ok ? parsed.value : null;
}

export function requiredTime(payload: Payload, ...fields: string[]): number {
  for (const field of fields) {
    const time = timeOf(payload[field]);
    if (time !== null) return time;
  }
  throw new PayloadError(`the payload has no ${fields.join(' or ')}`, [
    { field: fields[0] as string, message: 'expected an ISO 8601 time with offset' },
  ]);
}

export function integerOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

/** Validates API-shaped inputs with the ingest schema, or raises a PayloadError naming the field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, label: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const details = describeIssues(parsed.error.issues, false);
  throw new PayloadError(
    `the ${label} does not fit Rekindle's records: ${details.length} problem(s)`,
    details,
  );
}

/** Shopify's tags: one comma-separated string. */
export function tagsOf(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  const tags = value
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '' && tag.length <= 100);
  return [...new Set(tags)].slice(0, 100);
}

/** Line items as Rekindle's `items` input: the variant is the product; lines of 0 are left out. */
export function lineItemsOf(
  value: unknown,
): { product_id: string | null; title: string | null; quantity: number; unit_price: string | number }[] {
  return listOf(value).flatMap((line) => {
    const quantity = integerOf(line.quantity);
    const price = line.price;
    if (quantity === null || quantity === 0 || (typeof price !== 'string' && typeof price !== 'number'))
      return [];
    return [
      {
        product_id: idOf(line.variant_id) ?? idOf(line.product_id),
        title: textOf(line.name) ?? textOf(line.title),
        quantity,
        unit_price: price,
      },
    ];
  });
}
