// What the fuzz runs read from the database, without ever turning stored text
// into a JS string through the driver: every value goes through SQL's typeof()
// and hex(), because a value that is not valid UTF-8 aborts the libSQL driver
// that reads it as text. Gives a digest of every table (for "a rejected
// request changed nothing") and the invariants an accepted write must keep
// (valid UTF-8, money in safe non-negative integers, http(s) links). Runs on
// any SQL reader: libSQL in Node, D1 in workerd.

export interface SqlReader {
  all(sql: string): Promise<Record<string, unknown>[]>;
}

/** Each table's rows, one string per row: `typeof:hex` of every column, in rowid order. */
export type StoreDigest = Map<string, string[]>;

// rate_buckets is the coupon limiter's own state, not shop data: a refused
// guess must spend a token there (that is what stops guessing), so a rejected
// request is expected to change it.
const skipTables = /^(sqlite_|__drizzle|d1_migrations|_cf_|rate_buckets$)/;

async function tableColumns(db: SqlReader): Promise<Map<string, string[]>> {
  const tables = await db.all("select name from sqlite_master where type = 'table' order by name");
  const result = new Map<string, string[]>();
  for (const { name } of tables) {
    const table = String(name);
    if (skipTables.test(table)) continue;
    const columns = await db.all(`pragma table_info("${table}")`);
    result.set(
      table,
      columns.map((c) => String(c.name)),
    );
  }
  return result;
}

/** Reads digests and invariants from one database; learns its tables once. */
export class StoreInspector {
  private columns: Map<string, string[]> | undefined;

  constructor(private readonly db: SqlReader) {}

  private async tables(): Promise<Map<string, string[]>> {
    this.columns ??= await tableColumns(this.db);
    return this.columns;
  }

  async digest(): Promise<StoreDigest> {
    const digest: StoreDigest = new Map();
    for (const [table, columns] of await this.tables()) {
      const row = columns.map((c) => `typeof("${c}") || ':' || hex("${c}")`).join(` || '|' || `);
      const rows = await this.db.all(`select ${row} as r from "${table}" order by rowid`);
      digest.set(
        table,
        rows.map((r) => String(r.r)),
      );
    }
    return digest;
  }

  /**
   * Text cells in rows of `after` that are not in `before` and are not valid
   * UTF-8, as "table.column"; the driver aborts the process reading any of them.
   */
  invalidTextCells(before: StoreDigest | undefined, after: StoreDigest): string[] {
    const found = new Set<string>();
    for (const [table, rows] of after) {
      const old = new Set(before?.get(table) ?? []);
      const columns = this.columns?.get(table) ?? [];
      for (const row of rows) {
        if (old.has(row)) continue;
        row.split('|').forEach((cell, i) => {
          if (cell.startsWith('text:') && !isUtf8(cell.slice('text:'.length)))
            found.add(`${table}.${columns[i] ?? i}`);
        });
      }
    }
    return [...found];
  }

  /** The invariants broken now, each with how many rows break it. */
  async brokenInvariants(): Promise<string[]> {
    const broken: string[] = [];
    const tables = await this.tables();
    for (const check of invariants) {
      if (!tables.has(check.table)) continue;
      const [row] = await this.db.all(check.sql);
      const n = Number(row?.n ?? 0);
      if (n > 0) broken.push(`${check.name} (${n} rows)`);
    }
    return broken;
  }
}

export function digestRows(digest: StoreDigest): number {
  let n = 0;
  for (const rows of digest.values()) n += rows.length;
  return n;
}

/** The tables whose rows differ, with the first differing row of each. */
export function digestChanges(before: StoreDigest, after: StoreDigest): string[] {
  const changes: string[] = [];
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(table) ?? [];
    const b = after.get(table) ?? [];
    if (a.length === b.length && a.every((row, i) => row === b[i])) continue;
    const changed =
      a.length === b.length ? a.filter((row, i) => row !== b[i]).length : Math.abs(a.length - b.length);
    changes.push(`${table} (${a.length} -> ${b.length} rows, ${changed} differ)`);
  }
  return changes;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(hex: string): boolean {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const maxSafe = '9007199254740991';
const moneyColumns: [string, string][] = [
  ['orders', 'total_minor'],
  ['order_items', 'unit_price_minor'],
  ['carts', 'value_minor'],
  ['cart_items', 'unit_price_minor'],
  ['products', 'price_minor'],
  ['coupons', 'min_subtotal_minor'],
  ['redemptions', 'order_total_minor'],
  ['redemptions', 'discount_minor'],
];
const lineTables = ['order_items', 'cart_items'];
const linkColumns: [string, string][] = [
  ['carts', 'recovery_url'],
  ['products', 'url'],
  ['products', 'image_url'],
];

/** An invariant as SQL counting the rows that break it. */
interface Invariant {
  name: string;
  table: string;
  sql: string;
}

const invariants: Invariant[] = [
  ...moneyColumns.map(([table, c]) => ({
    name: `money ${table}.${c} is a non-negative safe integer`,
    table,
    sql: `select count(*) as n from "${table}" where "${c}" is not null and (typeof("${c}") <> 'integer' or "${c}" < 0 or "${c}" > ${maxSafe})`,
  })),
  ...lineTables.map((table) => ({
    name: `money ${table}: quantity times unit price stays a safe integer`,
    table,
    sql: `select count(*) as n from "${table}" where typeof(quantity) <> 'integer' or abs(quantity * 1.0 * unit_price_minor) > ${maxSafe}`,
  })),
  ...linkColumns.map(([table, c]) => ({
    name: `link ${table}.${c} is http(s)`,
    table,
    sql: `select count(*) as n from "${table}" where "${c}" is not null and lower(substr("${c}", 1, 7)) <> 'http://' and lower(substr("${c}", 1, 8)) <> 'https://'`,
  })),
];
