// rekindle send and rekindle send-test, run as the real CLI against a libSQL
// file, the shipped campaigns and templates, and the default .eml folder.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messages } from '../../../src/db/schema/index.ts';
import { runRekindle } from '../support/cli.ts';
import { seedCustomers, seedMessages } from '../support/delivery-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  await temp.cleanup();
});

const rekindle = (args: string[], env: Record<string, string>) =>
  runRekindle(args, { SMTP_URL: undefined, SIGNING_SECRET: undefined, ...env });

// Each run starts a Node process that transpiles the CLI: slow on a busy machine.
describe('rekindle send', { timeout: 90_000 }, () => {
  it('drains the outbox into .eml files and prints the counts', async () => {
    const outbox = join(temp.dir, 'outbox');
    // Due long ago, so the shipped campaign's send window cannot matter.
    await seedMessages(temp.store, await seedCustomers(temp.store, 2), { dueAt: 0 });
    await seedMessages(temp.store, ['c1'], {
      id: 'gone',
      dedupeKey: 'retired:0:c1:x',
      campaignId: 'retired',
      dueAt: 0,
    });
    const env = {
      DATABASE_URL: temp.url,
      OUTBOX_DIR: outbox,
      SIGNING_SECRET: 'cli-test-secret-0123456789',
      PUBLIC_BASE_URL: 'https://mail.shop.example',
    };
    const run = await rekindle(['send', '--json'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      transport: 'eml',
      outbox_dir: outbox,
      claimed: 3,
      sent: 2,
      cancelled: 1,
      cancelReasons: { campaign_removed: 1 },
    });
    const files = (await readdir(outbox)).sort();
    expect(files).toEqual(['m00001.eml', 'm00002.eml']);
    const parsed = await simpleParser(await readFile(join(outbox, files[0]!)));
    expect(parsed.html).toContain('https://mail.shop.example/u/');
    expect(parsed.text).toBeTruthy();
    expect(parsed.headerLines.map((h) => h.key)).toContain('list-unsubscribe-post');
    const rows = await temp.store.db.select().from(messages);
    expect(rows.filter((r) => r.status === 'sent').every((r) => JSON.parse(r.links!).length > 0)).toBe(true);

    const again = await rekindle(['send'], env);
    expect(again.stdout).toMatch(/^claimed\s+sent/);
    expect(again.code).toBe(0);
  });

  it('refuses a bad --limit', async () => {
    const run = await rekindle(['send', '--limit', '0'], { DATABASE_URL: temp.url });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--limit');
  });
});

describe('rekindle send-test', { timeout: 90_000 }, () => {
  it('sends the sample of a campaign step to the given address, warning about the local-only key', async () => {
    const outbox = join(temp.dir, 'outbox');
    const run = await rekindle(['send-test', 'abandoned-cart', '--to', 'me@example.com', '--step', '2'], {
      DATABASE_URL: temp.url,
      OUTBOX_DIR: outbox,
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('SIGNING_SECRET is unset');
    expect(run.stdout).toMatch(/^sent abandoned-cart step 2 to me@example.com via .*\.eml\n$/);
    const [file] = await readdir(outbox);
    const parsed = await simpleParser(await readFile(join(outbox, file!)));
    expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.value[0]?.address).toBe('me@example.com');
    expect(parsed.html).toContain('<html');
    expect(await temp.store.db.select().from(messages)).toEqual([]);
  });

  it('needs --to', async () => {
    const run = await rekindle(['send-test', 'winback'], { DATABASE_URL: temp.url });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--to');
  });
});
