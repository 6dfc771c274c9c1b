// File import of orders into a real libSQL file: line-item CSVs, bad rows and
// their line numbers, --strict, --map with Shopify headers, JSON Lines, and the
// CLI end to end through bin/rekindle.js.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../../src/adapters/import/import-file.ts';
import { AppError } from '../../../src/core/errors.ts';
import { migrateLibsql, openLibsqlStore } from '../../../src/db/libsql.ts';
import { upsertCustomers } from '../../../src/db/repositories/customers.ts';
import { customers, orderItems, orders } from '../../../src/db/schema/index.ts';
import type { Store } from '../../../src/db/store.ts';
import { importFile } from '../support/import-file.ts';

const root = resolve(import.meta.dirname, '../../..');
const fixture = (name: string) => join(root, 'test/fixtures/import', name);
const now = Date.parse('2026-11-20T12:00:00Z');

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rekindle-import-'));
  store = await openLibsqlStore({ url: `file:${join(dir, 'test.db')}` });
  await migrateLibsql(store);
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function snapshot() {
  return {
    orders: await store.db.select().from(orders).orderBy(asc(orders.id)),
    items: await store.db.select().from(orderItems).orderBy(asc(orderItems.orderId), asc(orderItems.lineNo)),
    customers: await store.db.select().from(customers).orderBy(asc(customers.id)),
  };
}

describe('importing a line-item orders CSV', () => {
  it('assembles orders from consecutive rows and reports bad rows by physical line', async () => {
    const summary = await importFile(store, 'orders', fixture('orders-lines.csv'), {}, now);

    expect(summary).toEqual({
      kind: 'orders',
      rows: 12,
      stored: { customers: 3, orders: 4, items: 6, carts: 0, products: 0 },
      finerPrices: 0,
      rejected: 6,
      reasons: {
        'blank customer_id': 1,
        'unparseable placed_at': 2,
        'unparseable total': 1,
        'unparseable quantity': 1,
        'order id appears again later': 1,
      },
      rejections: [
        { line: 7, reason: 'customer_id: must not be blank' },
        {
          line: 8,
          reason:
            "placed_at: '02/03/2024' could be month/day or day/month; pass --date-order mdy (12/31/2010) or dmy (31/12/2010)",
        },
        {
          line: 9,
          reason:
            "placed_at: '2024-02-04 10:00:00' has no UTC offset; pass --timezone (e.g. --timezone Europe/London) to read it as local time",
        },
        { line: 13, reason: 'total: expected a decimal amount like 12.34' },
        { line: 14, reason: "quantity: expected a whole number, got 'x'" },
        {
          line: 15,
          reason: "order '1001' appears again after other orders; rows of one order must be consecutive",
        },
      ],
      aborted: false,
    } satisfies ImportSummary);
  });

  it('stores cancellations, refunds and return lines as such, with ids exact and money in minor units', async () => {
    await importFile(store, 'orders', fixture('orders-lines.csv'), {}, now);
    const { orders: stored, items, customers: people } = await snapshot();

    expect(stored.map((o) => [o.id, o.customerId, o.status, o.currency, o.totalMinor])).toEqual([
      ['1001', 'c1', 'paid', 'GBP', 3000],
      ['1002', 'c2', 'cancelled', 'GBP', 1500],
      ['1003', 'c1', 'refunded', 'GBP', 1000],
      // partially_refunded stays a purchase; the returned unit is a negative line.
      ['450789469123456789', '450789469123456789', 'paid', 'USD', 3000],
    ]);
    expect(stored[0]!.placedAt).toBe(Date.parse('2024-01-02T10:00:00Z'));
    expect(stored[0]!.discountCodes).toBe('["SPRING10"]');
    // Shopify's "2024-01-03 09:30:00 +0100".
    expect(stored[1]!.placedAt).toBe(Date.parse('2024-01-03T08:30:00Z'));
    expect(stored[3]!.placedAt).toBe(Date.parse('2024-03-01T13:00:00Z'));

    expect(
      items.map((i) => [i.orderId, i.lineNo, i.productId, i.title, i.quantity, i.unitPriceMinor]),
    ).toEqual([
      ['1001', 0, 'p1', 'Mug, large', 2, 1000],
      ['1001', 1, 'p2', 'Tea\ntowel', 1, 1000],
      ['1002', 0, 'p1', 'Mug', 1, 1500],
      ['1003', 0, 'p1', 'Mug, large', -1, 1000],
      ['450789469123456789', 0, 'p9', 'Big', 3, 1500],
      ['450789469123456789', 1, 'p9', 'Big', -1, 1500],
    ]);

    expect(people.map((c) => [c.id, c.email, c.firstName, c.lastName])).toEqual([
      ['450789469123456789', 'big@example.com', null, null],
      ['c1', 'ann@example.com', 'Ann', 'Lee'],
      ['c2', 'bo@example.com', 'Bo', null],
    ]);
  });

  it('reads times without an offset as local time when given a time zone', async () => {
    const summary = await importFile(
      store,
      'orders',
      fixture('orders-lines.csv'),
      { timezone: 'Europe/London' },
      now,
    );
    expect(summary.reasons['unparseable placed_at']).toBe(1);
    const [order] = await store.db.select().from(orders).where(eq(orders.id, '1006'));
    expect(order?.placedAt).toBe(Date.parse('2024-02-04T10:00:00Z'));

    const summer = join(dir, 'summer.csv');
    await writeFile(
      summer,
      'id,customer_id,placed_at,currency,total\nS1,c9,2024-07-01 10:00,GBP,1.00\nS2,c9,2024-07-02,GBP,1.00\n',
    );
    await importFile(store, 'orders', summer, { timezone: 'Europe/London' }, now);
    const [s1] = await store.db.select().from(orders).where(eq(orders.id, 'S1'));
    const [s2] = await store.db.select().from(orders).where(eq(orders.id, 'S2'));
    expect(s1?.placedAt).toBe(Date.parse('2024-07-01T09:00:00Z'));
    expect(s2?.placedAt).toBe(Date.parse('2024-07-01T23:00:00Z'));
  });

  it('creates customers from order rows only when missing, and re-importing changes nothing', async () => {
    await store.batch(
      upsertCustomers(
        store,
        [
          {
            id: 'c1',
            email: 'kept@example.com',
            firstName: 'Kept',
            lastName: null,
            locale: null,
            timezone: null,
            country: 'GB',
            tags: [],
            marketingConsent: true,
            createdAt: 1,
          },
        ],
        1,
      ),
    );
    const first = await importFile(store, 'orders', fixture('orders-lines.csv'), {}, now);
    expect(first.stored.customers).toBe(2);
    const before = await snapshot();
    expect(before.customers.find((c) => c.id === 'c1')).toMatchObject({
      email: 'kept@example.com',
      firstName: 'Kept',
      marketingConsent: true,
    });

    const again = await importFile(store, 'orders', fixture('orders-lines.csv'), {}, now + 1000);
    expect(again.stored).toEqual({ customers: 0, orders: 4, items: 6, carts: 0, products: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('--strict stores nothing when a row is bad, and everything when none is', async () => {
    await importFile(store, 'orders', fixture('orders-shopify.csv'), { map: { customer_id: 'Email' } }, now);
    const before = await snapshot();

    const aborted = await importFile(store, 'orders', fixture('orders-lines.csv'), { strict: true }, now);
    expect(aborted.aborted).toBe(true);
    expect(aborted.stored).toEqual({ customers: 0, orders: 0, items: 0, carts: 0, products: 0 });
    expect(aborted.rejections).toEqual([{ line: 7, reason: 'customer_id: must not be blank' }]);
    expect(await snapshot()).toEqual(before);

    const clean = join(dir, 'clean.csv');
    await writeFile(clean, 'id,customer_id,placed_at,currency,total\nX1,c1,2024-01-01T00:00:00Z,GBP,1.00\n');
    const stored = await importFile(store, 'orders', clean, { strict: true }, now);
    expect(stored).toMatchObject({ aborted: false, rejected: 0, stored: { orders: 1, customers: 1 } });
  });

  it('reports progress in bytes up to the file size', async () => {
    const seen: { rows: number; bytes: number; totalBytes: number }[] = [];
    await importFile(store, 'orders', fixture('orders-lines.csv'), { onProgress: (p) => seen.push(p) }, now);
    const last = seen.at(-1)!;
    expect(last.rows).toBe(12);
    expect(last.bytes).toBe(last.totalBytes);
    expect(seen.every((p) => p.bytes <= p.totalBytes)).toBe(true);
  });
});

describe('foreign column names', () => {
  it('reads a Shopify export with --map, mapping platform statuses', async () => {
    const summary = await importFile(
      store,
      'orders',
      fixture('orders-shopify.csv'),
      { map: { customer_id: 'Email' } },
      now,
    );
    expect(summary).toMatchObject({ rows: 6, rejected: 0, stored: { orders: 4, items: 6, customers: 4 } });
    const { orders: stored, items } = await snapshot();
    expect(stored.map((o) => [o.id, o.customerId, o.status, o.totalMinor, o.discountCodes])).toEqual([
      ['5120000001', 'ann@example.com', 'paid', 3990, '["WELCOME10"]'],
      ['5120000002', 'bo@example.com', 'paid', 2000, '[]'],
      ['5120000003', 'cy@example.com', 'cancelled', 500, '[]'],
      // "Cancelled at" marks an order cancelled whatever its payment status.
      ['5120000004', 'di@example.com', 'cancelled', 500, '[]'],
    ]);
    expect(stored[0]!.placedAt).toBe(Date.parse('2024-01-02T10:00:00Z'));
    expect(items.filter((i) => i.orderId === '5120000002').map((i) => i.quantity)).toEqual([2, -1]);
    expect(items[0]).toMatchObject({
      productId: 'CAN-1',
      title: 'Candle',
      quantity: 2,
      unitPriceMinor: 1495,
    });
  });

  it('rejects an unknown --map field, naming it and the allowed ones', async () => {
    const attempt = importFile(store, 'orders', fixture('orders-lines.csv'), { map: { buyer: 'X' } }, now);
    await expect(attempt).rejects.toThrow(AppError);
    await expect(attempt).rejects.toThrow(
      /unknown field 'buyer' in --map; fields of orders are: id, customer_id/,
    );
  });

  it('names a missing column and a missing file', async () => {
    const noCustomer = join(dir, 'no-customer.csv');
    await writeFile(noCustomer, 'id,placed_at,currency,total\n1,2024-01-01T00:00:00Z,GBP,1\n');
    await expect(importFile(store, 'orders', noCustomer, {}, now)).rejects.toThrow(
      /no-customer\.csv has no column for customer_id .*--map customer_id=COLUMN/,
    );
    await expect(
      importFile(store, 'orders', fixture('orders-lines.csv'), { map: { customer_id: 'Buyer' } }, now),
    ).rejects.toThrow(/has no column 'Buyer'/);
    await expect(importFile(store, 'orders', join(dir, 'nope.csv'), {}, now)).rejects.toThrow(
      `no such file: ${join(dir, 'nope.csv')}`,
    );
  });
});

describe('JSON Lines', () => {
  it('accepts inline items and flat rows, rejecting lossy numeric ids and broken lines', async () => {
    const summary = await importFile(store, 'orders', fixture('orders.jsonl'), {}, now);
    expect(summary).toMatchObject({
      rows: 6,
      rejected: 2,
      stored: { orders: 3, items: 5, customers: 3 },
      reasons: { 'invalid id': 1, 'unreadable line': 1 },
    });
    expect(summary.rejections[0]).toEqual({
      line: 5,
      reason: 'id: ids must be sent as strings (large numeric ids lose digits as JSON numbers)',
    });
    expect(summary.rejections[1]!.line).toBe(6);
    expect(summary.rejections[1]!.reason).toMatch(/^invalid JSON/);

    const { orders: stored, items } = await snapshot();
    expect(stored.map((o) => [o.id, o.customerId, o.status, o.totalMinor])).toEqual([
      ['j1', 'c1', 'paid', 3000],
      ['j2', 'c2', 'cancelled', 1250],
      ['j5', '450789469123456789', 'paid', 999],
    ]);
    expect(items.filter((i) => i.orderId === 'j2').map((i) => [i.productId, i.quantity])).toEqual([
      ['p1', 1],
      ['p3', -1],
    ]);

    const strict = await importFile(store, 'orders', fixture('orders.jsonl'), { strict: true }, now);
    expect(strict).toMatchObject({ aborted: true, rejected: 1, rejections: [{ line: 5 }] });
  });
});

describe('line prices finer than the currency, and orders without a total', () => {
  it('never rejects an order for a sub-minor line price; a missing total is the exact lines rounded once', async () => {
    const file = join(dir, 'fine.csv');
    await writeFile(
      file,
      [
        'id,customer_id,placed_at,status,currency,total,product_id,quantity,unit_price',
        // A given total is kept as it is; the 0.001 line is stored as 0.
        'A1,c1,2024-01-01T00:00:00Z,,GBP,5.00,p1,3,0.001',
        // A blank total: 2.555 + 10 x 0.0025 = 2.58 (the rounded lines would give 2.56).
        'A2,c1,2024-01-02T00:00:00Z,,GBP,,p1,1,2.555',
        'A2,,,,,,p2,10,0.0025',
        // Only returns and no total: a refund of what the lines add up to.
        'A3,c1,2024-01-03T00:00:00Z,,GBP,,p1,-2,1.005',
      ].join('\n'),
    );
    const summary = await importFile(store, 'orders', file, {}, now);
    expect(summary).toMatchObject({ rejected: 0, finerPrices: 4, stored: { orders: 3, items: 4 } });

    const { orders: stored, items } = await snapshot();
    expect(stored.map((o) => [o.id, o.status, o.totalMinor])).toEqual([
      ['A1', 'paid', 500],
      ['A2', 'paid', 258],
      ['A3', 'refunded', 201],
    ]);
    expect(items.map((i) => [i.orderId, i.quantity, i.unitPriceMinor])).toEqual([
      ['A1', 3, 0],
      ['A2', 1, 256],
      ['A2', 10, 0],
      ['A3', -2, 100],
    ]);
  });

  it('says what is wrong with a number that parsed, and calls only non-numbers unparseable', async () => {
    const file = join(dir, 'wrong.csv');
    await writeFile(
      file,
      [
        'id,customer_id,placed_at,status,currency,total,product_id,quantity,unit_price',
        'B1,c1,2024-01-01T00:00:00Z,,GBP,10.005,p1,1,10.00',
        'B2,c1,2024-01-01T00:00:00Z,,GBP,,p1,1,-0.001',
        'B3,c1,2024-01-01T00:00:00Z,,GBP,1.00,p1,0,1.00',
        'B4,c1,2024-01-01T00:00:00Z,,GBP,1.00,p1,1.5,1.00',
        'B5,c1,2024-01-01T00:00:00Z,,GBP,abc,p1,1,1.00',
        'B6,c1,2024-01-01T00:00:00Z,,GBP,,,,',
        'B7,c1,2024-01-01T00:00:00Z,paid,GBP,,p1,-1,2.00',
        'B8,c1,2024-01-01T00:00:00Z,,JPY,,p1,1,1.5',
      ].join('\n'),
    );
    const summary = await importFile(store, 'orders', file, {}, now);
    expect(summary.rejections).toEqual([
      { line: 2, reason: 'total: 10.005 has 3 decimals, GBP has 2' },
      { line: 3, reason: 'unit_price: must not be negative' },
      { line: 4, reason: 'quantity: quantity must not be 0' },
      { line: 5, reason: "quantity: expected a whole number, got '1.5'" },
      { line: 6, reason: 'total: expected a decimal amount like 12.34' },
      { line: 7, reason: 'total: must not be blank without line items to add up' },
      {
        line: 8,
        reason:
          'items: the lines add up to -2.00 GBP, below 0 for a paid order; give the total, or status refunded',
      },
    ]);
    expect(summary.reasons).toEqual({
      'invalid total': 1,
      'invalid unit_price': 1,
      'invalid quantity': 2,
      'unparseable total': 1,
      'blank total': 1,
      'invalid items': 1,
    });
    // 1.5 JPY is a line price finer than the yen: stored as 2, not rejected.
    expect(summary).toMatchObject({ finerPrices: 1, stored: { orders: 1 } });
  });
});

describe('a UCI Online Retail-style export (test/fixtures/import/README.md)', () => {
  const uci = fixture('uci-online-retail.csv');

  it('stores every order with a customer through the command a user runs, and counts the rounded prices', async () => {
    const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'uci.db')}` };
    const command = ['import', 'orders', uci, '--currency', 'GBP', '--date-order', 'mdy'];
    const run = await runCli([...command, '--timezone', 'Europe/London', '--json'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      kind: 'orders',
      rows: 13,
      stored: { customers: 3, orders: 6, items: 11, carts: 0, products: 0 },
      finerPrices: 3,
      rejected: 2,
      reasons: { 'blank customer_id': 1, 'part of a rejected order': 1 },
      rejections: [
        { line: 10, reason: 'customer_id: must not be blank' },
        { line: 11, reason: "part of order '900105', rejected at line 10" },
      ],
      aborted: false,
    } satisfies ImportSummary);

    const text = await runCli([...command, '--timezone', 'Europe/London'], env);
    expect(text.stdout).toContain('stored: 6 orders, 11 items, 0 new customers');
    expect(text.stdout).toContain('rounded: 3 line prices finer than the currency allows (like 0.001 GBP)');

    const cliStore = await openLibsqlStore({ url: env.DATABASE_URL });
    try {
      const stored = await cliStore.db.select().from(orders).orderBy(asc(orders.id));
      expect(stored.map((o) => [o.id, o.customerId, o.status, o.currency, o.totalMinor])).toEqual([
        ['900101', '20001', 'paid', 'GBP', 5772],
        ['900102', '20002', 'paid', 'GBP', 1700],
        // 12 x 0.001 + 2.10: the exact lines, rounded once.
        ['900103', '20001', 'paid', 'GBP', 211],
        ['900106', '20003', 'paid', 'GBP', 375],
        ['900107', '20002', 'paid', 'GBP', 250],
        // The cancellation invoice: only returned lines, so a refund.
        ['C900104', '20001', 'refunded', 'GBP', 510],
      ]);
      // Month first, UK local time: 12/13/2010 is December 13; June is BST.
      const placed = Object.fromEntries(stored.map((o) => [o.id, new Date(o.placedAt).toISOString()]));
      expect(placed['900101']).toBe('2010-12-01T08:26:00.000Z');
      expect(placed['900106']).toBe('2010-12-13T16:45:00.000Z');
      expect(placed['900107']).toBe('2011-06-15T09:00:00.000Z');
      const items = await cliStore.db.select().from(orderItems).where(eq(orderItems.orderId, '900102'));
      expect(items.map((i) => [i.productId, i.title, i.quantity, i.unitPriceMinor])).toEqual([
        ['71004', 'CUSHION FILLER PAD', 1, 0],
        ['71005', 'LINEN CUSHION COVER', 4, 425],
      ]);
    } finally {
      await cliStore.close();
    }
  });

  it('names the option a UCI file needs when it is missing', async () => {
    await expect(importFile(store, 'orders', uci, {}, now)).rejects.toThrow(
      /has no column for currency .*--currency VALUE/,
    );
    const noOrder = await importFile(
      store,
      'orders',
      uci,
      { currency: 'GBP', timezone: 'Europe/London' },
      now,
    );
    expect(noOrder.reasons['unparseable placed_at']).toBe(7);
    expect(noOrder.rejections[0]).toEqual({
      line: 2,
      reason:
        "placed_at: '12/1/2010 8:26' could be month/day or day/month; pass --date-order mdy (12/31/2010) or dmy (31/12/2010)",
    });
    const noZone = await importFile(store, 'orders', uci, { currency: 'GBP', dateOrder: 'mdy' }, now);
    expect(noZone.rejections[0]!.reason).toMatch(/'12\/1\/2010 8:26' has no UTC offset; pass --timezone/);
    await expect(
      importFile(store, 'orders', uci, { currency: 'pounds', dateOrder: 'mdy' }, now),
    ).rejects.toThrow(/--currency 'pounds': expected a 3-letter ISO 4217 currency code like EUR/);
  });
});

describe('rekindle import (CLI)', () => {
  it('imports with --json, exits 1 on --strict failure and 2 on usage errors', async () => {
    const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'cli.db')}` };
    const ok = await runCli(['import', 'orders', fixture('orders-lines.csv'), '--json'], env);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('');
    const summary = JSON.parse(ok.stdout) as ImportSummary;
    expect(Object.keys(summary)).toEqual([
      'kind',
      'rows',
      'stored',
      'finerPrices',
      'rejected',
      'reasons',
      'rejections',
      'aborted',
    ]);
    expect(summary).toMatchObject({ rows: 12, rejected: 6, stored: { orders: 4, items: 6 } });

    const strict = await runCli(['import', 'orders', fixture('orders-lines.csv'), '--strict'], env);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('aborted (--strict): nothing was stored');
    expect(strict.stdout).toContain('line 7: customer_id: must not be blank');

    const badMap = await runCli(['import', 'orders', fixture('orders-lines.csv'), '--map', 'buyer=X'], env);
    expect(badMap.code).toBe(2);
    expect(badMap.stderr).toContain("unknown field 'buyer' in --map; fields of orders are:");

    const missing = await runCli(['import', 'orders', join(dir, 'missing.csv')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`no such file: ${join(dir, 'missing.csv')}`);
  });
});

function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(root, 'bin/rekindle.js'), ...args],
      { env, cwd: dir },
      (error, stdout, stderr) => {
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}
