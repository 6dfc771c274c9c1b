// The import benchmark's floor: the same order lines, already parsed into
// column arrays, written with bare multi-row INSERTs through the libSQL client,
// chunked by the store's parameter limit and one transaction per importer
// batch (its default size). No validation, no upsert, no customer stubs:
// the least any importer has to pay to get these rows into these tables.
import { createReadStream } from 'node:fs';
import { type Client, createClient, type InStatement } from '@libsql/client';
import { parse } from 'csv-parse';
import { toMinorUnits } from '../../src/core/money.ts';

export type OrderRow = [
  id: string,
  customerId: string,
  placedAt: number,
  status: string,
  currency: string,
  total: number,
];
export type ItemRow = [
  orderId: string,
  lineNo: number,
  productId: string,
  title: string,
  quantity: number,
  unitPrice: number,
];

export interface ParsedOrders {
  orders: OrderRow[];
  items: ItemRow[];
  /** itemsEnd[i]: index just past order i's last item. */
  itemsEnd: number[];
}

/** Reads the CSV (header from ordersCsvHeader) into rows; not timed. */
export async function parseOrdersCsv(path: string): Promise<ParsedOrders> {
  const orders: OrderRow[] = [];
  const items: ItemRow[] = [];
  const itemsEnd: number[] = [];
  let lineNo = 0;
  const parser = createReadStream(path).pipe(parse({ from_line: 2 }));
  for await (const cells of parser as AsyncIterable<string[]>) {
    const [id, customerId, , , , placedAt, status, currency, total, productId, title, quantity, unitPrice] =
      cells;
    if (orders.at(-1)?.[0] !== id) {
      if (orders.length > 0) itemsEnd.push(items.length);
      orders.push([id!, customerId!, Date.parse(placedAt!), status!, currency!, minor(total!, currency!)]);
      lineNo = 0;
    }
    items.push([id!, lineNo++, productId!, title!, Number(quantity), minor(unitPrice!, currency!)]);
  }
  if (orders.length > 0) itemsEnd.push(items.length);
  return { orders, items, itemsEnd };
}

function minor(amount: string, currency: string): number {
  const parsed = toMinorUnits(amount, currency);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

export interface FloorOptions {
  url: string;
  maxParams: number;
  ordersPerTransaction: number;
  now: number;
}

/** Inserts every row; returns the seconds spent inserting. */
export async function insertFloor(parsed: ParsedOrders, options: FloorOptions): Promise<number> {
  const client = createClient({ url: options.url });
  try {
    // The same pragmas the store sets on a file database.
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA busy_timeout = 10000');
    await client.execute('PRAGMA synchronous = NORMAL');
    const started = performance.now();
    await insertAll(client, parsed, options);
    return (performance.now() - started) / 1000;
  } finally {
    client.close();
  }
}

async function insertAll(client: Client, parsed: ParsedOrders, options: FloorOptions): Promise<void> {
  const { orders, items, itemsEnd } = parsed;
  const orderColumns = 8;
  const itemColumns = 6;
  const ordersPerStatement = Math.floor(options.maxParams / orderColumns);
  const itemsPerStatement = Math.floor(options.maxParams / itemColumns);
  for (let start = 0; start < orders.length; start += options.ordersPerTransaction) {
    const chunk = orders.slice(start, start + options.ordersPerTransaction);
    const itemStart = start === 0 ? 0 : itemsEnd[start - 1]!;
    const chunkItems = items.slice(itemStart, itemsEnd[start + chunk.length - 1]!);
    const statements: InStatement[] = [];
    for (let i = 0; i < chunk.length; i += ordersPerStatement) {
      const rows = chunk.slice(i, i + ordersPerStatement);
      statements.push({
        sql: insertSql('orders', ORDER_COLUMNS, rows.length),
        args: rows.flatMap((r) => [r[0], r[1], r[2], r[3], r[4], r[5], '[]', options.now]),
      });
    }
    for (let i = 0; i < chunkItems.length; i += itemsPerStatement) {
      const rows = chunkItems.slice(i, i + itemsPerStatement);
      statements.push({ sql: insertSql('order_items', ITEM_COLUMNS, rows.length), args: rows.flat() });
    }
    await client.batch(statements, 'write');
    // Lets the driver's statement finalizers run, as the demo loader does; without
    // it native memory grows by ~115 bytes per bound parameter (see src/demo/load.ts).
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

const ORDER_COLUMNS = [
  'id',
  'customer_id',
  'placed_at',
  'status',
  'currency',
  'total_minor',
  'discount_codes',
  'updated_at',
];
const ITEM_COLUMNS = ['order_id', 'line_no', 'product_id', 'title', 'quantity', 'unit_price_minor'];

const sqlCache = new Map<string, string>();

function insertSql(table: string, columns: readonly string[], rows: number): string {
  const key = `${table}:${rows}`;
  let text = sqlCache.get(key);
  if (!text) {
    const tuple = `(${columns.map(() => '?').join(',')})`;
    text = `INSERT INTO ${table} (${columns.join(',')}) VALUES ${Array.from({ length: rows }, () => tuple).join(',')}`;
    sqlCache.set(key, text);
  }
  return text;
}
