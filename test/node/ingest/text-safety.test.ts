// Text that is not well-formed Unicode never reaches the database: every /v1
// body and `rekindle import` refuse a lone surrogate naming the row (line) and
// field; the JSON serialiser for SQL writes U+FFFD should validation be
// missed; and migrateLibsql repairs values an older version stored as encoded
// surrogates. Poison values are only ever read as text in a child process
// (test/node/support/text-reader.ts): in this one they would abort vitest.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateLibsql, migrationsFolder, openLibsqlStore } from '../../../src/db/libsql.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { importFile } from '../support/import-file.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';
import { readEveryValueAsText } from '../support/text-reader.ts';

const now = Date.parse('2026-11-01T12:00:00Z');
const lone = '\ud800';
let temp: TempStore;
let app: ReturnType<typeof createApp>;
let key: string;

beforeEach(async () => {
  temp = await openTempStore();
  app = createApp({ store: temp.store, now: () => now });
  key = (await createApiKey(temp.store, { name: 'platform', scopes: ['ingest', 'coupons'], now })).secret;
});
afterEach(() => temp.cleanup());

function post(path: string, body: unknown) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    // JSON.stringify writes the lone surrogate as the escape \ud800, as a platform would.
    body: JSON.stringify(body),
  });
}

const order = {
  id: 'o1',
  customer_id: 'c1',
  placed_at: '2026-10-01T09:30:00Z',
  currency: 'GBP',
  total: '10.00',
  items: [{ product_id: 'p1', title: 'Mug', quantity: 1, unit_price: '10.00' }],
};
const cart = {
  id: 'k1',
  email: 'bo@example.com',
  currency: 'GBP',
  last_activity_at: '2026-10-31T22:00:00Z',
  items: [{ product_id: 'p1', title: 'Mug', quantity: 1, unit_price: '10.00' }],
};
const product = { id: 'p1', title: 'Mug', currency: 'GBP', price: '10.00', stock: 1 };

// Each body holds one lone surrogate, in `field`, which the 400 must name.
const poisoned: [string, unknown, string][] = [
  [
    '/v1/customers',
    { id: 'c1', email: 'a@example.com', first_name: lone, marketing_consent: true },
    'first_name',
  ],
  ['/v1/customers', { id: `c${lone}` }, 'id'],
  ['/v1/customers', { id: 'c1', email: `a${lone}@example.com` }, 'email'],
  ['/v1/customers', { id: 'c1', locale: `en${lone}` }, 'locale'],
  ['/v1/customers', { id: 'c1', tags: ['vip', lone] }, 'tags[1]'],
  ['/v1/orders', { ...order, customer_id: lone }, 'customer_id'],
  ['/v1/orders', { ...order, discount_codes: [`BACK${lone}`] }, 'discount_codes[0]'],
  ['/v1/orders', { ...order, items: [{ ...order.items[0], title: `Mug${lone}` }] }, 'items[0].title'],
  ['/v1/carts', { ...cart, recovery_url: `https://shop.example/r/${lone}` }, 'recovery_url'],
  ['/v1/carts', { ...cart, items: [{ ...cart.items[0], product_id: lone }] }, 'items[0].product_id'],
  ['/v1/products', { ...product, title: `Mug ${lone}` }, 'title'],
  ['/v1/products', { ...product, category: lone }, 'category'],
  ['/v1/products', { ...product, image_url: `https://shop.example/${lone}.jpg` }, 'image_url'],
  ['/v1/waitlist', { product_id: `p${lone}`, email: 'cy@example.com' }, 'product_id'],
  ['/v1/events', { type: 'delivered', message_id: `m${lone}` }, 'message_id'],
  ['/v1/coupons/validate', { code: `BACK${lone}`, subtotal: '10.00', currency: 'GBP' }, 'code'],
  [
    '/v1/redemptions',
    { code: 'BACK-AAAA', order_id: `o${lone}`, currency: 'GBP', order_total: '10.00' },
    'order_id',
  ],
];

describe('a lone surrogate in a request', () => {
  it.each(poisoned.map(([route, body, field]) => ({ route, body, field })))(
    '$route answers 400 naming $field and stores nothing',
    async ({ route, body, field }) => {
      const before = await snapshot(temp.store);
      const response = await post(route, body);
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as {
        error: { details: { field?: string; message: string }[] };
      };
      expect(error.details).toContainEqual({ field, message: expect.stringContaining('valid Unicode') });
      expect(await snapshot(temp.store)).toEqual(before);
    },
  );

  it('names the row of a batch', async () => {
    const response = await post('/v1/customers', [{ id: 'c1' }, { id: 'c2', last_name: `Lee${lone}` }]);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { details: unknown[] } };
    expect(error.details).toEqual([
      { row: 1, field: 'last_name', message: expect.stringContaining('valid Unicode') },
    ]);
  });

  it("the finding's request leaves a store every value of which reads back", async () => {
    await post('/v1/customers', {
      id: 'c1',
      email: 'a@example.com',
      first_name: lone,
      marketing_consent: true,
    });
    await post('/v1/customers', { id: 'c2', first_name: 'Ada \ud83d\ude00' });
    expect(await readEveryValueAsText(temp.url)).toMatchObject({ ok: true });
  });
});

describe('the JSON serialiser for SQL, should validation be missed', () => {
  it('stores U+FFFD for a lone surrogate in any JSON-bound value, and keeps pairs', async () => {
    await ingestRecords(
      { store: temp.store },
      {
        kind: 'customers',
        records: [
          {
            id: `c${lone}`,
            email: null,
            firstName: `A${lone}\ud83d\ude00\\ud800`,
            lastName: null,
            locale: null,
            timezone: null,
            country: null,
            tags: [`t${lone}`],
            marketingConsent: false,
            createdAt: null,
          },
        ],
        now,
      },
    );
    const rows = await temp.store.db.all<{ id: string; first: string; tags: string }>(
      sql`select hex(id) as id, hex(first_name) as first, hex(tags) as tags from customers`,
    );
    const hex = (text: string) => Buffer.from(text).toString('hex').toUpperCase();
    // The literal text "\ud800" (a backslash and five letters) is kept as it is.
    expect(rows).toEqual([
      { id: hex('c\ufffd'), first: hex('A\ufffd\ud83d\ude00\\ud800'), tags: hex('["t\ufffd"]') },
    ]);
    expect(await readEveryValueAsText(temp.url)).toMatchObject({ ok: true });
  });
});

describe('rekindle import', () => {
  it('rejects a JSON Lines row with a lone surrogate by its line and field, and stores the rest', async () => {
    const file = join(temp.dir, 'customers.jsonl');
    await writeFile(
      file,
      [
        '{"id":"c1","email":"a@example.com","first_name":"Ann"}',
        '{"id":"c2","email":"b@example.com","first_name":"\\ud800"}',
        '{"id":"c3","email":"c@example.com","tags":["\\udfff"]}',
        '{"id":"c4","email":"d@example.com","first_name":"Ada \\ud83d\\ude00"}',
      ].join('\n'),
    );
    const summary = await importFile(temp.store, 'customers', file, {}, now);
    expect(summary).toMatchObject({
      stored: { customers: 2 },
      rejected: 2,
      rejections: [
        { line: 2, reason: expect.stringMatching(/^first_name: must be valid Unicode/) },
        { line: 3, reason: expect.stringMatching(/^tags: must be valid Unicode/) },
      ],
    });
    expect(await readEveryValueAsText(temp.url)).toMatchObject({ ok: true });
  });
});

describe('migrateLibsql repairs text stored as encoded surrogates', () => {
  /** A store migrated as it was before the repair migration existed. */
  async function olderStore(): Promise<TempStore> {
    const dir = await mkdtemp(join(tmpdir(), 'rekindle-repair-'));
    const folder = join(dir, 'drizzle');
    await cp(migrationsFolder, folder, { recursive: true });
    const journalFile = join(folder, 'meta/_journal.json');
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: { tag: string }[] };
    const at = journal.entries.findIndex((entry) => entry.tag.endsWith('_repair_text'));
    expect(at).toBeGreaterThan(0);
    journal.entries = journal.entries.slice(0, at);
    await writeFile(journalFile, JSON.stringify(journal));
    const url = `file:${join(dir, 'rekindle.db')}`;
    const store = await openLibsqlStore({ url });
    // biome-ignore lint/suspicious/noExplicitAny: drizzle's migrator wants the driver-specific type.
    await migrate(store.db as any, { migrationsFolder: folder });
    return {
      store,
      dir,
      url,
      async cleanup() {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }

  it('rewrites every such value as U+FFFD, once, and leaves valid text alone', async () => {
    await temp.cleanup();
    temp = await olderStore();
    const poison = (text: string) => sql`json_extract(${JSON.stringify({ a: text })}, '$.a')`;
    // What the old jsonRows wrote: ids, names, tags and line titles as encoded surrogates.
    await temp.store.db.run(sql`insert into customers (id, email, first_name, last_name, tags, created_at, updated_at)
      select ${poison(`c${lone}`)}, 'a@example.com', ${poison(`Ann${lone}`)}, '하나', ${poison(`["${lone}"]`)}, 1, 1`);
    // Two ids that differ only in their lone surrogate repair to one text; the second keeps its rowid.
    await temp.store.db.run(sql`insert into customers (id, first_name, tags, created_at, updated_at)
      select ${poison('c\udbff')}, ${poison('pair \ud83d\ude00')}, '[]', 1, 1`);
    await temp.store.db.run(sql`insert into orders (id, customer_id, placed_at, status, currency, total_minor, discount_codes, updated_at)
      select 'o1', ${poison(`c${lone}`)}, 1, 'paid', 'GBP', 100, ${poison(`["B${lone}"]`)}, 1`);
    await temp.store.db.run(sql`insert into order_items (order_id, line_no, product_id, title, quantity, unit_price_minor)
      select 'o1', 0, 'p1', ${poison(`Mug ${lone}${lone}`)}, 1, 100`);
    expect(await readEveryValueAsText(temp.url)).toEqual({
      ok: false,
      stderr: expect.stringContaining('Utf8Error'),
    });

    await migrateLibsql(temp.store);

    expect(await readEveryValueAsText(temp.url)).toMatchObject({ ok: true });
    const people = await temp.store.db.all(
      sql`select id, first_name, last_name, tags from customers order by rowid`,
    );
    expect(people).toEqual([
      { id: 'c\ufffd', first_name: 'Ann\ufffd', last_name: '하나', tags: '["\ufffd"]' },
      { id: 'c\ufffd~2', first_name: 'pair \ud83d\ude00', last_name: null, tags: '[]' },
    ]);
    expect(await temp.store.db.all(sql`select customer_id, discount_codes from orders`)).toEqual([
      { customer_id: 'c\ufffd', discount_codes: '["B\ufffd"]' },
    ]);
    expect(await temp.store.db.all(sql`select title from order_items`)).toEqual([
      { title: 'Mug \ufffd\ufffd' },
    ]);
    expect(await temp.store.db.all(sql`select name from pending_repairs`)).toEqual([]);

    // Once: a second migrate changes nothing, and does not even look again
    // (a poison value written after the repair ran stays as it is).
    const repaired = await snapshot(temp.store);
    await migrateLibsql(temp.store);
    expect(await snapshot(temp.store)).toEqual(repaired);
    await temp.store.db.run(sql`update customers set last_name = ${poison(lone)} where rowid = 1`);
    await migrateLibsql(temp.store);
    const [late] = await temp.store.db.all<{ last: string }>(
      sql`select hex(last_name) as last from customers where rowid = 1`,
    );
    expect(late?.last).toBe('EDA080');
    await temp.store.db.run(sql`update customers set last_name = '하나' where rowid = 1`);
    expect(await snapshot(temp.store)).toEqual(repaired);
  });
});
