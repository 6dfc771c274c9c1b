// newMessageId (src/services/sweep/message-id.ts) as an SQL expression, for
// messages a sweep writes by INSERT ... SELECT: the same UUID version 7 text,
// with the millisecond part made in JS once per sweep (messageIdPrefix) and
// the random parts drawn per row by randomblob(), as SQLite and D1 both have.
import { type SQL, sql } from 'drizzle-orm';

/** `tttttttt-tttt-7` for the time `at`: the part of a v7 id every message of one sweep shares. */
export function messageIdPrefix(at: number): string {
  const time = Math.max(0, Math.floor(at)).toString(16).padStart(12, '0').slice(-12);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7`;
}

/** One fresh id per row: 3 random hex, the variant nibble (8 to b), 3 + 12 random hex. */
export function messageIdSql(prefix: string): SQL {
  const hex = (bytes: number) => `lower(hex(randomblob(${bytes})))`;
  return sql.raw(
    `'${prefix.replaceAll("'", "''")}' || substr(${hex(2)}, 2) || '-' || substr('89ab', (random() & 3) + 1, 1) || substr(${hex(2)}, 2) || '-' || ${hex(6)}`,
  );
}
