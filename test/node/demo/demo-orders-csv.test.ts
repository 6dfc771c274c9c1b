import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toMinorUnits } from '../../../src/core/money.ts';
import { ordersCsvHeader, writeOrdersCsv } from '../../../src/demo/orders-csv.ts';
import { generateShop } from '../../../src/demo/shop.ts';

const now = Date.parse('2026-11-20T12:00:00Z');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rekindle-demo-csv-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const minor = (amount: string, currency: string) => {
  const parsed = toMinorUnits(amount, currency);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
};

describe('writeOrdersCsv', () => {
  it('writes one row per order line with the order and customer repeated', async () => {
    const path = join(dir, 'orders.csv');
    const options = { now, seed: 'csv', customers: 60 };
    const result = await writeOrdersCsv(path, options);
    const text = await readFile(path, 'utf8');
    const [header, ...rows] = parse(text) as string[][];
    expect(header).toEqual([...ordersCsvHeader]);
    expect(rows).toHaveLength(result.lines);

    const batches = [...generateShop(options)];
    const orders = batches.flatMap((b) => (b.kind === 'orders' ? b.records : []));
    const customers = new Map(
      batches.flatMap((b) => (b.kind === 'customers' ? b.records : [])).map((c) => [c.id, c]),
    );
    expect(result.orders).toBe(orders.length);
    expect(result.lines).toBe(orders.reduce((n, o) => n + o.items.length, 0));
    const byOrder = new Map<string, string[][]>();
    for (const row of rows) byOrder.set(row[0]!, [...(byOrder.get(row[0]!) ?? []), row]);
    for (const order of orders) {
      const lines = byOrder.get(order.id)!;
      expect(lines).toHaveLength(order.items.length);
      const [, customerId, email, firstName, lastName, placedAt, status, currency, total] = lines[0]!;
      const customer = customers.get(order.customerId)!;
      expect({ customerId, email, firstName, lastName, placedAt, status, currency }).toEqual({
        customerId: order.customerId,
        email: customer.email,
        firstName: customer.firstName,
        lastName: customer.lastName,
        placedAt: new Date(order.placedAt).toISOString(),
        status: order.status,
        currency: order.currency,
      });
      expect(placedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(minor(total!, currency!)).toBe(order.totalMinor);
      const sum = lines.reduce((n, line) => n + Number(line[11]) * minor(line[12]!, currency!), 0);
      expect(sum).toBe(order.totalMinor);
      expect(lines.map((line) => line[10])).toEqual(order.items.map((item) => item.title));
    }
  });

  it('stops after the order that reaches maxLines', async () => {
    const path = join(dir, 'orders.csv');
    const result = await writeOrdersCsv(path, { now, customers: 1_000_000, maxLines: 500 });
    expect(result.lines).toBeGreaterThanOrEqual(500);
    expect(result.lines).toBeLessThan(504);
    expect(result.customers).toBeLessThan(1_000_000);
    const rows = (parse(await readFile(path, 'utf8')) as string[][]).slice(1);
    expect(rows).toHaveLength(result.lines);
  });
});
