import { access, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseNodeEnv } from '../../../src/config/env.ts';
import { migrateLibsql, openLibsqlStore } from '../../../src/db/libsql.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import { type RunningServer, startNodeServer } from '../../../src/entry/node-server.ts';
import { CampaignSetError } from '../../../src/services/campaigns/campaign-registry.ts';
import { seedSmallShop } from '../support/sweep-seed.ts';

let dir: string;
let server: RunningServer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rekindle-serve-'));
  await cp('campaigns', join(dir, 'campaigns'), { recursive: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

const config = () =>
  parseNodeEnv({
    DATABASE_URL: `file:${join(dir, 'rekindle.db')}`,
    PORT: '0',
    CAMPAIGNS_DIR: join(dir, 'campaigns'),
    EMAILS_DIR: 'emails',
    OUTBOX_DIR: join(dir, 'outbox'),
  });

async function breakWinback() {
  const file = join(dir, 'campaigns', 'winback.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace('days: 90', 'days: ninety'));
}

describe('rekindle serve', () => {
  it('refuses to start on an invalid campaign set, before creating the database', async () => {
    await breakWinback();
    const starting = startNodeServer(config(), { log: () => {} });
    await expect(starting).rejects.toThrow(CampaignSetError);
    await expect(starting).rejects.toThrow(/winback\.yaml:\d+:\d+ trigger\.days/);
    await expect(access(join(dir, 'rekindle.db'))).rejects.toThrow();
  });

  it('schedules both sweeps from the settings, logs one line per run, keeps the last valid set on reload', async () => {
    // The shop exists before the server starts, as it would in production.
    const seeded = await openLibsqlStore({ url: config().DATABASE_URL });
    await migrateLibsql(seeded);
    await seedSmallShop(seeded, Date.now());
    const key = (await createApiKey(seeded, { name: 'cron', scopes: ['sweeps'], now: Date.now() })).secret;
    await seeded.close();

    const lines: string[] = [];
    server = await startNodeServer(config(), {
      log: (line) => lines.push(line),
      deliver: false,
      cronTicks: false,
    });
    expect(server.scheduler?.list().map(({ name, cron }) => ({ name, cron }))).toEqual([
      { name: 'sweep:dormant', cron: '0 3 * * *' },
      { name: 'sweep:cart_stock', cron: '*/5 * * * *' },
    ]);

    expect(await server.scheduler?.runNow('sweep:dormant')).toBe('ran');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^sweep dormant: done; 3 campaigns, 2 eligible, 0 excluded, \d held out, \d scheduled \(\d deferred\) in \d+ ms$/,
    );
    expect(lines.join('\n')).not.toContain('@');

    await breakWinback();
    expect((await server.reloadCampaigns()).status).toBe('kept');
    expect(lines.at(-1)).toMatch(
      /winback\.yaml:\d+:\d+ trigger\.days[\s\S]*keeping the last valid campaign set/,
    );

    // The API still sweeps with the last valid set.
    const response = await fetch(`http://127.0.0.1:${server.port}/v1/sweeps`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ dry_run: false, only: ['dormant'] }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { campaigns: unknown[] }).campaigns).toHaveLength(1);

    const store = await openLibsqlStore({ url: config().DATABASE_URL });
    const rows = await store.db.all<{ n: number }>(sql`select count(*) as n from messages`);
    await store.close();
    expect(rows[0]?.n).toBe(2);
  });

  it('picks up changed settings before a scheduled run and moves the schedule', async () => {
    const lines: string[] = [];
    server = await startNodeServer(config(), {
      log: (line) => lines.push(line),
      deliver: false,
      cronTicks: false,
    });
    const settings = join(dir, 'campaigns', 'settings.yaml');
    await writeFile(settings, (await readFile(settings, 'utf8')).replace('"*/5 * * * *"', '"*/10 * * * *"'));
    expect(await server.scheduler?.runNow('sweep:cart_stock')).toBe('ran');
    expect(server.scheduler?.list().find((j) => j.name === 'sweep:cart_stock')?.cron).toBe('*/10 * * * *');
    expect(lines.at(-1)).toMatch(/^sweep cart_stock: done; 5 campaigns/);
  });

  it('delivers what the sweeps schedule: the delivery loop writes the .eml files', async () => {
    const seeded = await openLibsqlStore({ url: config().DATABASE_URL });
    await migrateLibsql(seeded);
    await seedSmallShop(seeded, Date.now());
    await seeded.close();

    const lines: string[] = [];
    server = await startNodeServer(config(), { log: (line) => lines.push(line), cronTicks: false });
    expect(await server.scheduler?.runNow('sweep:dormant')).toBe('ran');

    const store = await openLibsqlStore({ url: config().DATABASE_URL });
    try {
      // The send window may have put them later in the day: let that time come.
      await store.db.run(sql`update messages set due_at = ${Date.now()} where status = 'scheduled'`);
      const due = (
        await store.db.all<{ id: string }>(sql`select id from messages where status = 'scheduled'`)
      ).map((m) => m.id);
      expect(due.length).toBeGreaterThan(0);
      for (let waited = 0; waited < 20_000; waited += 200) {
        const sent = await store.db.all<{ id: string }>(sql`select id from messages where status = 'sent'`);
        if (sent.length >= due.length) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const sent = await store.db.all<{ id: string }>(sql`select id from messages where status = 'sent'`);
      expect(sent.map((m) => m.id).sort()).toEqual(due.sort());
      const files = await readdir(join(dir, 'outbox'));
      expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(due.length);
      expect(lines.join('\n')).not.toContain('@');
    } finally {
      await store.close();
    }
  });
});
