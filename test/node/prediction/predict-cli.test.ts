// rekindle predict's edges through the CLI entry: --help describes and does
// nothing (no database appears, a broken --now is never read), a shop with
// too little history gets the guard rail's message on stderr and exit code 1
// with nothing predicted, an empty shop likewise, and bad options are usage
// errors that name the option.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../../src/cli/commands.ts';
import { runCliInProcess } from '../support/cli.ts';

let dir: string;
let env: Record<string, string>;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rekindle-predict-'));
  env = { DATABASE_URL: `file:${join(dir, 'shop.db')}`, OUTBOX_DIR: join(dir, 'outbox') };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = (argv: string[]) => runCliInProcess(argv, env);

/** 30 customers, every third of whom bought again: far below the guard rail's 200 and 50. */
async function importSmallShop(): Promise<void> {
  const rows: string[] = [];
  for (let i = 1; i <= 30; i++) {
    rows.push(`o${i}a,c${i},2024-01-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z,EUR,${10 + i}.00`);
    if (i % 3 === 0)
      rows.push(`o${i}b,c${i},2024-03-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z,EUR,20.00`);
  }
  const file = join(dir, 'orders.csv');
  await writeFile(file, `id,customer_id,placed_at,currency,total\n${rows.join('\n')}\n`);
  const imported = await cli(['import', 'orders', file]);
  expect(imported.code, imported.stderr).toBe(0);
}

describe('rekindle predict --help', () => {
  it('prints the help and does nothing else', async () => {
    for (const argv of [
      ['predict', '--help'],
      ['predict', '--now', 'not a time', '--holdout-days', 'x', '-h'],
    ]) {
      const run = await cli(argv);
      expect([run.code, run.stderr]).toEqual([0, '']);
      expect(run.stdout).toBe(commands.find((c) => c.name === 'predict')!.help);
    }
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('rekindle predict on a shop too small for a stable fit', () => {
  it('says why on stderr, exits 1 and predicts nothing', async () => {
    await importSmallShop();
    const reason =
      'too little history for a stable fit: 30 customers (need 200), 10 of them with a repeat purchase (need 50); the model is not used';
    const json = await cli(['predict', '--now', '2024-06-01T00:00:00Z', '--json', '--customer', 'c3']);
    expect([json.code, json.stderr]).toEqual([1, `rekindle: ${reason}\n`]);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({
      currency: 'EUR',
      customers: 30,
      repeatCustomers: 10,
      purchases: { usable: false, reason },
      spend: { usable: false },
      customer: {
        id: 'c3',
        x: 1,
        probabilityAlive: null,
        expectedPurchases90Days: null,
        nextOrderDate: null,
        expectedValue12Months: null,
      },
    });
    const text = await cli(['predict', '--now', '2024-06-01T00:00:00Z', '--holdout-days', '30']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`  not used: ${reason}`);
    expect(text.stdout).not.toContain('calibration check');
  });

  it('an empty shop: nothing to fit, exit 1', async () => {
    const run = await cli(['predict', '--now', '2024-06-01T00:00:00Z', '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('rekindle: no paid order by 2024-06-01T00:00:00.000Z; the model is not used\n');
    expect(JSON.parse(run.stdout)).toMatchObject({
      currency: null,
      customers: 0,
      purchases: { params: null },
    });
  });
});

describe('rekindle predict usage errors', () => {
  it('name the option and open nothing', async () => {
    const cases: [string[], string][] = [
      [['--now', 'yesterday'], '--now: expected an ISO 8601 time'],
      [['--holdout-days', '0'], "--holdout-days must be a whole number of days, 1 or more, got '0'"],
      [['--holdout-days', '2.5'], "--holdout-days must be a whole number of days, 1 or more, got '2.5'"],
      [['--currency', 'euro'], "--currency must be a three-letter currency code, got 'euro'"],
      [['--customer', ' '], '--customer needs a customer id'],
      [['--frobnicate'], "Unknown option '--frobnicate'"],
    ];
    for (const [argv, message] of cases) {
      const run = await cli(['predict', ...argv]);
      expect({ argv, code: run.code }).toEqual({ argv, code: 2 });
      expect(run.stderr).toContain(message);
    }
    expect(existsSync(join(dir, 'shop.db'))).toBe(false);
  });
});
