// newMessageId (src/services/sweep/message-id.ts) as an SQL expression, for
// messages a sweep writes by INSERT ... SELECT: the same UUID version 7 text,
// with the millisecond part made in JS once per sweep (messageIdPrefix) and
// a counter and random bits per row (randomblob(), as SQLite and D1 both have).
import { type SQL, sql } from 'drizzle-orm';

/** `tttttttt-tttt-7` for the time `at`: the part of a v7 id every message of one sweep shares. */
export function messageIdPrefix(at: number): string {
  const time = Math.max(0, Math.floor(at)).toString(16).padStart(12, '0').slice(-12);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7`;
}

/** Statements whose ids messageIdInSequenceSql keeps in order (each up to 2^20 rows); past it, order restarts. */
export const sequencesInOrder = 4096;

/**
 * An id per row that sorts after every id of the sweep's earlier statements
 * and rows: the 32 bits after the version are `sequence` (the statement, in
 * the sweep) and `row` (the row's place in it), as RFC 9562's method 1 puts a
 * counter there, then 40 random bits. A sweep's outbox then appends to the
 * primary key's b-tree instead of inserting all over it (at a million
 * customers that was most of the write). Unique across sweeps by the random
 * bits, as ids drawn wholly at random are.
 */
export function messageIdInSequenceSql(prefix: string, sequence: number, row: SQL): SQL {
  const base = (Math.trunc(sequence) % sequencesInOrder) * 2 ** 20;
  const h = sql`printf('%08x', ${sql.raw(String(base))} + (${row}))`;
  return sql`${sql.raw(`'${prefix.replaceAll("'", "''")}'`)} || substr(${h}, 1, 3) || '-8' || substr(${h}, 4, 3)
    || '-' || substr(${h}, 7, 2) || lower(hex(randomblob(5)))`;
}
