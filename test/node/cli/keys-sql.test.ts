// A key for the Worker's D1, which the CLI cannot reach: `keys create --sql
// FILE` writes the key's row (its hash, never the key) as SQL and opens no
// database; the SQL applied to a database makes the printed key work.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/create-app.ts';
import { runCliInProcess } from '../support/cli.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let dir: string;
let temp: TempStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rekindle-keys-sql-'));
  temp = await openTempStore();
});
afterEach(async () => {
  await temp.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const cli = (argv: string[]) =>
  runCliInProcess(argv, { DATABASE_URL: `file:${join(dir, 'never.db')}`, OUTBOX_DIR: join(dir, 'outbox') });

describe('rekindle keys create --sql', () => {
  it('writes the row as SQL without the key, opens no database, and the printed key then works', async () => {
    const file = join(dir, 'key.sql');
    const run = await cli([
      'keys',
      'create',
      '--scopes',
      'ingest',
      '--name',
      "O'Brien's shop",
      '--sql',
      file,
    ]);
    expect(run.code).toBe(0);
    const key = run.stdout.trim();
    expect(key).toMatch(/^\S{20,}$/);
    expect(run.stderr).toContain(`wrangler d1 execute DB --local --file ${file}`);
    expect((await readdir(dir)).sort()).toEqual(['key.sql']);

    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^insert into api_keys \(id, name, hash, scopes, created_at\) values \(/);
    expect(text).not.toContain(key);

    const app = createApp({ store: temp.store, now: () => Date.now() });
    const post = () =>
      app.request('/v1/customers', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'c1', email: 'ada@example.com', marketing_consent: true }),
      });
    expect((await post()).status).toBe(401);
    await temp.store.db.run(sql.raw(text));
    const answer = await post();
    expect(answer.status).toBe(200);
    const [row] = await temp.store.db.all<{ name: string; scopes: string }>(
      sql`select name, scopes from api_keys`,
    );
    expect(row).toEqual({ name: "O'Brien's shop", scopes: '["ingest"]' });
  });

  it('refuses to overwrite a file, and --sql without create', async () => {
    const file = join(dir, 'key.sql');
    expect((await cli(['keys', 'create', '--scopes', 'ingest', '--sql', file])).code).toBe(0);
    const again = await cli(['keys', 'create', '--scopes', 'ingest', '--sql', file]);
    expect([again.code, again.stderr]).toEqual([2, `rekindle: ${file} exists; name a new file\n`]);
    const list = await cli(['keys', 'list', '--sql', file]);
    expect(list.code).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(['key.sql']);
  });
});
