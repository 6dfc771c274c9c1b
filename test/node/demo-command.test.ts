import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoCommand } from '../../src/cli/demo.ts';
import { type CliIO, UsageError } from '../../src/cli/io.ts';
import { parseNodeEnv } from '../../src/config/env.ts';
import { migrateLibsql, openLibsqlStore } from '../../src/db/libsql.ts';

let dir: string;
let dbPath: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rekindle-demo-cli-'));
  dbPath = join(dir, 'data', 'rekindle.db');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function cli(databaseUrl = `file:${dbPath}`) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _encoding, done) {
        into.push(String(chunk));
        done();
      },
    });
  const config = parseNodeEnv({ DATABASE_URL: databaseUrl });
  const io: CliIO = {
    config,
    stdout: sink(out),
    stderr: sink(err),
    interactive: false,
    now: () => Date.parse('2026-11-20T12:00:00Z'),
    async openStore() {
      const store = await openLibsqlStore({ url: config.DATABASE_URL });
      await migrateLibsql(store);
      return store;
    },
  };
  return { io, out, err };
}

async function demo(args: string[], databaseUrl?: string) {
  const { io, out } = cli(databaseUrl);
  const code = await demoCommand(args, io);
  return { code, text: out.join('') };
}

describe('rekindle demo', () => {
  it('loads the shop and reports what it stored, the same on a second run', async () => {
    const args = ['--customers', '150', '--seed', 'cli', '--now', '2026-11-20T12:00:00Z', '--json'];
    const first = await demo(args);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.text);
    expect(report.generated).toEqual({ seed: 'cli', now: '2026-11-20T12:00:00.000Z', customers: 150 });
    expect(report.tables.customers).toBe(150);
    expect(report.tables.products).toBe(300);
    expect(report.tables.orders).toBeGreaterThan(300);
    const second = JSON.parse((await demo(args)).text);
    expect(second.tables).toEqual(report.tables);
    expect(second.customers).toEqual(report.customers);
  });

  it('prints a readable summary', async () => {
    const { text } = await demo(['--customers', '100', '--now', '2026-11-20T12:00:00+01:00']);
    expect(text).toContain("demo shop (seed 'rekindle', now 2026-11-20T11:00:00.000Z)");
    expect(text).toMatch(/^customers\s+100$/m);
    expect(text).toMatch(/dormant \(last purchase > 90 days ago\): \d+/);
    expect(text).toMatch(/open carts: \d+ \(idle < 1 h: \d+/);
    expect(text).toMatch(/out-of-stock products: 24, 24 with a waitlist/);
  });

  it('--reset starts from an empty database file and deletes nothing else', async () => {
    await demo(['--customers', '50']);
    await writeFile(join(dir, 'data', 'keep.txt'), 'mine');
    const store = await openLibsqlStore({ url: `file:${dbPath}` });
    await store.db.run(sql`insert into customers (id, created_at, updated_at) values ('left-over', 0, 0)`);
    await store.close();
    const kept = JSON.parse((await demo(['--customers', '50', '--json'])).text);
    expect(kept.tables.customers).toBe(51);
    const reset = JSON.parse((await demo(['--customers', '50', '--reset', '--json'])).text);
    expect(reset.tables.customers).toBe(50);
    expect(await readFile(join(dir, 'data', 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('refuses --reset for a database that is not a local file, and bad options', async () => {
    await expect(demo(['--reset'], 'libsql://user:secret@db.example.com')).rejects.toThrow(
      /--reset only deletes a local file database; DATABASE_URL is libsql:\/\/\*\*\*@db\.example\.com/,
    );
    await expect(demo(['--customers', 'lots'])).rejects.toThrow(UsageError);
    await expect(demo(['--now', '2026-11-20'])).rejects.toThrow(
      /--now: expected an ISO 8601 time with offset/,
    );
  });
});
