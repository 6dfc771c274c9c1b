// Which file columns feed which API field, per import kind: the API field names
// by default, a few common export headers (Shopify's and the UCI Online Retail
// set's among them) as aliases, and `--map field=Column` overrides. It only
// reads headers; it must never look at row values.
import { AppError } from '../../core/errors.ts';
import type { ImportKind } from './import-file.ts';

/** How a cell is turned into an API value (see values.ts). */
export type FieldType = 'id' | 'text' | 'instant' | 'decimal' | 'integer' | 'boolean' | 'list' | 'status';

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** Read from every row (a line item) rather than once per record. */
  item?: boolean;
  /** Sent as '' when blank, so the schema names the missing value. */
  required?: boolean;
  /** Normalized header names (see normalizeHeader) tried after the field name. */
  aliases?: readonly string[];
  /** Read by the importer (customer stubs, cancellations) but not part of the API record. */
  extra?: boolean;
  /** The option that gives every row this field's value when the file has none (see ImportOptions). */
  defaultOption?: string;
}

export interface KindSpec {
  fields: readonly FieldSpec[];
  /** Rows sharing an id are one record with several items. */
  grouped: boolean;
  /** Each inner list needs at least one of its fields present as a column. */
  requiredColumns: readonly (readonly string[])[];
}

const itemFields: FieldSpec[] = [
  {
    name: 'product_id',
    type: 'id',
    item: true,
    aliases: ['lineitem_sku', 'sku', 'variant_id', 'stock_code'],
  },
  {
    name: 'title',
    type: 'text',
    item: true,
    aliases: ['lineitem_name', 'product_name', 'item_name', 'description'],
  },
  { name: 'quantity', type: 'integer', item: true, aliases: ['lineitem_quantity', 'qty'] },
  { name: 'unit_price', type: 'decimal', item: true, aliases: ['lineitem_price', 'price'] },
];

export const kindSpecs: Record<ImportKind, KindSpec> = {
  customers: {
    grouped: false,
    requiredColumns: [['id']],
    fields: [
      { name: 'id', type: 'id', required: true, aliases: ['customer_id'] },
      { name: 'email', type: 'text', aliases: ['email_address'] },
      { name: 'first_name', type: 'text' },
      { name: 'last_name', type: 'text' },
      { name: 'locale', type: 'text', aliases: ['language'] },
      { name: 'timezone', type: 'text', aliases: ['time_zone'] },
      { name: 'country', type: 'text', aliases: ['country_code', 'default_address_country_code'] },
      { name: 'tags', type: 'list' },
      {
        name: 'marketing_consent',
        type: 'boolean',
        aliases: ['accepts_email_marketing', 'accepts_marketing'],
      },
      { name: 'created_at', type: 'instant' },
    ],
  },
  orders: {
    grouped: true,
    // No total column: each order's total is its lines' value (see orderInput).
    requiredColumns: [['id'], ['customer_id'], ['placed_at'], ['currency']],
    fields: [
      { name: 'id', type: 'id', required: true, aliases: ['order_id', 'name', 'invoice_no'] },
      { name: 'customer_id', type: 'id', required: true, aliases: ['customer'] },
      { name: 'email', type: 'text', extra: true },
      { name: 'first_name', type: 'text', extra: true },
      { name: 'last_name', type: 'text', extra: true },
      {
        name: 'placed_at',
        type: 'instant',
        required: true,
        aliases: ['created_at', 'processed_at', 'order_date', 'invoice_date'],
      },
      { name: 'status', type: 'status', aliases: ['financial_status', 'order_status'] },
      { name: 'cancelled_at', type: 'text', extra: true, aliases: ['canceled_at'] },
      { name: 'currency', type: 'text', required: true, defaultOption: '--currency' },
      { name: 'total', type: 'decimal', aliases: ['total_price', 'order_total'] },
      { name: 'discount_codes', type: 'list', aliases: ['discount_code'] },
      ...itemFields,
    ],
  },
  carts: {
    grouped: true,
    requiredColumns: [['id'], ['currency'], ['last_activity_at']],
    fields: [
      { name: 'id', type: 'id', required: true, aliases: ['cart_id', 'token'] },
      { name: 'customer_id', type: 'id' },
      { name: 'email', type: 'text' },
      { name: 'status', type: 'status' },
      { name: 'currency', type: 'text', required: true, defaultOption: '--currency' },
      { name: 'value', type: 'decimal', aliases: ['total', 'total_price'] },
      { name: 'recovery_url', type: 'text', aliases: ['abandoned_checkout_url', 'checkout_url'] },
      { name: 'last_activity_at', type: 'instant', required: true, aliases: ['updated_at'] },
      { name: 'created_at', type: 'instant' },
      ...itemFields,
    ],
  },
  products: {
    grouped: false,
    requiredColumns: [['id'], ['title'], ['currency'], ['price'], ['stock', 'in_stock']],
    fields: [
      { name: 'id', type: 'id', required: true, aliases: ['product_id', 'variant_sku', 'sku'] },
      { name: 'title', type: 'text', required: true },
      { name: 'url', type: 'text' },
      { name: 'image_url', type: 'text', aliases: ['image_src', 'image'] },
      { name: 'category', type: 'text', aliases: ['product_type', 'type'] },
      { name: 'currency', type: 'text', required: true, defaultOption: '--currency' },
      { name: 'price', type: 'decimal', required: true, aliases: ['variant_price'] },
      {
        name: 'stock',
        type: 'integer',
        aliases: ['variant_inventory_qty', 'inventory_quantity', 'quantity'],
      },
      { name: 'in_stock', type: 'boolean', aliases: ['availability'] },
      { name: 'replenish_days', type: 'integer' },
      { name: 'created_at', type: 'instant', aliases: ['published_at'] },
    ],
  },
};

/** Field name -> where to read it: a column index (CSV) or a key (JSON Lines). */
export type Layout<Where> = readonly (readonly [field: string, where: Where])[];

/**
 * "Lineitem quantity", "lineitem-quantity", "LINEITEM_QUANTITY" and
 * "LineitemQuantity" all read as lineitem_quantity ("CustomerID" as customer_id).
 */
export function normalizeHeader(header: string): string {
  return header
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
}

export function checkMap(kind: ImportKind, map: Record<string, string>): void {
  const names = kindSpecs[kind].fields.map((f) => f.name);
  for (const field of Object.keys(map)) {
    if (!names.includes(field)) {
      throw new AppError(
        400,
        'invalid_import',
        `unknown field '${field}' in --map; fields of ${kind} are: ${names.join(', ')}`,
      );
    }
  }
}

/**
 * Resolves a CSV header; a missing required column is a usage error, not N
 * rejected rows, unless `defaults` gives the field a value for every row.
 */
export function csvLayout(
  kind: ImportKind,
  header: readonly string[],
  map: Record<string, string>,
  file: string,
  defaults: Readonly<Record<string, string>> = {},
): Layout<number> {
  const normalized = header.map(normalizeHeader);
  const layout: [string, number][] = [];
  for (const field of kindSpecs[kind].fields) {
    const mapped = map[field.name];
    if (mapped !== undefined) {
      let index = header.indexOf(mapped);
      if (index < 0) index = normalized.indexOf(normalizeHeader(mapped));
      if (index < 0) {
        throw new AppError(
          400,
          'invalid_import',
          `--map ${field.name}='${mapped}': ${file} has no column '${mapped}'; its columns are: ${header.join(', ')}`,
        );
      }
      layout.push([field.name, index]);
      continue;
    }
    for (const candidate of [field.name, ...(field.aliases ?? [])]) {
      const index = normalized.indexOf(candidate);
      if (index >= 0) {
        layout.push([field.name, index]);
        break;
      }
    }
  }
  for (const anyOf of kindSpecs[kind].requiredColumns) {
    if (layout.some(([field]) => anyOf.includes(field))) continue;
    if (anyOf.some((field) => defaults[field] !== undefined)) continue;
    const field = kindSpecs[kind].fields.find((f) => f.name === anyOf[0])!;
    const tried = [field.name, ...(field.aliases ?? [])].join("', '");
    throw new AppError(
      400,
      'invalid_import',
      `${file} has no column for ${anyOf.join(' or ')} (looked for '${tried}'); ` +
        `name it with --map ${field.name}=COLUMN` +
        (field.defaultOption ? `, or give every row one with ${field.defaultOption} VALUE` : ''),
    );
  }
  return layout;
}

/** JSON Lines keys are the API field names unless --map renames them. */
export function jsonLayout(kind: ImportKind, map: Record<string, string>): Layout<string> {
  return kindSpecs[kind].fields.map((f) => [f.name, map[f.name] ?? f.name] as const);
}
