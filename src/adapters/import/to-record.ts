// Turns one group of rows into the API's input shape and validates it with the
// very schemas the HTTP API uses, so a file row and a pushed record are judged
// alike. Rejections name the physical line and field. It never writes.
import type { z } from 'zod';
import { ingestSchemas } from '../../core/ingest/records.ts';
import { excessDecimals, isDecimal } from '../../core/money.ts';
import type { CustomerStub } from '../../db/repositories/customers.ts';
import type { RecordsByKind } from '../../db/repositories/ingest.ts';
import { type FieldSpec, kindSpecs } from './columns.ts';
import { StubChecker } from './customer-stubs.ts';
import type { InstantReader } from './dates.ts';
import type { Group, Problem } from './group-rows.ts';
import type { ImportKind } from './import-file.ts';
import type { Row } from './rows.ts';
import {
  CellError,
  isBlank,
  readBoolean,
  readId,
  readInteger,
  readList,
  readStatus,
  readText,
} from './values.ts';

export interface Rejection extends Problem {
  line: number;
}

export type Outcome<K extends ImportKind> =
  | {
      ok: true;
      record: RecordsByKind[K];
      stub?: CustomerStub;
      items: number;
      /** Line prices finer than the currency's minor unit, stored rounded. */
      finerPrices: number;
    }
  | { ok: false; rejections: Rejection[] };

const nouns: Record<ImportKind, string> = {
  customers: 'customer',
  orders: 'order',
  carts: 'cart',
  products: 'product',
};

/** One group being read: which row supplied a record-level value, to point a rejection at it. */
interface Reading {
  group: Group;
  sources?: Map<string, Row>;
  itemRows: Row[];
  /** The row being converted, blamed when a cell cannot be read. */
  current: Row;
}

export class RecordBuilder<K extends ImportKind> {
  private readonly fields: readonly FieldSpec[];
  private readonly recordFields: readonly FieldSpec[];
  private readonly itemFields: readonly FieldSpec[];
  private readonly schema: z.ZodType<RecordsByKind[K]>;
  private readonly stubs = new StubChecker();

  constructor(
    private readonly kind: K,
    private readonly readInstant: InstantReader,
    /** Values for fields the file leaves blank or has no column for (e.g. --currency). */
    private readonly defaults: Readonly<Record<string, string>> = {},
  ) {
    this.fields = kindSpecs[kind].fields;
    this.recordFields = this.fields.filter((f) => !f.item && !f.extra);
    this.itemFields = this.fields.filter((f) => f.item);
    this.schema = ingestSchemas[kind] as unknown as z.ZodType<RecordsByKind[K]>;
  }

  build(group: Group): Outcome<K> {
    if (group.problem) return this.rejectAll(group, group.problem, group.rows[0]!);
    const reading: Reading = { group, itemRows: [], current: group.rows[0]! };
    try {
      const input: Record<string, unknown> = {};
      for (const field of this.recordFields) {
        const raw = this.pick(reading, field.name) ?? this.defaults[field.name];
        if (raw !== undefined) input[field.name] = this.convert(field, raw);
        else if (field.required) input[field.name] = '';
      }
      // Shopify marks a cancelled order by its date, whatever its payment status says.
      if (this.kind === 'orders' && this.pick(reading, 'cancelled_at') !== undefined) {
        if ((input.status ?? 'paid') === 'paid') input.status = 'cancelled';
      }
      if (this.itemFields.length > 0) {
        const items = this.items(reading);
        if (items.length > 0) input.items = items;
      }
      reading.current = group.rows[0]!;
      const parsed = this.schema.safeParse(input);
      if (!parsed.success) return this.rejectIssue(reading, parsed.error.issues[0]!, input);
      const finerPrices = countFinerPrices(input.items, (parsed.data as { currency?: string }).currency);
      if (this.kind !== 'orders') {
        return { ok: true, record: parsed.data, items: reading.itemRows.length, finerPrices };
      }
      const stub = this.stubs.check(
        (parsed.data as RecordsByKind['orders']).customerId,
        this.pick(reading, 'email'),
        this.pick(reading, 'first_name'),
        this.pick(reading, 'last_name'),
      );
      if (!stub.ok) return this.rejectIssue(reading, stub.issue, input);
      const items = (parsed.data as RecordsByKind['orders']).items.length;
      return { ok: true, record: parsed.data, stub: stub.value, items, finerPrices };
    } catch (error) {
      if (!(error instanceof CellError)) throw error;
      const row = reading.sources?.get(error.field) ?? reading.current;
      return this.rejectAll(group, { key: `${error.category} ${error.field}`, message: error.message }, row);
    }
  }

  /** A record-level value: the first row that has one (exports often fill only the first row). */
  private pick(reading: Reading, name: string): unknown {
    const rows = reading.group.rows;
    for (let i = 0; i < rows.length; i++) {
      const value = rows[i]!.fields[name];
      if (isBlank(value)) continue;
      if (i > 0) {
        reading.sources ??= new Map();
        reading.sources.set(name, rows[i]!);
      }
      return value;
    }
    return undefined;
  }

  private items(reading: Reading): unknown[] {
    const items: unknown[] = [];
    for (const row of reading.group.rows) {
      reading.current = row;
      if (row.items !== undefined) {
        if (!Array.isArray(row.items)) items.push(row.items);
        else for (const item of row.items) items.push(this.inlineItem(item));
        while (reading.itemRows.length < items.length) reading.itemRows.push(row);
        continue;
      }
      if (this.itemFields.every((f) => isBlank(row.fields[f.name]))) continue;
      const item: Record<string, unknown> = {};
      for (const field of this.itemFields) {
        const value = row.fields[field.name];
        if (!isBlank(value)) item[field.name] = this.convert(field, value);
        else if (field.name === 'quantity' || field.name === 'unit_price') {
          throw new CellError(field.name, 'must not be blank', 'blank');
        }
      }
      items.push(item);
      reading.itemRows.push(row);
    }
    return items;
  }

  private inlineItem(item: unknown): unknown {
    if (typeof item !== 'object' || item === null) return item;
    const converted: Record<string, unknown> = { ...item };
    for (const field of this.itemFields) {
      const value = converted[field.name];
      if (value !== undefined && value !== null) converted[field.name] = this.convert(field, value);
    }
    return converted;
  }

  private convert(field: FieldSpec, value: unknown): unknown {
    switch (field.type) {
      case 'id':
        return readId(value);
      case 'text':
        return typeof value === 'string' ? value.trim() : readText(value);
      case 'instant':
        return typeof value === 'string' ? this.readInstant(value.trim(), field.name) : value;
      case 'integer':
        return readInteger(value, field.name);
      case 'boolean':
        return readBoolean(value, field.name);
      case 'list':
        return readList(value);
      case 'status':
        return readStatus(value, this.kind === 'carts' ? 'carts' : 'orders');
      default:
        return value;
    }
  }

  private rejectIssue(reading: Reading, issue: z.core.$ZodIssue, input: Record<string, unknown>): Outcome<K> {
    const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
    let row = reading.group.rows[0]!;
    let field = typeof path[0] === 'string' ? path[0] : '';
    let raw: unknown;
    if (path[0] === 'items' && typeof path[1] === 'number') {
      row = reading.itemRows[path[1]] ?? row;
      field = typeof path[2] === 'string' ? path[2] : 'items';
      // The item as handed to the schema: inline JSON items keep no cells of their own.
      const item = Array.isArray(input.items) ? (input.items[path[1]] as Record<string, unknown>) : undefined;
      raw = typeof item === 'object' && item !== null ? item[field] : true;
    } else if (field === 'items') {
      // A problem of the lines taken together (their sum): blame the first one.
      row = reading.itemRows[0] ?? row;
      raw = true;
    } else {
      row = reading.sources?.get(field) ?? row;
      raw = field in input ? input[field] : row.fields[field];
    }
    if (issue.code === 'unrecognized_keys') field = issue.keys.join(', ');
    const type = this.fields.find((f) => f.name === field)?.type;
    // Unparseable only when the text is not a time or number at all: an amount
    // that parsed but breaks a rule (too many decimals, negative) is invalid.
    const category = isBlank(raw)
      ? 'blank'
      : type === 'instant' ||
          (type === 'decimal' && !isDecimal(raw)) ||
          (type === 'integer' && typeof raw !== 'number')
        ? 'unparseable'
        : 'invalid';
    const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
    return this.rejectAll(
      reading.group,
      { key: `${category} ${field}`, message: `${field}: ${message}` },
      row,
    );
  }

  private rejectAll(group: Group, problem: Problem, culprit: Row): Outcome<K> {
    const noun = nouns[this.kind];
    const rejections = group.rows.map((row) =>
      row === culprit
        ? { line: row.line, ...problem }
        : {
            line: row.line,
            key: `part of a rejected ${noun}`,
            message: `part of ${noun} '${group.id}', rejected at line ${culprit.line}`,
          },
    );
    return { ok: false, rejections };
  }
}

/** How many of the items' prices are finer than `currency` allows (they were stored rounded). */
function countFinerPrices(items: unknown, currency: string | undefined): number {
  if (!Array.isArray(items) || currency === undefined) return 0;
  let count = 0;
  for (const item of items) {
    const price = (item as { unit_price?: unknown }).unit_price;
    if ((typeof price === 'string' || typeof price === 'number') && excessDecimals(price, currency) > 0)
      count++;
  }
  return count;
}
