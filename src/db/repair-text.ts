// One-time repair of text that older versions stored as encoded lone
// surrogates: JSON.stringify writes a lone surrogate as "\ud800", SQLite's
// json_extract turned that into the bytes ED A0 80, and reading such a TEXT
// value aborts the libSQL driver. migrateLibsql runs this after the SQL
// migrations while drizzle/0007_repair_text.sql has left its name queued.
// Every text column of every table of the drizzle schema is covered.
//
// It must never read a suspect value as text (that is the crash): candidates
// are found in SQL by their bytes and read as blobs. Bytes that came from a JS
// string can only be malformed as encoded surrogates, and every encoded
// surrogate starts with the byte ED, so `instr(cast(col as blob), x'ED')`
// finds them all (plus valid text such as Hangul, which is left unchanged).
import { sql } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from './schema/index.ts';
import type { Store } from './store.ts';

/** The name drizzle/0007_repair_text.sql queues in `pending_repairs`. */
export const surrogateRepair = 'text_encoded_surrogates';

const rowsPerPage = 500;
// ignoreBOM keeps a leading U+FEFF a value may hold instead of dropping it.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

/** Text columns per table, straight from the drizzle schema. */
export function textColumns(): { table: string; columns: string[] }[] {
  return (Object.values(schema) as unknown[])
    .filter((value): value is SQLiteTable => value instanceof SQLiteTable)
    .map((table) => {
      const config = getTableConfig(table);
      const columns = config.columns.filter((c) => c.getSQLType() === 'text').map((c) => c.name);
      return { table: config.name, columns };
    })
    .filter((entry) => entry.columns.length > 0);
}

/** Runs the queued repairs, each once: its name leaves the queue only after it finished. */
export async function runPendingRepairs(store: Store): Promise<void> {
  const queued = await store.db.all<{ name: string }>(sql`select name from pending_repairs`);
  if (!queued.some((row) => row.name === surrogateRepair)) return;
  await repairEncodedSurrogates(store);
  await store.db.run(sql`delete from pending_repairs where name = ${surrogateRepair}`);
}

/** Rewrites every stored value holding encoded surrogates; returns how many values changed. */
export async function repairEncodedSurrogates(store: Store): Promise<number> {
  let repaired = 0;
  for (const { table, columns } of textColumns()) {
    let after = 0;
    for (;;) {
      const page = await candidates(store, table, columns, after);
      for (const row of page) {
        for (const column of columns) {
          const value = row[column];
          if (!(value instanceof ArrayBuffer)) continue;
          const fixed = wellFormedText(new Uint8Array(value));
          if (fixed === null) continue;
          await rewrite(store, table, column, row.r, fixed);
          repaired++;
        }
      }
      if (page.length < rowsPerPage) break;
      after = page[page.length - 1]!.r;
    }
  }
  return repaired;
}

type CandidateRow = { r: number } & Record<string, unknown>;

function candidates(store: Store, table: string, columns: string[], after: number) {
  const has = (column: string) => `instr(cast("${column}" as blob), x'ED') > 0`;
  // A column's bytes come back only where they hold an ED: one page never
  // carries the blobs of the whole table.
  const picks = columns.map((c) => `case when ${has(c)} then cast("${c}" as blob) end as "${c}"`);
  return store.db.all<CandidateRow>(
    sql.raw(`select rowid as r, ${picks.join(', ')} from "${table}"
      where rowid > ${Math.trunc(after)} and (${columns.map(has).join(' or ')})
      order by rowid limit ${rowsPerPage}`),
  );
}

async function rewrite(store: Store, table: string, column: string, rowid: number, text: string) {
  const target = sql.raw(`"${table}" set "${column}" = `);
  const where = sql.raw(` where rowid = ${Math.trunc(rowid)}`);
  const result = await store.db.run(sql`update or ignore ${target}${text}${where}`);
  if ((result as { rowsAffected?: number }).rowsAffected !== 0) return;
  // Two values that differed only in their lone surrogates repair to the same
  // text; where that text must be unique, the row's id keeps it apart.
  await store.db.run(sql`update ${target}${`${text}~${rowid}`}${where}`);
}

/**
 * The text `bytes` were meant to be, or null when they already are valid
 * UTF-8. Encoded surrogates (ED A0..BF 80..BF) become UTF-16 code units, so
 * an encoded pair becomes its character and a lone one U+FFFD, exactly what
 * String.prototype.toWellFormed makes of it; any other bad byte is U+FFFD.
 */
export function wellFormedText(bytes: Uint8Array): string | null {
  let text = '';
  let start = 0;
  for (let i = 0; i + 2 < bytes.length; i++) {
    const second = bytes[i + 1]!;
    const third = bytes[i + 2]!;
    if (bytes[i] !== 0xed || second < 0xa0 || second > 0xbf || third < 0x80 || third > 0xbf) continue;
    text += decoder.decode(bytes.subarray(start, i));
    text += String.fromCharCode(0xd000 | ((second & 0x3f) << 6) | (third & 0x3f));
    start = i + 3;
    i += 2;
  }
  text = (text + decoder.decode(bytes.subarray(start))).toWellFormed();
  return sameBytes(encoder.encode(text), bytes) ? null : text;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
