// Reads every row of every table as text through the libSQL driver, in its
// own process: the check that what the fuzz run stored can still be read.
// A value that is not valid UTF-8 makes the driver abort this process, which
// the parent reports; exit 0 means every table was read.
import { sql } from 'drizzle-orm';
import { openLibsqlStore } from '../../../src/db/libsql.ts';

const store = await openLibsqlStore({ url: process.argv[2] ?? '' });
const tables = await store.db.all<{ name: string }>(
  sql.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name"),
);
let rows = 0;
for (const { name } of tables) {
  const all = await store.db.all<Record<string, unknown>>(sql.raw(`select * from "${name}"`));
  rows += all.length;
  // Touch every value as a JS value, as a handler would.
  JSON.stringify(all);
}
await store.close();
process.stdout.write(`read ${tables.length} tables, ${rows} rows\n`);
