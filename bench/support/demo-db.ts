// A demo shop database for benchmarks that read a big shop, generated once and
// kept under ./data/bench/ (gitignored): a million customers take about ten
// minutes to load, so reruns reuse the file. The file name carries a hash of
// the generator's parameters and generatorVersion (bump it when the generator's
// output changes); migrations are applied on every open, so schema changes
// need no reload.
// A load that stops half way leaves no `.ready` mark beside the file, never a
// cache hit. The file is written where it stays, never renamed: a libSQL
// connection keeps its file, WAL and shared-memory index open until it is
// garbage collected, whatever close() says, and SQLite shares that index
// between connections of one process by inode, so a renamed file's next
// connection in the same process read a stale index while another process
// wrote the real one: the 300,000-customer shop came out corrupt
// (SQLITE_NOTADB) after its first sweep.
import { createHash } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrateLibsql, openLibsqlStore } from '../../src/db/libsql.ts';
import { loadDemoShop } from '../../src/demo/load.ts';
import type { DemoShopOptions } from '../../src/demo/shop.ts';
import { endStatus, log, status } from './log.ts';

const cacheDir = resolve(import.meta.dirname, '../../data/bench');
/** Bump when the generator's output changes, so benches stop reusing older shops. */
const generatorVersion = 1;

export async function cachedDemoDb(options: Required<Pick<DemoShopOptions, 'now' | 'seed' | 'customers'>>) {
  const path = join(cacheDir, `demo-${options.customers}-${cacheKey(options)}.db`);
  if (!(await exists(`${path}.ready`))) await generate(path, options);
  else log(`demo shop: reusing ${path}`);
  const store = await openLibsqlStore({ url: `file:${path}` });
  try {
    await migrateLibsql(store);
  } finally {
    await store.close();
  }
  return path;
}

async function generate(
  path: string,
  options: Required<Pick<DemoShopOptions, 'now' | 'seed' | 'customers'>>,
) {
  await mkdir(cacheDir, { recursive: true });
  await removeDb(path);
  const started = performance.now();
  const store = await openLibsqlStore({ url: `file:${path}` });
  try {
    await migrateLibsql(store);
    await loadDemoShop(store, options, (p) =>
      status(
        `demo shop: ${p.customersDone.toLocaleString('en')} / ${p.customersTotal.toLocaleString('en')} customers`,
      ),
    );
    endStatus();
    await store.db.run(sql.raw('PRAGMA wal_checkpoint(TRUNCATE)'));
  } finally {
    await store.close();
  }
  await writeFile(`${path}.ready`, `${new Date().toISOString()}\n`);
  log(`demo shop: generated ${path} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

function cacheKey(options: object): string {
  return createHash('sha256')
    .update(JSON.stringify({ ...options, generatorVersion }))
    .digest('hex')
    .slice(0, 12);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function removeDb(path: string): Promise<void> {
  for (const suffix of ['.ready', '', '-wal', '-shm']) await rm(`${path}${suffix}`, { force: true });
}
