// Writes the demo shop's orders as a CSV of line items (one row per order
// line, order and customer columns repeated), streamed to a file so a million
// rows never build up in memory. Used to feed the importer and its benchmark.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { csvField } from '../core/csv.ts';
import type { CustomerRecord, OrderRecord } from '../core/ingest/records.ts';
import { fromMinorUnits } from '../core/money.ts';
import { type DemoShopOptions, generateShop } from './shop.ts';

export const ordersCsvHeader = [
  'id',
  'customer_id',
  'email',
  'first_name',
  'last_name',
  'placed_at',
  'status',
  'currency',
  'total',
  'product_id',
  'title',
  'quantity',
  'unit_price',
] as const;

export interface OrdersCsvOptions extends DemoShopOptions {
  /** Stop after the order that brings the file to at least this many lines. */
  maxLines?: number;
}

export interface OrdersCsvResult {
  lines: number;
  orders: number;
  customers: number;
}

export async function writeOrdersCsv(
  path: string,
  options: OrdersCsvOptions,
  onProgress?: (written: OrdersCsvResult) => void,
): Promise<OrdersCsvResult> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const result: OrdersCsvResult = { lines: 0, orders: 0, customers: 0 };
  const maxLines = options.maxLines ?? Number.POSITIVE_INFINITY;
  try {
    await write(out, `${ordersCsvHeader.join(',')}\n`);
    let people = new Map<string, CustomerRecord>();
    for (const batch of generateShop(options)) {
      if (batch.kind === 'customers') {
        people = new Map(batch.records.map((c) => [c.id, c]));
        result.customers += batch.records.length;
      }
      if (batch.kind !== 'orders') continue;
      const rows: string[] = [];
      for (const order of batch.records) {
        if (result.lines >= maxLines) break;
        rows.push(orderRows(order, people.get(order.customerId)));
        result.orders += 1;
        result.lines += order.items.length;
      }
      await write(out, rows.join(''));
      onProgress?.(result);
      if (result.lines >= maxLines) break;
    }
  } finally {
    out.end();
    await finished(out);
  }
  return result;
}

function orderRows(order: OrderRecord, customer: CustomerRecord | undefined): string {
  const head = [
    order.id,
    order.customerId,
    customer?.email ?? '',
    customer?.firstName ?? '',
    customer?.lastName ?? '',
    new Date(order.placedAt).toISOString(),
    order.status,
    order.currency,
    fromMinorUnits(order.totalMinor, order.currency),
  ]
    .map(csvField)
    .join(',');
  let text = '';
  for (const item of order.items) {
    const line = [
      item.productId ?? '',
      item.title ?? '',
      String(item.quantity),
      fromMinorUnits(item.unitPriceMinor, order.currency),
    ];
    text += `${head},${line.map(csvField).join(',')}\n`;
  }
  return text;
}

async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (text && !out.write(text)) await once(out, 'drain');
}
